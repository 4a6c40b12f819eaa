package collectortest

import (
	"bytes"
	"errors"
	"flag"
	"log/slog"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

var update = flag.Bool("update", false, "rewrite the expected.jsonl goldens from the collector's output")

// DefaultNow is the clock of a run at 0 unless a suite names another:
// Unix 1748865600.
var DefaultNow = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// UserAgent is the Deps.UserAgent of every collector a suite builds.
const UserAgent = "earshot-test"

// Suite runs the golden cases of one collector kind, testdata/*/case.yaml.
// The fields are the collector's own part; the zero value of each does
// without.
type Suite struct {
	// Kind is the registered kind the collectors are built of.
	Kind string
	// Config holds the config keys every case starts from.
	Config map[string]any
	// Env is set for the cases: credentials given as "env:NAME".
	Env map[string]string
	// Now is the clock of a run at 0; default DefaultNow.
	Now time.Time
	// Secrets must never show in an error, a log line or a cursor.
	Secrets []string
	// TLS serves the cases over HTTPS, for clients that insist on it.
	TLS bool
	// Header holds response headers every answer carries (an exchange's
	// own headers override them).
	Header map[string]string
	// WantPathOnly makes an exchange's want check method, host and path
	// only; the query is left to want_query.
	WantPathOnly bool
	// Repeats lets a later run return a post again (an edited item comes
	// again under its ID, for the store to keep the latest version).
	Repeats bool
	// Check checks what every request of the kind must carry.
	Check func(t testing.TB, r *Request)
	// Layout is how expected.jsonl lays out what the runs returned.
	Layout Layout
}

// Run runs every case of testdata as a subtest.
func (s Suite) Run(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no cases in testdata")
	}
	for k, v := range s.Env {
		t.Setenv(k, v)
	}
	if s.Now.IsZero() {
		s.Now = DefaultNow
	}
	for _, f := range files {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) { s.RunCase(t, dir) })
	}
}

// RunCase runs the case in dir.
func (s Suite) RunCase(t *testing.T, dir string) {
	if s.Now.IsZero() {
		s.Now = DefaultNow
	}
	tc := ReadCase(t, filepath.Join(dir, "case.yaml"))
	srv := newServer(t, dir, &s)
	client := Client(srv.srv)

	cfg := maps.Clone(s.Config)
	if cfg == nil {
		cfg = map[string]any{}
	}
	maps.Copy(cfg, tc.Config)
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	now := s.Now
	build := func() earshot.Collector {
		c, err := collectors.New(s.Kind, filepath.Base(dir), Node(t, cfg), collectors.Deps{
			HTTP:      client,
			Log:       log,
			Now:       func() time.Time { return now },
			UserAgent: UserAgent,
		})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return c
	}
	secrets := append(append([]string(nil), s.Secrets...), tc.Secrets...)

	c := build()
	var golden bytes.Buffer
	returned := map[string]int{} // post ID → the run that returned it
	cursor := tc.Cursor
	for i, run := range tc.Runs {
		n := i + 1
		now = s.Now.Add(run.At)
		if run.Restart {
			c = build()
		}
		srv.expect(n, run.Requests)
		posts, next, err := c.Collect(t.Context(), cursor)
		srv.finish()
		checkErr(t, n, run, err, secrets)
		if err != nil {
			if len(posts) != 0 || next != cursor {
				t.Errorf("run %d: %d posts and a new cursor with an error", n, len(posts))
			}
			continue // the caller keeps its cursor
		}
		inRun := map[string]bool{}
		for _, p := range posts {
			if inRun[p.ID] {
				t.Errorf("run %d: post %s returned twice", n, p.ID)
			}
			inRun[p.ID] = true
			if prev, dup := returned[p.ID]; dup && !s.Repeats {
				t.Errorf("run %d: %s again, first returned by run %d", n, p.ID, prev)
			}
			returned[p.ID] = n
		}
		if run.WantCursor != nil && next != *run.WantCursor {
			t.Errorf("run %d: cursor\n got: %s\nwant: %s", n, next, *run.WantCursor)
		}
		for _, sec := range secrets {
			if strings.Contains(next, sec) {
				t.Errorf("run %d: the cursor holds the secret %q: %s", n, sec, next)
			}
		}
		s.Layout.write(t, &golden, n, posts, next)
		cursor = next
	}
	for _, sec := range secrets {
		if strings.Contains(logs.String(), sec) {
			t.Errorf("the logs leak %q:\n%s", sec, logs.String())
		}
	}
	CompareGolden(t, filepath.Join(dir, "expected.jsonl"), golden.Bytes())
}

// sentinels are the errors a run's want_is names.
var sentinels = map[string]error{
	"not_modified": earshot.ErrNotModified,
	"rate_limited": earshot.ErrRateLimited,
	"unauthorized": collectors.ErrUnauthorized,
}

func checkErr(t *testing.T, n int, run Run, err error, secrets []string) {
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
	msg := err.Error()
	if !strings.Contains(msg, run.WantError) {
		t.Errorf("run %d: error %q does not contain %q", n, msg, run.WantError)
	}
	if run.WantErrorExcludes != "" && strings.Contains(msg, run.WantErrorExcludes) {
		t.Errorf("run %d: error %q leaks %q", n, msg, run.WantErrorExcludes)
	}
	for _, sec := range secrets {
		if strings.Contains(msg, sec) {
			t.Errorf("run %d: error %q leaks the secret %q", n, msg, sec)
		}
	}
	if _, known := sentinels[run.WantIs]; run.WantIs != "" && !known {
		t.Errorf("run %d: unknown want_is %q", n, run.WantIs)
	}
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
