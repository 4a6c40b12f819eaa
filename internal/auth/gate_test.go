package auth

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

func TestMain(m *testing.M) {
	bcryptCost = bcrypt.MinCost // tests hash many passwords
	os.Exit(m.Run())
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newUsers(t *testing.T) (*Users, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return &Users{Store: memstore.New(), SessionKey: []byte("test key"), SessionTTL: 8 * time.Hour, Now: c.now}, c
}

// echo answers with the request's user and scopes as JSON, or "anonymous".
func echo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := PrincipalFrom(r.Context())
		if !ok {
			w.Write([]byte("anonymous"))
			return
		}
		json.NewEncoder(w).Encode(p)
	})
}

type client struct {
	t   *testing.T
	srv *httptest.Server
	c   *http.Client
}

func newGateServer(t *testing.T, o GateOptions) *client {
	t.Helper()
	srv := httptest.NewServer(Gate(echo(), o))
	t.Cleanup(srv.Close)
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{t: t, srv: srv, c: c}
}

func (c *client) do(method, path string, header http.Header, form url.Values) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == CookieName {
			return ck
		}
	}
	return nil
}

func withCookie(ck *http.Cookie) http.Header {
	return http.Header{"Cookie": {CookieName + "=" + ck.Value}}
}
func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

var html = http.Header{"Accept": {"text/html,application/xhtml+xml"}}

