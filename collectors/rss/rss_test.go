package rss_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
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
	_ "github.com/earshot/earshot/collectors/rss"
)

var update = flag.Bool("update", false, "rewrite the expected.jsonl goldens from the collector's output")

// testNow is the fixed clock of every case.
var testNow = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// feedHost is the host every case's feed URL names; the test client dials
// the case's httptest server whatever the host, so nothing leaves the machine
// and post URLs resolved against the feed's do not depend on a port.
const feedHost = "feeds.acme.test"

// testCase is a folder's case.yaml.
type testCase struct {
	// Path is the feed's path and query on feedHost; default /feed.xml.
	Path string `yaml:"path"`
	// Config holds the collector's config keys, but for url.
	Config map[string]any `yaml:"config"`
	// Cursor is the cursor of the first fetch.
	Cursor string `yaml:"cursor"`
	// Steps are the fetches, in order, each answered by its response.
	Steps []step `yaml:"steps"`
}

type step struct {
	// Status defaults to 200.
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers"`
	// Body names a file of the case folder.
	Body string `yaml:"body"`
	// WantRequestHeaders are headers the request must carry; an empty
	// value means the header must be absent.
	WantRequestHeaders map[string]string `yaml:"want_request_headers"`
	// WantError is a substring of the expected error; WantIs names its
	// sentinel (not_modified, rate_limited).
	WantError         string        `yaml:"want_error"`
	WantErrorExcludes string        `yaml:"want_error_excludes"`
	WantIs            string        `yaml:"want_is"`
	WantRetryAfter    time.Duration `yaml:"want_retry_after"`
}

// line is one line of expected.jsonl: a post and the step that returned it.
type line struct {
	Step int `json:"step"`
	earshot.Post
}

func TestCases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no cases in testdata")
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) { runCase(t, dir) })
	}
}

func runCase(t *testing.T, dir string) {
	var tc testCase
	readYAML(t, filepath.Join(dir, "case.yaml"), &tc)
	if tc.Path == "" {
		tc.Path = "/feed.xml"
	}

	var (
		mu       sync.Mutex
		requests []*http.Request
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := len(requests)
		requests = append(requests, r)
		mu.Unlock()
		if n >= len(tc.Steps) {
			http.Error(w, "no more steps", http.StatusTeapot)
			return
		}
		s := tc.Steps[n]
		for k, v := range s.Headers {
			w.Header().Set(k, v)
		}
		var body []byte
		if s.Body != "" {
			b, err := os.ReadFile(filepath.Join(dir, s.Body))
			if err != nil {
				t.Error(err)
			}
			body = b
		}
		w.WriteHeader(cmp.Or(s.Status, http.StatusOK))
		w.Write(body)
	}))
	t.Cleanup(srv.Close)

	cfg := map[string]any{"url": "http://" + feedHost + tc.Path}
	for k, v := range tc.Config {
		cfg[k] = v
	}
	c, err := collectors.New("rss", filepath.Base(dir), yamlNode(t, cfg), collectors.Deps{
		HTTP:      clientFor(srv),
		Now:       func() time.Time { return testNow },
		UserAgent: "earshot-test",
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}

	var got []line
	cursor := tc.Cursor
	for i, s := range tc.Steps {
		posts, next, err := c.Collect(t.Context(), cursor)
		mu.Lock()
		if len(requests) != i+1 {
			t.Fatalf("step %d: %d requests so far, want %d", i+1, len(requests), i+1)
		}
		req := requests[i]
		mu.Unlock()
		for k, want := range s.WantRequestHeaders {
			if g := req.Header.Get(k); g != want {
				t.Errorf("step %d: request header %s = %q, want %q", i+1, k, g, want)
			}
		}
		checkErr(t, i+1, s, err)
		if err != nil {
			if len(posts) != 0 {
				t.Errorf("step %d: %d posts with an error", i+1, len(posts))
			}
			if next != cursor {
				t.Errorf("step %d: the cursor changed on an error", i+1)
			}
			continue // the caller keeps its cursor
		}
		for _, p := range posts {
			got = append(got, line{Step: i + 1, Post: p})
		}
		cursor = next
	}
	compareGolden(t, filepath.Join(dir, "expected.jsonl"), got)
}

func checkErr(t *testing.T, n int, s step, err error) {
	t.Helper()
	wantErr := s.WantError != "" || s.WantIs != ""
	switch {
	case err == nil && wantErr:
		t.Errorf("step %d: no error, want %q %s", n, s.WantError, s.WantIs)
		return
	case err != nil && !wantErr:
		t.Errorf("step %d: unexpected error: %v", n, err)
		return
	case err == nil:
		return
	}
	if !strings.Contains(err.Error(), s.WantError) {
		t.Errorf("step %d: error %q does not contain %q", n, err, s.WantError)
	}
	if s.WantErrorExcludes != "" && strings.Contains(err.Error(), s.WantErrorExcludes) {
		t.Errorf("step %d: error %q leaks %q", n, err, s.WantErrorExcludes)
	}
	sentinels := map[string]error{"not_modified": earshot.ErrNotModified, "rate_limited": earshot.ErrRateLimited}
	for name, sentinel := range sentinels {
		if is, want := errors.Is(err, sentinel), s.WantIs == name; is != want {
			t.Errorf("step %d: errors.Is(%v, %s) = %v, want %v", n, err, name, is, want)
		}
	}
	if s.WantIs == "rate_limited" {
		var ra *collectors.RetryAfterError
		if !errors.As(err, &ra) {
			t.Fatalf("step %d: %v is not a *collectors.RetryAfterError", n, err)
		}
		if ra.Wait != s.WantRetryAfter {
			t.Errorf("step %d: Wait = %s, want %s", n, ra.Wait, s.WantRetryAfter)
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
		t.Fatal(err)
	}
	return b
}
