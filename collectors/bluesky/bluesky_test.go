package bluesky_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/bluesky"
)

var update = flag.Bool("update", false, "rewrite the expected.jsonl goldens from the collector's output")

// testNow is the clock of a run that names none.
var testNow = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// appView and pds are the URLs every case's config names; the test client
// dials the case's httptest server whatever the host.
const (
	appView = "http://api.bsky.test"
	pds     = "http://pds.bsky.test"
)

// secretMark is in every credential the cases use: it must never reach an
// error, a log line or a cursor.
const secretMark = "SECRET"

// testCase is a folder's case.yaml.
type testCase struct {
	// Config holds the collector's config keys but base_url and pds.
	Config map[string]any `yaml:"config"`
	// Cursor is the cursor of the first run.
	Cursor string    `yaml:"cursor"`
	Runs   []testRun `yaml:"runs"`
}

// testRun is one Collect.
type testRun struct {
	// Now is the clock during the run; default testNow.
	Now time.Time `yaml:"now"`
	// Restart builds a new collector first, as after a restart: what the
	// collector keeps in memory is lost, the cursor is not.
	Restart bool `yaml:"restart"`
	// Exchanges are the requests the run must make, in order, and the
	// answers.
	Exchanges []exchange `yaml:"exchanges"`
	// WantError is a substring of the expected error; WantIs names its
	// sentinel (rate_limited, unauthorized).
	WantError      string        `yaml:"want_error"`
	WantIs         string        `yaml:"want_is"`
	WantRetryAfter time.Duration `yaml:"want_retry_after"`
}

type exchange struct {
	// Want is the request: "GET /path?query" (the query's order does not
	// matter).
	Want string `yaml:"want"`
	// WantHeaders are headers the request must carry; an empty value
	// means absent.
	WantHeaders map[string]string `yaml:"want_headers"`
	// WantBody is a substring of the request's body.
	WantBody string `yaml:"want_body"`
	// Status defaults to 200.
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers"`
	// Body names a file of the case folder.
	Body string `yaml:"body"`
}

// line is one line of expected.jsonl: a post a run returned, or the cursor
// it returned.
type line struct {
	Run    int             `json:"run"`
	Post   *earshot.Post   `json:"post,omitempty"`
	Cursor json.RawMessage `json:"cursor,omitempty"`
}

func TestCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no cases in testdata")
	}
	for _, f := range files {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) { runCase(t, dir) })
	}
}

