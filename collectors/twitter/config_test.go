package twitter_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/collectortest"
	"github.com/earshot/earshot/collectors/twitter"
)

func TestConfig(t *testing.T) {
	t.Setenv(tokenEnv, testToken)
	t.Setenv("EARSHOT_TEST_UNSET_TOKEN", "")
	secretFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(secretFile, []byte(testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const ok = "query: acme\nbearer_token: env:" + tokenEnv + "\n"
	collectortest.RunConfigCases(t, "twitter", []collectortest.ConfigCase{
		{Name: "minimal", YAML: ok},
		{Name: "everything", YAML: ok + "backfill: 168h\nmax_pages: 3\nbase_url: http://proxy.internal/twitter/\nmax_bytes: 4096\ntimeout: 5s"},
		{Name: "token from a file", YAML: "query: acme\nbearer_token: file:" + secretFile},
		{Name: "no query", YAML: "bearer_token: env:" + tokenEnv, WantErr: "collectors.twitter[c].query: required"},
		{Name: "blank query", YAML: "query: '  '\nbearer_token: x", WantErr: "collectors.twitter[c].query: required"},
		{Name: "no token", YAML: "query: acme", WantErr: "collectors.twitter[c].bearer_token: required"},
		{Name: "unset variable", YAML: "query: acme\nbearer_token: env:EARSHOT_TEST_UNSET_TOKEN", WantErr: "collectors.twitter[c].bearer_token: resolving: environment variable EARSHOT_TEST_UNSET_TOKEN is not set"},
		{Name: "missing file", YAML: "query: acme\nbearer_token: file:/nonexistent/earshot-token", WantErr: "collectors.twitter[c].bearer_token: resolving: reading secret file"},
		{Name: "backfill too long", YAML: ok + "backfill: 169h", WantErr: "collectors.twitter[c].backfill: must be at most 168h"},
		{Name: "negative backfill", YAML: ok + "backfill: -1h", WantErr: "collectors.twitter[c].backfill: must be a positive duration"},
		{Name: "zero max_pages", YAML: ok + "max_pages: 0", WantErr: "collectors.twitter[c].max_pages: must be at least 1"},
		{Name: "relative base_url", YAML: ok + "base_url: /proxy", WantErr: "collectors.twitter[c].base_url: must be an absolute http(s) URL"},
		{Name: "base_url with credentials", YAML: ok + "base_url: https://u:p@proxy.internal", WantErr: "collectors.twitter[c].base_url: must be an absolute http(s) URL"},
		{Name: "zero max_bytes", YAML: ok + "max_bytes: 0", WantErr: "collectors.twitter[c].max_bytes: must be positive"},
		{Name: "misspelt key", YAML: ok + "max_page: 3", WantErr: "collectors.twitter[c].max_page: unknown key (known keys: query, bearer_token, backfill, max_pages, base_url, max_bytes, timeout)"},
		{Name: "not a mapping", YAML: "- query", WantErr: "collectors.twitter[c]: must be a mapping"},
	}, testToken)
}

func TestDefaultConfig(t *testing.T) {
	d := twitter.DefaultConfig()
	if d.Backfill != 24*time.Hour || d.MaxPages != 10 || d.MaxBytes != 10<<20 || d.Timeout != 30*time.Second || d.BaseURL != "" {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no query, validated")
	}
}

// TestBaseURL: base_url sends go-twitter's requests, path and all, to a
// proxy; the token goes with them.
func TestBaseURL(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Write([]byte(`{"statuses":[],"search_metadata":{"count":100}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := twitter.NewCollector("c", withDefaults(twitter.Config{
		Query: "acme", BearerToken: testToken, BaseURL: srv.URL + "/twitter/",
	}), collectors.Deps{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Collect(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.URL.Path != "/twitter/1.1/search/tweets.json" || got.Header.Get("Authorization") != "Bearer "+testToken {
		t.Fatalf("request = %+v", got)
	}
}

// TestNoRedirect: a redirect is not followed, so the token cannot be
// carried to another host.
func TestNoRedirect(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the redirect was followed, Authorization %q", r.Header.Get("Authorization"))
	}))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c, err := twitter.NewCollector("c", withDefaults(twitter.Config{
		Query: "acme", BearerToken: testToken, BaseURL: srv.URL,
	}), collectors.Deps{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Collect(t.Context(), "")
	if err == nil || !strings.Contains(err.Error(), "unexpected status 302 Found") {
		t.Fatalf("err = %v, want the 302 as an error", err)
	}
}

func withDefaults(c twitter.Config) twitter.Config {
	d := twitter.DefaultConfig()
	d.Query, d.BearerToken, d.BaseURL = c.Query, c.BearerToken, c.BaseURL
	return d
}
