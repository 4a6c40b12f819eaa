package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestTokensMatch(t *testing.T) {
	tok := NewTokens("alpha", "", "beta-longer-token")
	if tok.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (the empty token is ignored)", tok.Len())
	}
	for _, tc := range []struct {
		given string
		index int
		ok    bool
	}{
		{"alpha", 0, true},
		{"beta-longer-token", 1, true},
		{"alph", -1, false},
		{"alphaa", -1, false},
		{"", -1, false},
		{"ALPHA", -1, false},
	} {
		i, ok := tok.Match(tc.given)
		if i != tc.index || ok != tc.ok {
			t.Errorf("Match(%q) = %d, %v; want %d, %v", tc.given, i, ok, tc.index, tc.ok)
		}
	}
	if _, ok := (Tokens{}).Match("x"); ok {
		t.Error("an empty set matched")
	}
}

func TestBearer(t *testing.T) {
	for h, want := range map[string]string{
		"Bearer abc":   "abc",
		"Bearer  abc ": "abc",
		"bearer abc":   "",
		"Basic abc":    "",
		"Bearerabc":    "",
		"":             "",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", h)
		if got := Bearer(r); got != want {
			t.Errorf("Bearer(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(2, 3) // 2/s, bursts of 3
	l.now = func() time.Time { return now }
	for i := range 3 {
		if d := l.Wait("a"); d != 0 {
			t.Fatalf("request %d of the burst waits %s", i+1, d)
		}
	}
	if d := l.Wait("a"); d != 500*time.Millisecond {
		t.Errorf("fourth request waits %s, want 500ms", d)
	}
	if d := l.Wait("b"); d != 0 {
		t.Errorf("another key waits %s", d)
	}
	// A refused request is not counted: after 500ms exactly one more goes.
	now = now.Add(500 * time.Millisecond)
	if d := l.Wait("a"); d != 0 {
		t.Errorf("after 500ms: waits %s", d)
	}
	if d := l.Wait("a"); d == 0 {
		t.Error("after 500ms: two requests went")
	}

	w := httptest.NewRecorder()
	if l.Allow(w, "a") {
		t.Fatal("Allow let an over-limit request through")
	}
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Errorf("answer %d, Retry-After %q; want 429, 1", w.Code, w.Header().Get("Retry-After"))
	}
	var nilLimiter *Limiter
	if !nilLimiter.Allow(httptest.NewRecorder(), "a") || NewLimiter(0, 5) != nil {
		t.Error("no limit configured should allow everything")
	}
}

func TestLimiterBoundsKeys(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(1, 1)
	l.now = func() time.Time { return now }
	for i := range maxKeys + 10 {
		l.Wait(strings.Repeat("k", 1+i%50) + string(rune('a'+i%26)) + time.Duration(i).String())
	}
	if n := len(l.buckets); n > maxKeys {
		t.Errorf("%d buckets kept, want at most %d", n, maxKeys)
	}
}

func newReadServer(t *testing.T, o ReadOptions) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("page")) })
	mux.HandleFunc("/api/posts", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`[]`)) })
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("m 1")) })
	mux.HandleFunc("POST /api/v1/ingest", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ingest")) })
	srv := httptest.NewServer(RequireRead(mux, o))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, c *http.Client, method, u string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp, b.String()
}

