package twitter_test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/twitter"
)

var update = flag.Bool("update", false, "rewrite the expected.jsonl goldens from the collector's output")

// testNow is the clock of every case, before a run's offset.
var testNow = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// testToken is the bearer token of every case; it must never appear in an
// error or a log line.
const testToken = "AAAAAAAAAAAAAAAAAAAAAEarshotTestTokenDoNotLeak0123456789"

const tokenEnv = "EARSHOT_TEST_TWITTER_BEARER"

// testCase is a folder's case.yaml.
type testCase struct {
	// Config holds collector config keys; query and bearer_token default.
	Config map[string]any `yaml:"config"`
	// Cursor is the cursor of the first run.
	Cursor string `yaml:"cursor"`
	Runs   []run  `yaml:"runs"`
}

// run is one Collect.
type run struct {
	// At is the clock, after testNow.
	At time.Duration `yaml:"at"`
	// Restart builds a new collector for this run, as a restarted program.
	Restart bool `yaml:"restart"`
	// Requests are the requests this run must make, in order.
	Requests []request `yaml:"requests"`
	// WantCursor is the cursor the run returns; on an error, the cursor
	// must be the one passed.
	WantCursor string `yaml:"want_cursor"`
	// WantError is a substring of the run's error; WantIs names its
	// sentinel: rate_limited or unauthorized.
	WantError      string        `yaml:"want_error"`
	WantIs         string        `yaml:"want_is"`
	WantRetryAfter time.Duration `yaml:"want_retry_after"`
}

type request struct {
	// WantQuery holds query parameters the request must have; an empty
	// value means absent.
	WantQuery map[string]string `yaml:"want_query"`
	// Status defaults to 200.
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers"`
	// Body names a file of the case folder.
	Body string `yaml:"body"`
}

// line is one line of expected.jsonl: a post and the run that returned it.
type line struct {
	Run int `json:"run"`
	earshot.Post
}

func TestCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no cases in testdata")
	}
	t.Setenv(tokenEnv, testToken)
	for _, f := range files {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) { runCase(t, dir) })
	}
}

func runCase(t *testing.T, dir string) {
	var tc testCase
	readYAML(t, filepath.Join(dir, "case.yaml"), &tc)

	var all []request
	for _, r := range tc.Runs {
		all = append(all, r.Requests...)
	}
	var (
		mu   sync.Mutex
		seen int
	)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := seen
		seen++
		mu.Unlock()
		if n >= len(all) {
			t.Errorf("request %d (%s) not expected", n+1, r.URL)
			http.Error(w, "no more requests", http.StatusTeapot)
			return
		}
		checkRequest(t, n+1, r, all[n])
		q := all[n]
		for k, v := range q.Headers {
			w.Header().Set(k, v)
		}
		var body []byte
		if q.Body != "" {
			body = readFile(t, filepath.Join(dir, q.Body))
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(cmp.Or(q.Status, http.StatusOK))
		w.Write(body)
	}))
	t.Cleanup(srv.Close)

	cfg := map[string]any{"query": `"Acme Cloud" OR @acmecloud`, "bearer_token": "env:" + tokenEnv}
	for k, v := range tc.Config {
		cfg[k] = v
	}
	var logs bytes.Buffer
	now := testNow
	newCollector := func() earshot.Collector {
		c, err := collectors.New("twitter", filepath.Base(dir), yamlNode(t, cfg), collectors.Deps{
			HTTP:      clientFor(srv),
			Log:       slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Now:       func() time.Time { return now },
			UserAgent: "earshot-test",
		})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return c
	}
	c := newCollector()

	var got []line
	cursor := tc.Cursor
	done := 0
	for i, r := range tc.Runs {
		now = testNow.Add(r.At)
		if r.Restart {
			c = newCollector()
		}
		posts, next, err := c.Collect(t.Context(), cursor)
		done += len(r.Requests)
		mu.Lock()
		if seen != done {
			t.Fatalf("run %d: %d requests so far, want %d", i+1, seen, done)
		}
		mu.Unlock()
		checkErr(t, i+1, r, err)
		if err != nil {
			if len(posts) != 0 {
				t.Errorf("run %d: %d posts with an error", i+1, len(posts))
			}
			if next != cursor {
				t.Errorf("run %d: the cursor changed on an error", i+1)
			}
			continue // the caller keeps its cursor
		}
		if next != r.WantCursor {
			t.Errorf("run %d: cursor\n got: %s\nwant: %s", i+1, next, r.WantCursor)
		}
		for _, p := range posts {
			got = append(got, line{Run: i + 1, Post: p})
		}
		cursor = next
	}
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("the token is in the logs:\n%s", logs.String())
	}
	compareGolden(t, filepath.Join(dir, "expected.jsonl"), got)
}

