package auth

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/httpjson"
)

// CookieName is the session cookie sign-in sets.
const CookieName = "earshot_session"

// Paths of signing in and out.
const (
	SignInPath  = "/signin"
	SignOutPath = "/signout"
)

// DefaultPublic are the paths open without a credential unless configured
// otherwise: the health and readiness checks and the metrics, for probes
// and scrapers.
var DefaultPublic = []string{"/healthz", "/readyz", "/metrics"}

// FirstAdminHint is what a fresh install without users or tokens says.
const FirstAdminHint = "Earshot has no users yet: create the first admin on the server with `earshot user add NAME --role admin`, then sign in at /signin"

// Users of the legacy configured tokens.
var (
	// WriteTokenUser is who a web.api_tokens token acts as.
	WriteTokenUser = earshot.User{Name: "token", Role: earshot.RoleAdmin}
	// ReadTokenUser is who a web.read_tokens token acts as.
	ReadTokenUser = earshot.User{Name: "reader", Role: earshot.RoleExec}
)

// GateOptions configure Gate.
type GateOptions struct {
	// Users are the local users, their tokens and sessions; nil: none.
	Users *Users
	// ReadTokens (web.read_tokens) read as ReadTokenUser; WriteTokens
	// (web.api_tokens) act as WriteTokenUser, with every scope.
	ReadTokens, WriteTokens []string
	// Public are exact paths served without a credential.
	Public []string
	// Writes are the patterns (http.ServeMux syntax, with a method: "POST
	// /api/v1/ingest") of the write routes that check a credential of their
	// own (ingest, webhooks). They are passed through without one; with a
	// session or user token, they get its user too.
	Writes []string
	// SignIn bounds sign-in attempts per client address and per user
	// name; nil: no bound.
	SignIn *Limiter
	// OIDC, when set, offers single sign-on on the sign-in form.
	OIDC *OIDC
	// AutoUser, when set, signs every visitor without a credential in as
	// this user (the demo): a browser gets a session cookie.
	AutoUser string
	// Log gets refused sign-ins at info and store failures at error; nil
	// discards.
	Log *slog.Logger
}

type gate struct {
	next        http.Handler
	users       *Users
	readTokens  Tokens
	writeTokens Tokens
	public      []string
	writes      *http.ServeMux
	signIn      *Limiter
	auto        string
	oidc        *OIDC
	log         *slog.Logger
}

// Gate wraps the whole server so that every page and API needs a
// credential, and every request that has one carries its user
// (UserFrom) and scopes (PrincipalFrom). A credential is the session
// cookie of /signin, or "Authorization: Bearer <token>" with a user's API
// token or a configured read or write token. Without one, a Public path or
// a write route (o.Writes) is passed through; anything else gets 401: the
// sign-in form for a browser, JSON for an API client. A token's request
// also needs the scope the request calls for (NeededScope): 403 without.
//
// Gate serves SignInPath and SignOutPath itself.
func Gate(next http.Handler, o GateOptions) http.Handler {
	g := &gate{next: next, users: o.Users, readTokens: NewTokens(o.ReadTokens...), writeTokens: NewTokens(o.WriteTokens...),
		public: o.Public, signIn: o.SignIn, auto: o.AutoUser, oidc: o.OIDC, log: o.Log, writes: http.NewServeMux()}
	for _, p := range o.Writes {
		g.writes.Handle(p, writeRoute{})
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	return g
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p: its user (UserFrom) and scopes.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(WithUser(ctx, p.User), principalKey{}, p)
}

// PrincipalFrom returns the user and scopes of the request's credential. A
// context given a user by WithUser alone carries its role's scopes.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	if p, ok := ctx.Value(principalKey{}).(Principal); ok {
		return p, true
	}
	if u, ok := UserFrom(ctx); ok {
		return Principal{User: u, Scopes: RoleScopes(u.Role)}, true
	}
	return Principal{}, false
}

// scopeRoutes are the path parts that say which scope a change needs.
var scopeRoutes = []struct {
	part  string
	scope earshot.TokenScope
}{
	{"/followups", earshot.ScopeQueue},
	{"/incidents", earshot.ScopeIncidents},
	{"/publications", earshot.ScopeIncidents},
}

