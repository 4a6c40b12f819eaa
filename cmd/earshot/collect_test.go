package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/duckdb"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "earshot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Without allow_private_networks, a collector and an incident poller
// pointed at a loopback address are refused at dial time, and nothing is
// requested from the server.
func TestCollectRefusesPrivateAddresses(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		io.WriteString(w, serveFeed)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	cfg := writeConfig(t, fmt.Sprintf(`store: duckdb://%s/e.duckdb
collectors:
  - {type: rss, name: feed, url: %q}
  - {type: rss, name: by-name, url: "http://localhost:%s/"}
incidents:
  - {type: statuspage, name: status, page: %q}
`, t.TempDir(), srv.URL, port, srv.URL))
	e, out, errb := testEnv("")
	if code := run(t.Context(), []string{"collect", "--once", "--config", cfg}, e); code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errb)
	}
	if hits != 0 {
		t.Errorf("the server was reached %d times", hits)
	}
	if n := strings.Count(out.String(), "address not allowed"); n != 3 {
		t.Errorf("%d refusals, want 3 (two collectors, one incident poller):\n%s", n, out)
	}
}

func TestCollectOnce(t *testing.T) {
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, serveFeed)
	}))
	defer feed.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer broken.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf(`store: duckdb://%s/e.duckdb
watches: [{name: acme, terms: [Acme]}]
collectors:
  - {type: rss, name: community, url: %q, allow_private_networks: true}
  - {type: rss, name: flaky, url: %q, allow_private_networks: true}
incidents:
  - {type: statuspage, name: acme-status, page: %q, allow_private_networks: true}
`, dir, feed.URL, broken.URL, broken.URL))

	e, out, errb := testEnv("")
	code := run(t.Context(), []string{"collect", "--once", "--config", cfg}, e)
	if code != 1 {
		t.Fatalf("exit %d with one collector failing, want 1; stderr %s", code, errb)
	}
	table := out.String()
	for _, want := range []string{"COLLECTOR", "community", "rss", "flaky", "FAILED: requesting", "502", "stored 3 posts"} {
		if !strings.Contains(table, want) {
			t.Errorf("output lacks %q:\n%s", want, table)
		}
	}
	if !strings.Contains(table, "acme-status  statuspage  -") {
		t.Errorf("the incident collector is not in the table:\n%s", table)
	}
	if !strings.Contains(errb.String(), "2 of 3 collectors failed") {
		t.Errorf("stderr = %q", errb)
	}

	// A second run: the feed's items are all seen, nothing new is stored.
	e, out, _ = testEnv("")
	run(t.Context(), []string{"collect", "--once", "--config", cfg}, e)
	if !strings.Contains(out.String(), "stored 0 posts") {
		t.Errorf("second run:\n%s", out)
	}
}

func TestCollectMisconfigured(t *testing.T) {
	tests := []struct{ config, want string }{
		{"collectors: [{type: rss, name: blog, url: 'not a url'}]", "collectors.rss[blog].url"},
		{"collectors: [{type: rss, name: blog, url: 'http://x', max_byte: 3}]", "max_byte: unknown key"},
		{"collectors: [{type: frobnicator, name: x}]", `unknown collector kind "frobnicator"`},
		{"collectors: [{type: twitter, name: tw, query: acme, bearer_token: 'env:EARSHOT_TEST_UNSET_TOKEN'}]", "collectors[0]: collectors.twitter[tw].bearer_token: resolving: environment variable EARSHOT_TEST_UNSET_TOKEN is not set"},
		{"watches: []", "no collectors configured"},
	}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			e, _, errb := testEnv("")
			code := run(t.Context(), []string{"collect", "--once", "--config", writeConfig(t, "store: 'duckdb://:memory:'\n"+tt.config)}, e)
			if code != 2 || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errb, tt.want)
			}
		})
	}
}

// TestRemoteScorerFallsBack configures a remote scorer that is down: posts
// are still scored, by the local ensemble.
func TestRemoteScorerFallsBack(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "model loading", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "posts.jsonl")
	os.WriteFile(path, []byte(`{"id":"1","source":"x","text":"the site is down again, unacceptable","created_at":"2026-03-02T10:00:00Z"}`+"\n"), 0o600)
	cfg := writeConfig(t, fmt.Sprintf("sentiment: {scorer: remote, remote: {url: %q, api: tei, retries: 0, timeout: 2s, allow_private_networks: true}}\n", down.URL))
	e, out, errb := testEnv("")
	if code := run(t.Context(), []string{"import", "--config", cfg, "--store", "duckdb://" + filepath.Join(dir, "e.duckdb"), path}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if !strings.Contains(out.String(), "stored 1") {
		t.Errorf("output %q", out)
	}
	st, err := duckdb.Open(t.Context(), filepath.Join(dir, "e.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Post(t.Context(), "x:1")
	st.Close()
	if err != nil || p.Sentiment.Label != earshot.Negative {
		t.Errorf("post scored %+v (%v); want the local ensemble's negative label", p.Sentiment, err)
	}
	e, _, errb = testEnv("")
	bad := writeConfig(t, "sentiment: {scorer: remote, remote: {api: tei, url: ''}}\n")
	if code := run(t.Context(), []string{"import", "--config", bad, path}, e); code != 2 || !strings.Contains(errb.String(), "sentiment.remote") {
		t.Errorf("bad remote config: exit %d, %s", code, errb)
	}
}
