package collectortest

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Fuzz fuzzes the kind's decoding of its API's answers and of its cursor:
// every request the collector makes is answered 200 with the fuzzed body
// (and the suite's headers), and one Collect from the fuzzed cursor must
// neither panic nor hang, and whatever it
// returns must be sane: posts with an ID, a source and valid UTF-8. (A
// post may come twice: every page is the same answer here.)
// The seed corpus is every recorded answer under testdata (the
// response_* files of the golden cases, and any other file but case.yaml
// and expected.jsonl), with the cases' cursors; the config is the suite's laid under the first
// case's, so the collector is one the cases build.
func (s Suite) Fuzz(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*"))
	var cfg map[string]any
	cursors := []string{""}
	for _, name := range files {
		if filepath.Base(name) == "case.yaml" {
			tc := ReadCase(f, name)
			if cfg == nil {
				cfg = tc.Config
			}
			if tc.Cursor != "" {
				cursors = append(cursors, tc.Cursor)
			}
		}
	}
	for i, name := range files {
		switch filepath.Base(name) {
		case "case.yaml", "expected.jsonl":
			continue
		}
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, cursors[i%len(cursors)])
		}
	}
	for k, v := range s.Env {
		f.Setenv(k, v)
	}
	conf := maps.Clone(s.Config)
	if conf == nil {
		conf = map[string]any{}
	}
	maps.Copy(conf, cfg)
	// Every page is the same answer here: a few pages are enough.
	conf["max_pages"] = 2
	if s.Now.IsZero() {
		s.Now = DefaultNow
	}

	var mu sync.Mutex // one input at a time: the server answers with it
	var body []byte
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range s.Header {
			w.Header().Set(k, v)
		}
		_, _ = w.Write(body)
	})
	var srv *httptest.Server
	if s.TLS {
		srv = httptest.NewTLSServer(handler)
	} else {
		srv = httptest.NewServer(handler)
	}
	f.Cleanup(srv.Close)
	c, err := collectors.New(s.Kind, "fuzz", Node(f, conf), collectors.Deps{
		HTTP: Client(srv), Now: func() time.Time { return s.Now }, UserAgent: UserAgent,
	})
	if err != nil {
		f.Fatalf("New: %v", err)
	}

	f.Fuzz(func(t *testing.T, b []byte, cursor string) {
		mu.Lock()
		defer mu.Unlock()
		body = b
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		posts, _, err := c.Collect(ctx, cursor)
		if ctx.Err() != nil {
			t.Fatalf("Collect did not finish in 10s on this answer (err %v)", err)
		}
		if err != nil {
			return
		}
		checkPosts(t, posts)
	})
}

func checkPosts(t *testing.T, posts []earshot.Post) {
	t.Helper()
	for _, p := range posts {
		if p.ID == "" || strings.TrimSpace(p.Source) == "" {
			t.Errorf("post without an ID or a source: %+v", p)
		}
		for _, s := range []string{p.ID, p.Text, p.URL, p.Author.ID, p.Author.Handle, p.Author.Name} {
			if !utf8.ValidString(s) {
				t.Errorf("post %q: invalid UTF-8 in %q", p.ID, s)
			}
		}
	}
}