// NeededScope is the scope a token needs for r: read for GET, HEAD and
// OPTIONS; for a change, queue under /followups, incidents under
// /incidents and /publications, admin for anything else.
func NeededScope(r *http.Request) earshot.TokenScope {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return earshot.ScopeRead
	}
	for _, sr := range scopeRoutes {
		if strings.Contains(r.URL.Path, sr.part) {
			return sr.scope
		}
	}
	return earshot.ScopeAdmin
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case SignInPath:
		g.serveSignIn(w, r)
		return
	case SignOutPath:
		g.serveSignOut(w, r)
		return
	case OIDCStartPath, OIDCCallbackPath:
		if g.oidc != nil && g.users != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			if r.URL.Path == OIDCStartPath {
				g.oidcStart(w, r)
			} else {
				g.oidcCallback(w, r)
			}
			return
		}
	}
	p, found, err := g.identify(r)
	if err != nil {
		g.log.Error("checking a credential", "err", err)
		httpjson.Error(w, http.StatusServiceUnavailable, "cannot check credentials now: the store is not answering")
		return
	}
	public := slices.Contains(g.public, r.URL.Path)
	switch {
	case found:
		// A token's scopes bound it everywhere but on public paths, the
		// write routes included.
		if need := NeededScope(r); !public && !p.Can(need) {
			httpjson.Error(w, http.StatusForbidden, "this token lacks the "+string(need)+" scope")
			return
		}
		g.next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	case public || g.isWrite(r):
		g.next.ServeHTTP(w, r)
	case g.auto != "" && Bearer(r) == "":
		// A wrong token is refused, not taken for a visitor: a client
		// that sends one expects it to be checked.
		g.serveAuto(w, r)
	default:
		g.refuse(w, r)
	}
}

// identify returns the principal of r's credential. A bearer token that
// is no user's and no configured one is not found (a write route's own
// token, or a wrong one).
func (g *gate) identify(r *http.Request) (Principal, bool, error) {
	if tok := Bearer(r); tok != "" {
		if _, ok := g.writeTokens.Match(tok); ok {
			return Principal{User: WriteTokenUser, Scopes: earshot.TokenScopes}, true, nil
		}
		if _, ok := g.readTokens.Match(tok); ok {
			return Principal{User: ReadTokenUser, Scopes: []earshot.TokenScope{earshot.ScopeRead}}, true, nil
		}
		if g.users == nil {
			return Principal{}, false, nil
		}
		return g.users.Token(r.Context(), tok)
	}
	c, err := r.Cookie(CookieName)
	if err != nil || g.users == nil {
		return Principal{}, false, nil
	}
	u, ok, err := g.users.Session(r.Context(), c.Value)
	if !ok || err != nil {
		return Principal{}, false, err
	}
	return Principal{User: u, Scopes: RoleScopes(u.Role)}, true, nil
}

// isWrite reports whether r is for one of the write routes.
func (g *gate) isWrite(r *http.Request) bool {
	h, _ := g.writes.Handler(r)
	return h == http.Handler(writeRoute{}) // not a 404, 405 or redirect
}

// writeRoute marks the write routes in gate.writes.
type writeRoute struct{}

func (writeRoute) ServeHTTP(http.ResponseWriter, *http.Request) {}

// fresh reports whether nobody can sign in yet: no configured token and no
// user.
func (g *gate) fresh(ctx context.Context) bool {
	if g.readTokens.Len() > 0 || g.writeTokens.Len() > 0 {
		return false
	}
	if g.users == nil {
		return true
	}
	as, err := g.users.Store.Accounts(ctx)
	return err == nil && len(as) == 0
}

func wantsHTML(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// refuse answers a request without a credential: 401, the sign-in form
// for a browser, JSON for an API client; on a fresh install, how to create
// the first admin.
func (g *gate) refuse(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
	w.Header().Set("Cache-Control", "no-store")
	fresh := g.fresh(r.Context())
	if !wantsHTML(r) {
		msg := "sign in at /signin, or send Authorization: Bearer <token> (earshot user token NAME --scopes read)"
		if fresh {
			msg = FirstAdminHint
		}
		httpjson.Error(w, http.StatusUnauthorized, msg)
		return
	}
	if fresh {
		g.page(w, r, http.StatusUnauthorized, setupPage, nil)
		return
	}
	g.form(w, r, http.StatusUnauthorized, r.URL.RequestURI(), "")
}

// serveAuto signs a visitor without a credential in as the automatic user.
func (g *gate) serveAuto(w http.ResponseWriter, r *http.Request) {
	a, err := g.users.Store.Account(r.Context(), g.auto)
	if err != nil {
		g.log.Error("signing in the automatic user", "user", g.auto, "err", err)
		httpjson.Error(w, http.StatusServiceUnavailable, "cannot sign in the demo user: "+err.Error())
		return
	}
	if wantsHTML(r) {
		secret, s, err := g.users.StartSession(r.Context(), a.Name)
		if err != nil {
			g.log.Error("starting a session", "err", err)
			httpjson.Error(w, http.StatusServiceUnavailable, "cannot start a session now: the store is not answering")
			return
		}
		g.setCookie(w, r, secret, int(s.ExpiresAt.Sub(s.CreatedAt).Seconds()))
	}
	p := Principal{User: a.User(), Scopes: RoleScopes(a.Role)}
	g.next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
}

func (g *gate) setCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
	})
}

