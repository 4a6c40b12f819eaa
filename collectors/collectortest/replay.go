package collectortest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/earshot/earshot"
)

// Replay serves, for tests beyond a collector's own (end to end through
// the poller and the pipeline), the answers of run n (from 1) of the case
// in dir with the suite's TLS and Header, and returns a client that reaches
// the server whatever the URL's host. It checks nothing: each request gets
// the next exchange of the run made with its method and path, round and
// round, so that a second Collect from the cursor the first returned gets
// the same pages again.
func (s Suite) Replay(t testing.TB, dir string, n int) *http.Client {
	t.Helper()
	tc := ReadCase(t, filepath.Join(dir, "case.yaml"))
	if n < 1 || n > len(tc.Runs) {
		t.Fatalf("%s has no run %d", dir, n)
	}
	byPath := map[string][]Exchange{}
	for _, ex := range tc.Runs[n-1].Requests {
		key := ""
		if ex.Want != "" {
			method, target, _ := strings.Cut(ex.Want, " ")
			if !strings.HasPrefix(target, "/") {
				_, target, _ = strings.Cut(target, "/")
				target = "/" + target
			}
			target, _, _ = strings.Cut(target, "?")
			if unescaped, err := url.PathUnescape(target); err == nil {
				target = unescaped // the server matches decoded paths
			}
			key = method + " " + target
		}
		byPath[key] = append(byPath[key], ex)
	}
	var (
		mu   sync.Mutex
		next = map[string]int{}
	)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + r.URL.Path
		mu.Lock()
		if _, ok := byPath[key]; !ok {
			key = "" // a case whose requests name no path
		}
		exs := byPath[key]
		i := next[key]
		next[key]++
		mu.Unlock()
		if len(exs) == 0 {
			http.Error(w, "no exchange for "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		ex := exs[i%len(exs)]
		for k, v := range s.Header {
			w.Header().Set(k, v)
		}
		for k, v := range ex.Headers {
			w.Header().Set(k, v)
		}
		var body []byte
		if ex.Body != "" {
			b, err := os.ReadFile(filepath.Join(dir, ex.Body))
			if err != nil {
				t.Errorf("reading fixture: %v", err)
			}
			body = b
		}
		w.WriteHeader(cmp.Or(ex.Status, http.StatusOK))
		w.Write(body)
	})
	var srv *httptest.Server
	if s.TLS {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return Client(srv)
}

// Returned is a line of a golden file: a post a run returned, or the
// cursor it returned.
type Returned struct {
	Run    int
	Post   *earshot.Post
	Cursor *string
}

// ReadGolden reads an expected.jsonl of any Layout.
func ReadGolden(t testing.TB, path string) []Returned {
	t.Helper()
	var out []Returned
	for i, line := range bytes.Split(bytes.TrimSpace(ReadFile(t, path)), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(line, &fields); err != nil {
			t.Fatalf("%s line %d: %v", path, i+1, err)
		}
		var r Returned
		for _, key := range []string{"run", "step"} {
			if v, ok := fields[key]; ok {
				if err := json.Unmarshal(v, &r.Run); err != nil {
					t.Fatalf("%s line %d: %v", path, i+1, err)
				}
			}
		}
		post, isPost := fields["post"]
		if _, inline := fields["id"]; inline {
			post, isPost = line, true
		}
		switch {
		case fields["cursor"] != nil:
			var c string
			if err := json.Unmarshal(fields["cursor"], &c); err != nil {
				c = string(fields["cursor"]) // the cursor as JSON
			}
			r.Cursor = &c
		case isPost:
			r.Post = new(earshot.Post)
			if err := json.Unmarshal(post, r.Post); err != nil {
				t.Fatalf("%s line %d: %v", path, i+1, err)
			}
		}
		out = append(out, r)
	}
	return out
}
