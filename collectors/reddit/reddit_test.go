package reddit_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
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
	_ "github.com/earshot/earshot/collectors/reddit"
)

var update = flag.Bool("update", false, "rewrite the expected.jsonl goldens from the collector's output")

// testNow is the clock of every case at its first run: Unix 1748865600.
var testNow = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// The credentials every case uses, through the environment. They, and the
// access tokens of the fixtures, must never show in an error or a log.
const (
	clientID     = "acmeClientID-7Hq2"
	clientSecret = "s3cr3t-acme-reddit-9XkP"
	userAgent    = "linux:earshot:v0.1 (by /u/acme_comms)"
)

// The hosts of auth_url and api_url; the test client dials the case's
// httptest server whatever the host, so nothing leaves the machine.
const (
	authHost = "www.reddit.test"
	apiHost  = "oauth.reddit.test"
)

// testCase is a folder's case.yaml.
type testCase struct {
	// Config holds the collector's config keys, but for the credentials,
	// user_agent, auth_url and api_url.
	Config map[string]any `yaml:"config"`
	// Cursor is the cursor of the first run.
	Cursor string `yaml:"cursor"`
	// Tokens are the access tokens the fixtures hand out, checked never to
	// show in errors or logs.
	Tokens []string  `yaml:"tokens"`
	Runs   []testRun `yaml:"runs"`
}

// testRun is one Collect call.
type testRun struct {
	// Clock is the time of the run, after testNow.
	Clock time.Duration `yaml:"clock"`
	// Restart builds a new collector for this run, as a restarted program
	// would (with no token); the cursor carries over.
	Restart bool `yaml:"restart"`
	// Steps are the requests the run makes, in order.
	Steps []step `yaml:"steps"`
	// WantError is a substring of the expected error; WantIs names its
	// sentinel (rate_limited, unauthorized).
	WantError      string        `yaml:"want_error"`
	WantIs         string        `yaml:"want_is"`
	WantRetryAfter time.Duration `yaml:"want_retry_after"`
}

type step struct {
	// Want is the request's method, host and path: "POST
	// www.reddit.test/api/v1/access_token", "GET oauth.reddit.test/search".
	Want string `yaml:"want"`
	// WantQuery are query parameters the request must carry; an empty value
	// means absent.
	WantQuery map[string]string `yaml:"want_query"`
	// WantToken is the end of the bearer token an API request must carry.
	WantToken string `yaml:"want_token"`
	// Status defaults to 200.
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers"`
	// Body names a file of the case folder.
	Body string `yaml:"body"`
}

// line is one line of expected.jsonl: a post a run returned, or the cursor
// it returned after its posts.
type line struct {
	Run    int     `json:"run"`
	Cursor *string `json:"cursor,omitempty"`
	*earshot.Post
}

type request struct {
	method, host, path string
	query              map[string][]string
	header             http.Header
	form               string
	user, pass         string
	basic              bool
}

func TestCases(t *testing.T) {
	t.Setenv("EARSHOT_TEST_REDDIT_ID", clientID)
	t.Setenv("EARSHOT_TEST_REDDIT_SECRET", clientSecret)
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
		requests []request
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		user, pass, basic := r.BasicAuth()
		mu.Lock()
		n := len(requests)
		requests = append(requests, request{method: r.Method, host: r.Host, path: r.URL.Path, query: r.URL.Query(),
			header: r.Header.Clone(), form: string(body), user: user, pass: pass, basic: basic})
		mu.Unlock()
		if n >= len(steps) {
			http.Error(w, "no more steps", http.StatusTeapot)
			return
		}
		s := steps[n]
		for k, v := range s.Headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.WriteHeader(cmp.Or(s.Status, http.StatusOK))
		if s.Body != "" {
			w.Write(readFile(t, filepath.Join(dir, s.Body)))
		}
	}))
	t.Cleanup(srv.Close)

	cfg := map[string]any{
		"client_id":     "env:EARSHOT_TEST_REDDIT_ID",
		"client_secret": "env:EARSHOT_TEST_REDDIT_SECRET",
		"user_agent":    userAgent,
		"auth_url":      "http://" + authHost + "/api/v1/access_token",
		"api_url":       "http://" + apiHost,
	}
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
		c, err := collectors.New("reddit", filepath.Base(dir), yamlNode(t, cfg), deps)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return c
	}
	secrets := append([]string{clientID, clientSecret}, tc.Tokens...)

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
		made := requests[done:]
		done = len(requests)
		mu.Unlock()
		if len(made) != len(r.Steps) {
			for _, m := range made {
				t.Logf("run %d: %s %s%s %v", n, m.method, m.host, m.path, m.query)
			}
			t.Fatalf("run %d: %d requests, want %d", n, len(made), len(r.Steps))
		}
		for j, s := range r.Steps {
			checkRequest(t, n, j+1, s, made[j])
		}
		checkErr(t, n, r, err)
		if err != nil {
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("run %d: error %q leaks %q", n, err, s)
				}
			}
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
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the logs leak %q:\n%s", s, logs.String())
		}
	}
	compareGolden(t, filepath.Join(dir, "expected.jsonl"), got)
}

func checkRequest(t *testing.T, run, n int, s step, r request) {
	t.Helper()
	if g := r.method + " " + r.host + r.path; g != s.Want {
		t.Errorf("run %d request %d: %s, want %s", run, n, g, s.Want)
	}
	if g := r.header.Get("User-Agent"); g != userAgent {
		t.Errorf("run %d request %d: User-Agent %q, want %q", run, n, g, userAgent)
	}
	if strings.HasPrefix(s.Want, "POST") {
		if !r.basic || r.user != clientID || r.pass != clientSecret {
			t.Errorf("run %d request %d: token request without the client's basic auth", run, n)
		}
		if r.form != "grant_type=client_credentials" {
			t.Errorf("run %d request %d: form %q", run, n, r.form)
		}
		return
	}
	if s.WantToken != "" {
		if g := r.header.Get("Authorization"); !strings.HasPrefix(g, "bearer ") || !strings.HasSuffix(g, s.WantToken) {
			t.Errorf("run %d request %d: Authorization %q, want bearer %s", run, n, g, s.WantToken)
		}
	}
	for k, want := range s.WantQuery {
		var g string
		if vs := r.query[k]; len(vs) > 0 {
			g = vs[0]
		}
		if g != want {
			t.Errorf("run %d request %d: %s = %q, want %q", run, n, k, g, want)
		}
	}
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