func (g *gate) serveSignIn(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		g.form(w, r, http.StatusOK, r.URL.Query().Get("next"), "")
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		httpjson.Error(w, http.StatusMethodNotAllowed, "use GET or POST")
		return
	}
	if !g.signIn.Allow(w, "signin:"+clientIP(r)) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		httpjson.Error(w, http.StatusBadRequest, "reading the form: "+err.Error())
		return
	}
	name, password, next := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("password"), r.PostForm.Get("next")
	if g.users == nil {
		g.form(w, r, http.StatusUnauthorized, next, "This server has no users: sign-in is off.")
		return
	}
	if !g.signIn.Allow(w, "signin-user:"+name) {
		return
	}
	secret, s, err := g.users.SignIn(r.Context(), name, password)
	if errors.Is(err, ErrBadCredentials) {
		g.log.Info("sign-in refused", "remote", clientIP(r))
		g.form(w, r, http.StatusUnauthorized, next, "Wrong user name or password.")
		return
	}
	if err != nil {
		g.log.Error("signing in", "err", err)
		g.form(w, r, http.StatusServiceUnavailable, next, "Signing in failed: the store is not answering. Try again in a moment.")
		return
	}
	g.setCookie(w, r, secret, int(s.ExpiresAt.Sub(s.CreatedAt).Seconds()))
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

// serveSignOut ends the session on POST; GET shows a button that does.
func (g *gate) serveSignOut(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		g.page(w, r, http.StatusOK, signOutPage, nil)
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		httpjson.Error(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if c, err := r.Cookie(CookieName); err == nil && g.users != nil {
		if err := g.users.SignOut(r.Context(), c.Value); err != nil {
			g.log.Error("signing out", "err", err)
			httpjson.Error(w, http.StatusServiceUnavailable, "signing out failed: the store is not answering; try again")
			return
		}
	}
	g.setCookie(w, r, "", -1)
	http.Redirect(w, r, SignInPath, http.StatusSeeOther)
}

// localPath returns p when it is a path on this server, else "/": the
// form never redirects elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

const pageHead = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{block "title" .}}Sign in{{end}} · Earshot</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}input{font:inherit;width:100%;margin:.2rem 0;padding:.4rem;box-sizing:border-box}input[type=submit]{width:auto;padding:.4rem 1.2rem}p.err{color:#b00}code{background:#eee;padding:.1rem .3rem}</style>
</head><body>
<h1>Earshot</h1>
`

var formPage = template.Must(template.New("signin").Parse(pageHead + `
<p>Sign in to see the dashboard.</p>
{{if .Err}}<p class="err" role="alert">{{.Err}}</p>{{end}}
<form method="post" action="/signin">
<input type="hidden" name="next" value="{{.Next}}">
<label>User name <input name="name" autocomplete="username" autofocus required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<input type="submit" value="Sign in">
</form>
{{if .SSO}}<p><a href="/signin/oidc?next={{.Next}}">Sign in with single sign-on</a></p>{{end}}
</body></html>
`))

var setupPage = template.Must(template.New("setup").Parse(pageHead + `
<p>Earshot has no users yet.</p>
<p>Create the first admin on the server, with the same configuration this server runs with:</p>
<p><code>earshot user add NAME --role admin</code></p>
<p>It asks for a password. Then <a href="/signin">sign in</a>.</p>
</body></html>
`))

var signOutPage = template.Must(template.New("signout").Parse(pageHead + `
<form method="post" action="/signout"><input type="submit" value="Sign out"></form>
</body></html>
`))

func (g *gate) form(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	g.page(w, r, status, formPage, struct {
		Next, Err string
		SSO       bool
	}{localPath(next), msg, g.oidc != nil})
}

func (g *gate) page(w http.ResponseWriter, r *http.Request, status int, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	_ = t.Execute(w, data)
}