func TestRequireRead(t *testing.T) {
	srv := newReadServer(t, ReadOptions{Tokens: []string{"reader-token"}, Public: DefaultPublic, Writes: []string{"POST /api/v1/ingest"}})
	c := srv.Client()
	bearer := http.Header{"Authorization": {"Bearer reader-token"}}
	wrong := http.Header{"Authorization": {"Bearer nope"}}
	html := http.Header{"Accept": {"text/html,application/xhtml+xml"}}
	for _, tc := range []struct {
		method, path string
		header       http.Header
		want         int
		body         string
	}{
		{"GET", "/", nil, 401, `"error"`},
		{"GET", "/", html, 401, `<form method="post" action="/signin">`},
		{"GET", "/api/posts", html, 401, `"error"`}, // an API path answers JSON
		{"GET", "/api/posts", wrong, 401, ""},
		{"HEAD", "/api/posts", nil, 401, ""},
		{"DELETE", "/api/posts", nil, 401, ""},
		{"POST", "/api/posts", nil, 401, ""}, // not a write route: reads need a token
		{"GET", "/api/posts", bearer, 200, "[]"},
		{"GET", "/", bearer, 200, "page"},
		{"GET", "/healthz", nil, 200, "ok"},
		{"GET", "/metrics", nil, 200, "m 1"},
		{"POST", "/api/v1/ingest", nil, 200, "ingest"}, // checks its own token
		{"GET", "/api/v1/ingest", nil, 401, ""},
		{"GET", "/signin", nil, 200, "read token"},
	} {
		resp, body := get(t, c, tc.method, srv.URL+tc.path, tc.header)
		if resp.StatusCode != tc.want || !strings.Contains(body, tc.body) {
			t.Errorf("%s %s: %d %q, want %d containing %q", tc.method, tc.path, resp.StatusCode, body, tc.want, tc.body)
		}
		if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s: 401 without WWW-Authenticate", tc.method, tc.path)
		}
	}

	closed := newReadServer(t, ReadOptions{Tokens: []string{"reader-token"}})
	for _, p := range []string{"/healthz", "/metrics"} {
		if resp, _ := get(t, closed.Client(), "GET", closed.URL+p, nil); resp.StatusCode != 401 {
			t.Errorf("with no public paths, GET %s = %d, want 401", p, resp.StatusCode)
		}
	}
	open := newReadServer(t, ReadOptions{})
	if resp, _ := get(t, open.Client(), "GET", open.URL+"/api/posts", nil); resp.StatusCode != 200 {
		t.Errorf("without read tokens, GET /api/posts = %d, want 200", resp.StatusCode)
	}
}

func TestSignInForm(t *testing.T) {
	srv := newReadServer(t, ReadOptions{Tokens: []string{"reader-token"}, SignIn: NewLimiter(0.001, 2)})
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(token, next string) *http.Response {
		t.Helper()
		resp, err := c.PostForm(srv.URL+SignInPath, url.Values{"token": {token}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	if resp := post("wrong", "/"); resp.StatusCode != 401 || len(resp.Cookies()) != 0 {
		t.Fatalf("wrong token: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	resp := post("reader-token", "/support?x=1")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/support?x=1" {
		t.Fatalf("sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == CookieName {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || strings.Contains(cookie.Value, "reader-token") {
		t.Fatalf("cookie = %+v; want HttpOnly, without the token", cookie)
	}
	page, body := get(t, c, "GET", srv.URL+"/api/posts", http.Header{"Cookie": {cookie.String()}})
	if page.StatusCode != 200 || body != "[]" {
		t.Errorf("with the cookie: %d %q", page.StatusCode, body)
	}
	forged, _ := get(t, c, "GET", srv.URL+"/api/posts", http.Header{"Cookie": {CookieName + "=" + strings.Repeat("0", 64)}})
	if forged.StatusCode != 401 {
		t.Errorf("a forged cookie: %d, want 401", forged.StatusCode)
	}

	// Never a redirect off the server.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		if loc := localPath(next); loc != "/" {
			t.Errorf("localPath(%q) = %q", next, loc)
		}
	}
	// Two attempts a client may make at once; the third waits.
	if resp := post("wrong", "/"); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third attempt: %d, Retry-After %q; want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestUserInContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := UserFrom(ctx); ok {
		t.Fatal("a user in an empty context")
	}
	want := earshot.User{Name: "sam", Role: earshot.RoleSupport}
	if got, ok := UserFrom(WithUser(ctx, want)); !ok || got != want {
		t.Errorf("UserFrom = %+v, %v", got, ok)
	}
}