func runCase(t *testing.T, dir string) {
	var tc testCase
	readYAML(t, filepath.Join(dir, "case.yaml"), &tc)

	var (
		mu      sync.Mutex
		pending []exchange // the current run's exchanges not yet made
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if len(pending) == 0 {
			mu.Unlock()
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			http.Error(w, "no more exchanges", http.StatusTeapot)
			return
		}
		ex := pending[0]
		pending = pending[1:]
		mu.Unlock()
		if got := r.Method + " " + canonical(r.URL); got != want(t, ex.Want) {
			t.Errorf("request %s, want %s", got, ex.Want)
		}
		if ex.WantBody != "" {
			b, _ := io.ReadAll(r.Body)
			if !strings.Contains(string(b), ex.WantBody) {
				t.Errorf("%s: body %s does not contain %s", ex.Want, b, ex.WantBody)
			}
		}
		for k, v := range ex.WantHeaders {
			if g := r.Header.Get(k); g != v {
				t.Errorf("%s: header %s = %q, want %q", ex.Want, k, g, v)
			}
		}
		for k, v := range ex.Headers {
			w.Header().Set(k, v)
		}
		var body []byte
		if ex.Body != "" {
			body = readFile(t, filepath.Join(dir, ex.Body))
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(cmp.Or(ex.Status, http.StatusOK))
		w.Write(body)
	}))
	t.Cleanup(srv.Close)

	var logs bytes.Buffer
	now := testNow
	cfg := map[string]any{"base_url": appView, "pds": pds}
	for k, v := range tc.Config {
		cfg[k] = v
	}
	build := func() earshot.Collector {
		c, err := collectors.New("bluesky", filepath.Base(dir), yamlNode(t, cfg), collectors.Deps{
			HTTP:      clientFor(srv),
			Log:       slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Now:       func() time.Time { return now },
			UserAgent: "earshot-test",
		})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return c
	}
	c := build()

	var got []line
	cursor := tc.Cursor
	for i, run := range tc.Runs {
		n := i + 1
		now = testNow
		if !run.Now.IsZero() {
			now = run.Now
		}
		if run.Restart {
			c = build()
		}
		mu.Lock()
		pending = run.Exchanges
		mu.Unlock()
		posts, next, err := c.Collect(t.Context(), cursor)
		mu.Lock()
		if len(pending) > 0 {
			t.Errorf("run %d: %d requests not made, the first %s", n, len(pending), pending[0].Want)
		}
		mu.Unlock()
		checkErr(t, n, run, err)
		if err != nil {
			if len(posts) != 0 {
				t.Errorf("run %d: %d posts with an error", n, len(posts))
			}
			if next != cursor {
				t.Errorf("run %d: the cursor changed on an error", n)
			}
			continue // the caller keeps its cursor
		}
		seen := map[string]bool{}
		for _, p := range posts {
			if seen[p.ID] {
				t.Errorf("run %d: post %s returned twice", n, p.ID)
			}
			seen[p.ID] = true
			got = append(got, line{Run: n, Post: &p})
		}
		if strings.Contains(next, secretMark) {
			t.Errorf("run %d: the cursor holds a secret: %s", n, next)
		}
		got = append(got, line{Run: n, Cursor: json.RawMessage(next)})
		cursor = next
	}
	if strings.Contains(logs.String(), secretMark) {
		t.Errorf("a secret reached the log:\n%s", logs.String())
	}
	compareGolden(t, filepath.Join(dir, "expected.jsonl"), got)
}

// want canonicalizes an exchange's "METHOD /path?query".
func want(t *testing.T, s string) string {
	method, target, _ := strings.Cut(s, " ")
	u, err := url.Parse(target)
	if err != nil {
		t.Errorf("exchange %q: %v", s, err)
		return s
	}
	return method + " " + canonical(u)
}

func canonical(u *url.URL) string {
	s := u.EscapedPath()
	if q := u.Query(); len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

func checkErr(t *testing.T, n int, run testRun, err error) {
	t.Helper()
	wantErr := run.WantError != "" || run.WantIs != ""
	switch {
	case err == nil && wantErr:
		t.Errorf("run %d: no error, want %q %s", n, run.WantError, run.WantIs)
		return
	case err != nil && !wantErr:
		t.Errorf("run %d: unexpected error: %v", n, err)
		return
	case err == nil:
		return
	}
	if !strings.Contains(err.Error(), run.WantError) {
		t.Errorf("run %d: error %q does not contain %q", n, err, run.WantError)
	}
	if strings.Contains(err.Error(), secretMark) {
		t.Errorf("run %d: error %q leaks a secret", n, err)
	}
	sentinels := map[string]error{"rate_limited": earshot.ErrRateLimited, "unauthorized": collectors.ErrUnauthorized}
	for name, sentinel := range sentinels {
		if is, want := errors.Is(err, sentinel), run.WantIs == name; is != want {
			t.Errorf("run %d: errors.Is(%v, %s) = %v, want %v", n, err, name, is, want)
		}
	}
	if run.WantIs == "rate_limited" {
		var ra *collectors.RetryAfterError
		if !errors.As(err, &ra) {
			t.Fatalf("run %d: %v is not a *collectors.RetryAfterError", n, err)
		}
		if ra.Wait != run.WantRetryAfter {
			t.Errorf("run %d: Wait = %s, want %s", n, ra.Wait, run.WantRetryAfter)
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
	wantB, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	gotLines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	wantLines := strings.Split(strings.TrimSuffix(string(wantB), "\n"), "\n")
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
// URL's host.
func clientFor(srv *httptest.Server) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
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
		t.Fatal(fmt.Errorf("reading fixture: %w", err))
	}
	return b
}
