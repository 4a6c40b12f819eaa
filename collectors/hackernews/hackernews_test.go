package hackernews_test

import (
	"bytes"
	"cmp"
	"context"
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
	_ "github.com/earshot/earshot/collectors/hackernews"
)

var update = flag.Bool("update", false, "rewrite the expected.jsonl goldens from the collector's output")

// testNow is the clock of every case at its first run: Unix 1748865600.
var testNow = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// apiHost is the host of base_url in every case; the test client dials the
// case's httptest server whatever the host, so nothing leaves the machine.
const apiHost = "hn.algolia.test"

// testCase is a folder's case.yaml.
type testCase struct {
	// Config holds the collector's config keys, but for base_url.
	Config map[string]any `yaml:"config"`
	// Cursor is the cursor of the first run.
	Cursor string `yaml:"cursor"`
	// Runs are the Collect calls, in order.
	Runs []testRun `yaml:"runs"`
}

// testRun is one Collect call.
type testRun struct {
	// Clock is the time of the run, after testNow.
	Clock time.Duration `yaml:"clock"`
	// Restart builds a new collector for this run, as a restarted program
	// would; the cursor carries over.
	Restart bool `yaml:"restart"`
	// Steps are the requests the run makes, in order, each answered by its
	// response.
	Steps []step `yaml:"steps"`
	// WantError is a substring of the expected error; WantIs names its
	// sentinel (rate_limited).
	WantError      string        `yaml:"want_error"`
	WantIs         string        `yaml:"want_is"`
	WantRetryAfter time.Duration `yaml:"want_retry_after"`
}

type step struct {
	// Status defaults to 200.
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers"`
	// Body names a file of the case folder.
	Body string `yaml:"body"`
	// WantQuery are query parameters the request must carry.
	WantQuery map[string]string `yaml:"want_query"`
}

// line is one line of expected.jsonl: a post a run returned, or the cursor
// it returned after its posts.
type line struct {
	Run    int     `json:"run"`
	Cursor *string `json:"cursor,omitempty"`
	*earshot.Post
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

	var steps []step
	for _, r := range tc.Runs {
		steps = append(steps, r.Steps...)
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
		if n >= len(steps) {
			http.Error(w, "no more steps", http.StatusTeapot)
			return
		}
		s := steps[n]
		for k, v := range s.Headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(cmp.Or(s.Status, http.StatusOK))
		if s.Body != "" {
			w.Write(readFile(t, filepath.Join(dir, s.Body)))
		}
	}))
	t.Cleanup(srv.Close)

	cfg := map[string]any{"base_url": "http://" + apiHost + "/api/v1"}
	for k, v := range tc.Config {
		cfg[k] = v
	}
	var logs bytes.Buffer
	now := testNow
	deps := collectors.Deps{
		HTTP:      clientFor(srv),
		Now:       func() time.Time { return now },
		UserAgent: "earshot-test",
		Log:       slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	newCollector := func() earshot.Collector {
		c, err := collectors.New("hackernews", filepath.Base(dir), yamlNode(t, cfg), deps)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return c
	}

	c := newCollector()
	var got []line
	ids := map[string]int{}
	cursor := tc.Cursor
	done := 0
	for i, r := range tc.Runs {
		n := i + 1
		now = testNow.Add(r.Clock)
		if r.Restart {
			c = newCollector()
		}
		posts, next, err := c.Collect(t.Context(), cursor)
		mu.Lock()
		if len(requests)-done != len(r.Steps) {
			t.Fatalf("run %d: %d requests, want %d", n, len(requests)-done, len(r.Steps))
		}
		made := requests[done:]
		done = len(requests)
		mu.Unlock()
		for j, s := range r.Steps {
			q := made[j].URL.Query()
			for k, want := range s.WantQuery {
				if g := q.Get(k); g != want {
					t.Errorf("run %d request %d: %s = %q, want %q", n, j+1, k, g, want)
				}
			}
		}
		checkErr(t, n, r, err)
		if err != nil {
			if len(posts) != 0 || next != cursor {
				t.Errorf("run %d: %d posts and a new cursor with an error", n, len(posts))
			}
			continue // the caller keeps its cursor
		}
		for _, p := range posts {
			if prev, dup := ids[p.ID]; dup {
				t.Errorf("run %d: %s again, first returned by run %d", n, p.ID, prev)
			}
			ids[p.ID] = n
			got = append(got, line{Run: n, Post: &p})
		}
		got = append(got, line{Run: n, Cursor: &next})
		cursor = next
	}
	compareGolden(t, filepath.Join(dir, "expected.jsonl"), got)
}

func checkErr(t *testing.T, n int, r testRun, err error) {
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
	if is, want := errors.Is(err, earshot.ErrRateLimited), r.WantIs == "rate_limited"; is != want {
		t.Errorf("run %d: errors.Is(%v, ErrRateLimited) = %v, want %v", n, err, is, want)
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