func TestGateFreshInstall(t *testing.T) {
	users, _ := newUsers(t)
	c := newGateServer(t, GateOptions{Users: users, Public: DefaultPublic})
	if resp, body := c.do("GET", "/", html, nil); resp.StatusCode != 401 || !strings.Contains(body, "earshot user add NAME --role admin") {
		t.Errorf("page on a fresh install: %d %q; want 401 telling how to add the first admin", resp.StatusCode, body)
	}
	if resp, body := c.do("GET", "/api/posts", nil, nil); resp.StatusCode != 401 || !strings.Contains(body, `"error"`) || !strings.Contains(body, "earshot user add") {
		t.Errorf("API on a fresh install: %d %q; want a JSON 401 with the hint", resp.StatusCode, body)
	}
	if resp, body := c.do("GET", "/healthz", nil, nil); resp.StatusCode != 200 || body != "anonymous" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	// Once a user exists, the sign-in form replaces the hint.
	if err := users.Add(t.Context(), "ana", earshot.RoleAdmin, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if resp, body := c.do("GET", "/", html, nil); resp.StatusCode != 401 || !strings.Contains(body, `<form method="post" action="/signin">`) || strings.Contains(body, "no users yet") {
		t.Errorf("page with a user: %d %q; want the sign-in form", resp.StatusCode, body)
	}
}

func TestGateSessions(t *testing.T) {
	users, clk := newUsers(t)
	ctx := t.Context()
	if err := users.Add(ctx, "sam", earshot.RoleSupport, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	c := newGateServer(t, GateOptions{Users: users, Public: DefaultPublic, SignIn: NewLimiter(0.001, 20)})
	signIn := func(name, pw, next string) *http.Response {
		t.Helper()
		resp, _ := c.do("POST", SignInPath, nil, url.Values{"name": {name}, "password": {pw}, "next": {next}})
		return resp
	}
	if resp, body := c.do("GET", "/support", html, nil); resp.StatusCode != 401 || !strings.Contains(body, `name="password"`) {
		t.Fatalf("no session: %d %q; want the sign-in form", resp.StatusCode, body)
	}
	if resp := signIn("sam", "wrong password!", "/"); resp.StatusCode != 401 || sessionCookie(resp) != nil {
		t.Fatalf("wrong password: %d, cookie %v", resp.StatusCode, sessionCookie(resp))
	}
	resp := signIn("sam", "correct horse battery", "/support?x=1")
	ck := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/support?x=1" || ck == nil {
		t.Fatalf("sign-in: %d to %q, cookie %v", resp.StatusCode, resp.Header.Get("Location"), ck)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != int((8*time.Hour).Seconds()) || ck.Secure {
		t.Errorf("cookie %+v; want HttpOnly, SameSite=Lax, 8h, not Secure over plain HTTP", ck)
	}
	resp, body := c.do("GET", "/support", withCookie(ck), nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"name":"sam"`) || !strings.Contains(body, `"role":"support"`) {
		t.Fatalf("with the session: %d %q; want sam (support) in the context", resp.StatusCode, body)
	}
	if resp, _ := c.do("GET", "/", http.Header{"Cookie": {CookieName + "=forged"}}, nil); resp.StatusCode != 401 {
		t.Errorf("a forged cookie: %d, want 401", resp.StatusCode)
	}

	// Expiry: the session ends after its TTL.
	clk.t = clk.t.Add(8*time.Hour - time.Second)
	if resp, _ := c.do("GET", "/", withCookie(ck), nil); resp.StatusCode != 200 {
		t.Errorf("a second before expiry: %d", resp.StatusCode)
	}
	clk.t = clk.t.Add(time.Second)
	if resp, _ := c.do("GET", "/", withCookie(ck), nil); resp.StatusCode != 401 {
		t.Errorf("at expiry: %d, want 401", resp.StatusCode)
	}

	// A password change ends the sessions started before it.
	clk.t = clk.t.Add(time.Hour)
	ck = sessionCookie(signIn("sam", "correct horse battery", "/"))
	other := sessionCookie(signIn("sam", "correct horse battery", "/"))
	clk.t = clk.t.Add(time.Minute)
	if err := users.SetPassword(ctx, "sam", "a new long password"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []*http.Cookie{ck, other} {
		if resp, _ := c.do("GET", "/", withCookie(k), nil); resp.StatusCode != 401 {
			t.Errorf("after a password change: %d, want 401", resp.StatusCode)
		}
	}
	// The old password no longer signs in; the new one does.
	if resp := signIn("sam", "correct horse battery", "/"); resp.StatusCode != 401 {
		t.Errorf("old password after the change: %d", resp.StatusCode)
	}
	ck = sessionCookie(signIn("sam", "a new long password", "/"))
	other = sessionCookie(signIn("sam", "a new long password", "/"))
	if ck == nil || other == nil {
		t.Fatal("no session with the new password")
	}

	// Signing out ends that session (the cookie is cleared, and the old
	// value no longer works), not the others.
	resp, _ = c.do("POST", SignOutPath, withCookie(ck), nil)
	if resp.StatusCode != http.StatusSeeOther || sessionCookie(resp) == nil || sessionCookie(resp).MaxAge >= 0 {
		t.Errorf("sign-out: %d, cookie %+v; want a redirect clearing the cookie", resp.StatusCode, sessionCookie(resp))
	}
	if resp, _ := c.do("GET", "/", withCookie(ck), nil); resp.StatusCode != 401 {
		t.Errorf("after signing out: %d, want 401", resp.StatusCode)
	}
	if resp, _ := c.do("GET", "/", withCookie(other), nil); resp.StatusCode != 200 {
		t.Errorf("another session after signing out: %d, want 200", resp.StatusCode)
	}
	// GET /signout only shows a button.
	if resp, body := c.do("GET", SignOutPath, withCookie(other), nil); resp.StatusCode != 200 || !strings.Contains(body, `action="/signout"`) {
		t.Errorf("GET /signout: %d %q", resp.StatusCode, body)
	}
	if resp, _ := c.do("GET", "/", withCookie(other), nil); resp.StatusCode != 200 {
		t.Errorf("GET /signout ended the session: %d", resp.StatusCode)
	}
}

func TestGateSecureCookieBehindTLSProxy(t *testing.T) {
	users, _ := newUsers(t)
	if err := users.Add(t.Context(), "ana", earshot.RoleAdmin, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	c := newGateServer(t, GateOptions{Users: users})
	resp, _ := c.do("POST", SignInPath, http.Header{"X-Forwarded-Proto": {"https"}}, url.Values{"name": {"ana"}, "password": {"correct horse battery"}})
	if ck := sessionCookie(resp); ck == nil || !ck.Secure {
		t.Errorf("behind a TLS proxy: cookie %+v, want Secure", ck)
	}
}

func TestGateSignInRateLimit(t *testing.T) {
	users, _ := newUsers(t)
	if err := users.Add(t.Context(), "ana", earshot.RoleAdmin, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	c := newGateServer(t, GateOptions{Users: users, SignIn: NewLimiter(0.001, 2)})
	for i := range 2 {
		if resp, _ := c.do("POST", SignInPath, nil, url.Values{"name": {"ana"}, "password": {"guess"}}); resp.StatusCode != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	// The third attempt waits, even with the right password.
	resp, _ := c.do("POST", SignInPath, nil, url.Values{"name": {"ana"}, "password": {"correct horse battery"}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || sessionCookie(resp) != nil {
		t.Errorf("third attempt: %d, Retry-After %q; want 429 and no session", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Never a redirect off the server.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/ok\r\nX: y"} {
		if loc := localPath(next); loc != "/" {
			t.Errorf("localPath(%q) = %q", next, loc)
		}
	}
}

func TestGateTokensAndScopes(t *testing.T) {
	users, _ := newUsers(t)
	ctx := t.Context()
	for name, role := range map[string]earshot.Role{"sam": earshot.RoleSupport, "ana": earshot.RoleAdmin} {
		if err := users.Add(ctx, name, role, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := users.NewToken(ctx, "sam", "x", []earshot.TokenScope{earshot.ScopeIncidents}); err == nil || !strings.Contains(err.Error(), "support") {
		t.Errorf("a support user's token with scope incidents: %v, want refused naming the role", err)
	}
	readOnly, _, err := users.NewToken(ctx, "sam", "laptop", []earshot.TokenScope{earshot.ScopeRead})
	if err != nil {
		t.Fatal(err)
	}
	worker, tok, err := users.NewToken(ctx, "sam", "ci", []earshot.TokenScope{earshot.ScopeRead, earshot.ScopeQueue})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(worker, TokenPrefix) || tok.Hash == worker || strings.Contains(tok.Hash, worker) {
		t.Errorf("token %q stored as %q; want the prefix, and only a hash kept", worker, tok.Hash)
	}
	admin, _, err := users.NewToken(ctx, "ana", "ops", earshot.TokenScopes)
	if err != nil {
		t.Fatal(err)
	}
	c := newGateServer(t, GateOptions{Users: users, Public: DefaultPublic, ReadTokens: []string{"legacy-read"}, WriteTokens: []string{"legacy-write"},
		Writes: []string{"POST /api/v1/ingest", "POST /api/followups/{id}/move"}})
	for _, tc := range []struct {
		name, method, path, token string
		want                      int
		body                      string
	}{
		{"read token reads", "GET", "/api/posts", readOnly, 200, `"name":"sam"`},
		{"read token may not work the queue", "POST", "/api/followups/f1/move", readOnly, 403, "queue scope"},
		{"queue token works the queue", "POST", "/api/followups/f1/move", worker, 200, `"role":"support"`},
		{"queue token may not run incidents", "POST", "/api/incidents/i1/close", worker, 403, "incidents scope"},
		{"queue token may not administer", "POST", "/api/admin/erase", worker, 403, "admin scope"},
		{"admin token administers", "POST", "/api/admin/erase", admin, 200, `"role":"admin"`},
		{"unknown token", "GET", "/api/posts", TokenPrefix + "nope", 401, ""},
		{"no token", "GET", "/api/posts", "", 401, `"error"`},
		{"legacy read token", "GET", "/", "legacy-read", 200, `"name":"reader","role":"exec"`},
		{"legacy read token cannot write", "POST", "/api/silences", "legacy-read", 403, "admin scope"},
		{"legacy write token", "POST", "/api/silences", "legacy-write", 200, `"name":"token","role":"admin"`},
		{"ingest checks its own token", "POST", "/api/v1/ingest", "ingest-secret", 200, "anonymous"},
		{"health is public", "GET", "/healthz", "", 200, "anonymous"},
	} {
		var h http.Header
		if tc.token != "" {
			h = bearer(tc.token)
		}
		resp, body := c.do(tc.method, tc.path, h, nil)
		if resp.StatusCode != tc.want || !strings.Contains(body, tc.body) {
			t.Errorf("%s: %s %s = %d %q, want %d containing %q", tc.name, tc.method, tc.path, resp.StatusCode, body, tc.want, tc.body)
		}
		if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: 401 without WWW-Authenticate", tc.name)
		}
	}

	// A revoked token stops working; a user demoted loses the scopes the
	// new role does not allow.
	tok.RevokedAt = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if err := users.Store.SaveToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.do("GET", "/api/posts", bearer(worker), nil); resp.StatusCode != 401 {
		t.Errorf("revoked token: %d, want 401", resp.StatusCode)
	}
	a, _ := users.Store.Account(ctx, "ana")
	a.Role = earshot.RoleExec
	if err := users.Store.SaveAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.do("POST", "/api/admin/erase", bearer(admin), nil); resp.StatusCode != 403 {
		t.Errorf("admin token of a demoted user: %d, want 403", resp.StatusCode)
	}
}

func TestGateAutoUser(t *testing.T) {
	users, _ := newUsers(t)
	if err := users.Store.SaveAccount(t.Context(), earshot.Account{Name: "demo", Role: earshot.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	c := newGateServer(t, GateOptions{Users: users, AutoUser: "demo"})
	resp, body := c.do("GET", "/", html, nil)
	ck := sessionCookie(resp)
	if resp.StatusCode != 200 || !strings.Contains(body, `"name":"demo"`) || ck == nil {
		t.Fatalf("first visit: %d %q, cookie %v; want the page as demo and a session", resp.StatusCode, body, ck)
	}
	if resp, body := c.do("GET", "/", withCookie(ck), nil); resp.StatusCode != 200 || !strings.Contains(body, `"name":"demo"`) || sessionCookie(resp) != nil {
		t.Errorf("second visit: %d %q; want the same session, no new cookie", resp.StatusCode, body)
	}
	// A wrong token is refused, not taken for a visitor.
	if resp, _ := c.do("GET", "/api/x", bearer("wrong"), nil); resp.StatusCode != 401 {
		t.Errorf("a wrong token on the demo: %d, want 401", resp.StatusCode)
	}
	// The demo user has no password: it cannot be signed in as.
	if resp, _ := c.do("POST", SignInPath, nil, url.Values{"name": {"demo"}, "password": {""}}); resp.StatusCode != 401 {
		t.Errorf("signing in as the password-less demo user: %d, want 401", resp.StatusCode)
	}
}

func TestAllowRoles(t *testing.T) {
	h := RequireRole(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }), earshot.RoleAdmin, earshot.RoleSupport)
	for _, tc := range []struct {
		user *earshot.User
		want int
		body string
	}{
		{nil, 401, "sign in"},
		{&earshot.User{Name: "eve", Role: earshot.RoleExec}, 403, "needs the admin or support role; eve is exec"},
		{&earshot.User{Name: "sam", Role: earshot.RoleSupport}, 200, "ok"},
	} {
		r := httptest.NewRequest("POST", "/x", nil)
		if tc.user != nil {
			r = r.WithContext(WithUser(r.Context(), *tc.user))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.body) {
			t.Errorf("%v: %d %q, want %d containing %q", tc.user, w.Code, w.Body.String(), tc.want, tc.body)
		}
	}
}

func TestProtectRefusesCrossSitePosts(t *testing.T) {
	h, err := Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("done")) }), "https://trusted.example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Protect(h, "not an origin"); err == nil {
		t.Error("a bad trusted origin was accepted")
	}
	for _, tc := range []struct {
		name   string
		method string
		header map[string]string
		want   int
	}{
		{"cross-site form post", "POST", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403},
		{"old browser, foreign Origin", "POST", map[string]string{"Origin": "https://evil.example"}, 403},
		{"same-origin form post", "POST", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://earshot.test"}, 200},
		{"API client without browser headers", "POST", map[string]string{"Authorization": "Bearer x"}, 200},
		{"trusted origin", "POST", map[string]string{"Origin": "https://trusted.example", "Sec-Fetch-Site": "cross-site"}, 200},
		{"cross-site GET", "GET", map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
	} {
		r := httptest.NewRequest(tc.method, "http://earshot.test/api/followups/f/move", nil)
		for k, v := range tc.header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: %d %q, want %d", tc.name, w.Code, w.Body.String(), tc.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{"sam": true, "ana.o-b_c@acme": true, "zoë": true, "": false, "a b": false, "<x>": false, strings.Repeat("a", 65): false} {
		if err := CheckName(name); (err == nil) != ok {
			t.Errorf("CheckName(%q) = %v, want ok %v", name, err, ok)
		}
	}
	users, _ := newUsers(t)
	ctx := context.Background()
	if err := users.Add(ctx, "sam", earshot.RoleSupport, "short"); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Errorf("short password: %v", err)
	}
	if err := users.Add(ctx, "sam", earshot.RoleSupport, strings.Repeat("x", 73)); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("long password: %v", err)
	}
	if err := users.Add(ctx, "sam", earshot.RoleSupport, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if err := users.Add(ctx, "sam", earshot.RoleAdmin, "correct horse battery"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("adding sam twice: %v", err)
	}
	a, _ := users.Store.Account(ctx, "sam")
	if a.Role != earshot.RoleSupport || strings.Contains(a.PasswordHash, "horse") || !strings.HasPrefix(a.PasswordHash, "$2") {
		t.Errorf("stored account %+v: want the first role and a bcrypt hash", a)
	}
}

func TestRefusedIsNotAStoreFailure(t *testing.T) {
	users, _ := newUsers(t)
	ctx := t.Context()
	for _, err := range []error{
		users.Add(ctx, "a b", earshot.RoleAdmin, "correct horse battery"),
		users.Add(ctx, "ana", "boss", "correct horse battery"),
		users.Add(ctx, "ana", earshot.RoleAdmin, "short"),
	} {
		if !errors.Is(err, ErrRefused) {
			t.Errorf("%v: not ErrRefused", err)
		}
	}
	broken := &Users{Store: failingStore{memstore.New()}}
	if err := broken.Add(ctx, "ana", earshot.RoleAdmin, "correct horse battery"); err == nil || errors.Is(err, ErrRefused) {
		t.Errorf("a store failing: %v, want an error that is not ErrRefused", err)
	}
}

// failingStore is a store whose account writes fail.
type failingStore struct{ *memstore.Store }

func (failingStore) SaveAccount(context.Context, earshot.Account) error {
	return errors.New("disk full")
}