// checkRequest checks what every search request must carry, and what the
// case wants of request n.
func checkRequest(t *testing.T, n int, r *http.Request, want request) {
	t.Helper()
	if r.URL.Path != "/1.1/search/tweets.json" {
		t.Errorf("request %d: path %s", n, r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("request %d: Authorization = %q", n, got)
	}
	if got := r.Header.Get("User-Agent"); got != "earshot-test" {
		t.Errorf("request %d: User-Agent = %q", n, got)
	}
	q := r.URL.Query()
	fixed := map[string]string{
		"q": `"Acme Cloud" OR @acmecloud`, "count": "100", "result_type": "recent",
		"tweet_mode": "extended", "include_entities": "false",
	}
	for k, v := range fixed {
		if q.Get(k) != v {
			t.Errorf("request %d: %s = %q, want %q", n, k, q.Get(k), v)
		}
	}
	for k, v := range want.WantQuery {
		if q.Get(k) != v {
			t.Errorf("request %d: %s = %q, want %q", n, k, q.Get(k), v)
		}
	}
}

func checkErr(t *testing.T, n int, r run, err error) {
	t.Helper()
	wantErr := r.WantError != "" || r.WantIs != ""
	switch {
	case err == nil && wantErr:
		t.Errorf("run %d: no error, want %q %s", n, r.WantError, r.WantIs)
		return
	case err != nil && !wantErr:
		t.Errorf("run %d: unexpected error: %v", n, err)
		return
	case err == nil:
		return
	}
	if !strings.Contains(err.Error(), r.WantError) {
		t.Errorf("run %d: error %q does not contain %q", n, err, r.WantError)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("run %d: error %q leaks the token", n, err)
	}
	sentinels := map[string]error{"rate_limited": earshot.ErrRateLimited, "unauthorized": collectors.ErrUnauthorized}
	for name, sentinel := range sentinels {
		if is, want := errors.Is(err, sentinel), r.WantIs == name; is != want {
			t.Errorf("run %d: errors.Is(%v, %s) = %v, want %v", n, err, name, is, want)
		}
	}
	if r.WantIs == "rate_limited" {
		var ra *collectors.RetryAfterError
		if !errors.As(err, &ra) {
			t.Fatalf("run %d: %v is not a *collectors.RetryAfterError", n, err)
		}
		if ra.Wait != r.WantRetryAfter {
			t.Errorf("run %d: Wait = %s, want %s", n, ra.Wait, r.WantRetryAfter)
		}
	}
}

// compareGolden compares got with the JSON lines in path, or rewrites path
// under -update.
func compareGolden(t *testing.T, path string, got []line) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, l := range got {
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	gotLines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	wantLines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	for i := range max(len(gotLines), len(wantLines)) {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("%s line %d:\n got: %s\nwant: %s", path, i+1, g, w)
		}
	}
}

// clientFor returns a client that sends every request to srv, whatever the
// URL's host, and trusts srv's certificate for api.twitter.com: go-twitter
// asks https://api.twitter.com/1.1/, and nothing leaves the machine.
func clientFor(srv *httptest.Server) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com" // in httptest's certificate
	tr.TLSClientConfig.MinVersion = tls.VersionTLS12
	return &http.Client{Transport: tr}
}

func yamlNode(t *testing.T, v any) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		t.Fatal(err)
	}
	return &n
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, path)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
