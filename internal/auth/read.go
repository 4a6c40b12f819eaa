package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/internal/httpjson"
)

// CookieName is the cookie the sign-in form sets.
const CookieName = "earshot_read"

// Paths of the sign-in form.
const (
	SignInPath  = "/signin"
	SignOutPath = "/signout"
)

// DefaultPublic are the paths open without a credential unless configured
// otherwise: the health check and the metrics, for probes and scrapers.
var DefaultPublic = []string{"/healthz", "/metrics"}

// ReadOptions configure RequireRead.
type ReadOptions struct {
	// Tokens are the credentials that may read: web.read_tokens, and the
	// dashboard's write tokens (a writer may read). Empty tokens are
	// ignored; with none, RequireRead lets everything through.
	Tokens []string
	// Public are exact paths served without a credential.
	Public []string
	// Writes are the patterns (http.ServeMux syntax, with a method: "POST
	// /api/v1/ingest") of the write routes, which check their own write
	// credential and are passed through.
	Writes []string
	// SignIn bounds sign-in attempts per client address; nil: no bound.
	SignIn *Limiter
	// Log gets failed sign-ins at info; nil discards.
	Log *slog.Logger
}

type reader struct {
	next    http.Handler
	tokens  Tokens
	cookies Tokens // the cookie value of each token
	public  []string
	writes  *http.ServeMux
	signIn  *Limiter
	log     *slog.Logger
}

// RequireRead wraps the whole server so that reading needs a credential:
// every request, except to a Public path or a write route (o.Writes: they
// check their own write credential), is answered 401 unless it carries
// "Authorization: Bearer <token>" with one of o.Tokens, or the cookie the
// sign-in form at /signin sets. An API path (/api/...) or a client not
// asking for HTML gets a JSON 401; a browser gets the sign-in form, with
// 401.
//
// This is the one place the read check lives, so that sessions of users
// can be added here later.
func RequireRead(next http.Handler, o ReadOptions) http.Handler {
	rd := &reader{next: next, tokens: NewTokens(o.Tokens...), public: o.Public, signIn: o.SignIn, log: o.Log}
	if rd.tokens.Len() == 0 {
		return next
	}
	var cookies []string
	for _, t := range o.Tokens {
		if t != "" {
			cookies = append(cookies, cookieValue(t))
		}
	}
	rd.cookies = NewTokens(cookies...)
	rd.writes = http.NewServeMux()
	for _, p := range o.Writes {
		rd.writes.Handle(p, writeRoute{})
	}
	if rd.log == nil {
		rd.log = slog.New(slog.DiscardHandler)
	}
	return rd
}

// cookieValue is what the cookie holds for token: a hash of it, so that
// the cookie never carries the token itself (which may be used elsewhere).
func cookieValue(token string) string {
	sum := sha256.Sum256([]byte("earshot read cookie\x00" + token))
	return hex.EncodeToString(sum[:])
}

func (rd *reader) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case SignInPath:
		rd.serveSignIn(w, r)
		return
	case SignOutPath:
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, SignInPath, http.StatusSeeOther)
		return
	}
	if slices.Contains(rd.public, r.URL.Path) || rd.isWrite(r) || rd.allowed(r) {
		rd.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/api/") || !strings.Contains(r.Header.Get("Accept"), "text/html") {
		httpjson.Error(w, http.StatusUnauthorized, "reading needs Authorization: Bearer <token> with a read token (web.read_tokens)")
		return
	}
	rd.form(w, r, http.StatusUnauthorized, r.URL.RequestURI(), "")
}

// isWrite reports whether r is for one of the write routes.
func (rd *reader) isWrite(r *http.Request) bool {
	h, _ := rd.writes.Handler(r)
	return h == http.Handler(writeRoute{}) // not a 404, 405 or redirect
}

// writeRoute marks the write routes in reader.writes.
type writeRoute struct{}

func (writeRoute) ServeHTTP(http.ResponseWriter, *http.Request) {}

// allowed reports whether r carries a read credential.
func (rd *reader) allowed(r *http.Request) bool {
	if tok := Bearer(r); tok != "" {
		_, ok := rd.tokens.Match(tok)
		return ok
	}
	if c, err := r.Cookie(CookieName); err == nil {
		_, ok := rd.cookies.Match(c.Value)
		return ok
	}
	return false
}

func (rd *reader) serveSignIn(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		rd.form(w, r, http.StatusOK, r.URL.Query().Get("next"), "")
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		httpjson.Error(w, http.StatusMethodNotAllowed, "use GET or POST")
		return
	}
	if !rd.signIn.Allow(w, "signin:"+clientIP(r)) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		httpjson.Error(w, http.StatusBadRequest, "reading the form: "+err.Error())
		return
	}
	token := strings.TrimSpace(r.PostForm.Get("token"))
	next := r.PostForm.Get("next")
	if _, ok := rd.tokens.Match(token); !ok {
		rd.log.Info("sign-in refused", "remote", clientIP(r))
		rd.form(w, r, http.StatusUnauthorized, next, "That token is not a read token.")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: cookieValue(token), Path: "/",
		MaxAge: int((30 * 24 * time.Hour).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
	})
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
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

var formPage = template.Must(template.New("signin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign in · Earshot</title>
<style>body{font:16px system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}input{font:inherit;width:100%;margin:.5rem 0;padding:.4rem;box-sizing:border-box}p.err{color:#b00}</style>
</head><body>
<h1>Earshot</h1>
<p>This dashboard needs a read token.</p>
{{if .Err}}<p class="err">{{.Err}}</p>{{end}}
<form method="post" action="/signin">
<input type="hidden" name="next" value="{{.Next}}">
<label>Token <input type="password" name="token" autocomplete="current-password" autofocus required></label>
<input type="submit" value="Sign in">
</form>
</body></html>
`))

func (rd *reader) form(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	_ = formPage.Execute(w, struct{ Next, Err string }{localPath(next), msg})
}
