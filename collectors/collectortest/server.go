package collectortest

import (
	"cmp"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Request is a request the replay server took, with the exchange that
// answered it.
type Request struct {
	// Run and N number the run and the request within it, from 1.
	Run, N   int
	Method   string
	Host     string
	URL      *url.URL
	Header   http.Header
	Body     []byte
	Exchange Exchange
}

// Errorf reports a failed check of r, naming it.
func (r *Request) Errorf(t testing.TB, format string, args ...any) {
	t.Helper()
	t.Errorf("run %d request %d (%s %s%s): %s", r.Run, r.N, r.Method, r.Host, r.URL.Path, fmt.Sprintf(format, args...))
}

// server replays one case: each run's exchanges, in order, and nothing
// more.
type server struct {
	t       testing.TB
	dir     string
	suite   *Suite
	srv     *httptest.Server
	mu      sync.Mutex
	run     int
	made    int
	pending []Exchange
}

func newServer(t testing.TB, dir string, s *Suite) *server {
	sv := &server{t: t, dir: dir, suite: s}
	if s.TLS {
		sv.srv = httptest.NewTLSServer(sv)
	} else {
		sv.srv = httptest.NewServer(sv)
	}
	t.Cleanup(sv.srv.Close)
	return sv
}

// expect sets the exchanges of run n.
func (sv *server) expect(n int, exs []Exchange) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.run, sv.made, sv.pending = n, 0, exs
}

// finish reports the exchanges of the run that were not asked for.
func (sv *server) finish() {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if len(sv.pending) > 0 {
		sv.t.Errorf("run %d: %d requests not made, the first %q", sv.run, len(sv.pending), sv.pending[0].Want)
	}
	sv.pending = nil
}

func (sv *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := sv.t
	body, _ := io.ReadAll(r.Body)
	sv.mu.Lock()
	if len(sv.pending) == 0 {
		run := sv.run
		sv.mu.Unlock()
		t.Errorf("run %d: unexpected request %s %s%s", run, r.Method, r.Host, r.URL)
		http.Error(w, "no more exchanges", http.StatusTeapot)
		return
	}
	ex := sv.pending[0]
	sv.pending = sv.pending[1:]
	sv.made++
	req := &Request{Run: sv.run, N: sv.made, Method: r.Method, Host: r.Host, URL: r.URL,
		Header: r.Header.Clone(), Body: body, Exchange: ex}
	sv.mu.Unlock()

	sv.check(req)
	if sv.suite.Check != nil {
		sv.suite.Check(t, req)
	}
	for k, v := range sv.suite.Header {
		w.Header().Set(k, v)
	}
	for k, v := range ex.Headers {
		w.Header().Set(k, v)
	}
	var out []byte
	if ex.Body != "" {
		b, err := os.ReadFile(filepath.Join(sv.dir, ex.Body))
		if err != nil {
			t.Errorf("reading fixture: %v", err)
		}
		out = b
	}
	w.WriteHeader(cmp.Or(ex.Status, http.StatusOK))
	w.Write(out)
}

// check checks r against its exchange's wants.
func (sv *server) check(r *Request) {
	t, ex := sv.t, r.Exchange
	if ex.Want != "" {
		if got, want := requestLine(r, ex.Want, sv.suite.WantPathOnly); got != want {
			r.Errorf(t, "request %s, want %s", got, want)
		}
	}
	q := r.URL.Query()
	for k, v := range ex.WantQuery {
		if g := q.Get(k); g != v {
			r.Errorf(t, "%s = %q, want %q", k, g, v)
		}
	}
	for k, v := range ex.WantHeaders {
		if g := r.Header.Get(k); g != v {
			r.Errorf(t, "header %s = %q, want %q", k, g, v)
		}
	}
	if ex.WantBody != "" && !strings.Contains(string(r.Body), ex.WantBody) {
		r.Errorf(t, "body %s does not contain %s", r.Body, ex.WantBody)
	}
	if ex.WantToken != "" {
		g := r.Header.Get("Authorization")
		if len(g) < 7 || !strings.EqualFold(g[:7], "bearer ") || !strings.HasSuffix(g, ex.WantToken) {
			r.Errorf(t, "Authorization %q, want bearer …%s", g, ex.WantToken)
		}
	}
}

// requestLine returns r and want in one form, for comparing: method,
// host if want names one, path, and the query in a canonical order (unless
// pathOnly).
func requestLine(r *Request, want string, pathOnly bool) (got, canonical string) {
	method, target, _ := strings.Cut(want, " ")
	host := ""
	if !strings.HasPrefix(target, "/") {
		host, target, _ = strings.Cut(target, "/")
		target = "/" + target
	}
	wu, err := url.Parse(target)
	if err != nil {
		return "", want + " (" + err.Error() + ")"
	}
	line := func(method, host string, u *url.URL) string {
		s := method + " "
		if host != "" {
			s += host
		}
		s += u.EscapedPath()
		if q := u.Query(); len(q) > 0 && !pathOnly {
			s += "?" + q.Encode()
		}
		return s
	}
	gotHost := ""
	if host != "" {
		gotHost = r.Host
	}
	return line(r.Method, gotHost, r.URL), line(method, host, wu)
}

// Client returns a client that sends every request to srv, whatever the
// URL's host, so that nothing leaves the machine and post URLs do not
// depend on a port. For a TLS server it trusts srv's certificate for any
// host name.
func Client(srv *httptest.Server) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	if srv.TLS != nil {
		tr.TLSClientConfig = tr.TLSClientConfig.Clone()
		tr.TLSClientConfig.ServerName = "example.com" // in httptest's certificate
		tr.TLSClientConfig.MinVersion = tls.VersionTLS12
	}
	return &http.Client{Transport: tr}
}
