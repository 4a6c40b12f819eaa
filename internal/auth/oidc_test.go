package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/earshot/earshot"
)

// provider is an OpenID Connect provider for tests: discovery, keys, and a
// token endpoint answering the code "good-code" with an ID token of the
// claims the test sets, signed with key (or with another key, forged).
type provider struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	forged bool
	claims map[string]any
}

func newProvider(t *testing.T) *provider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{t: t, key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
			"jwks_uri": p.srv.URL + "/keys", "response_types_supported": []string{"code"},
			"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		id, secret, _ := r.BasicAuth()
		if r.FormValue("grant_type") != "authorization_code" || r.FormValue("code") != "good-code" || id != "earshot" || secret != "client-secret" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_grant"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": p.idToken()})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) idToken() string {
	key := p.key
	if p.forged {
		key, _ = rsa.GenerateKey(rand.Reader, 2048)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		p.t.Fatal(err)
	}
	now := time.Now()
	claims := map[string]any{"iss": p.srv.URL, "aud": "earshot", "sub": "u-1", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	for k, v := range p.claims {
		claims[k] = v
	}
	b, _ := json.Marshal(claims)
	jws, err := signer.Sign(b)
	if err != nil {
		p.t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		p.t.Fatal(err)
	}
	return s
}

func TestOIDCSignIn(t *testing.T) {
	prov := newProvider(t)
	users, _ := newUsers(t)
	users.Now = nil // ID tokens carry the real time
	if err := users.Add(t.Context(), "ana@acme.example", earshot.RoleComms, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	sso, err := NewOIDC(OIDCConfig{Issuer: prov.srv.URL, ClientID: "earshot", ClientSecret: "client-secret", RedirectURL: "set below"})
	if err != nil {
		t.Fatal(err)
	}
	c := newGateServer(t, GateOptions{Users: users, OIDC: sso})
	sso.c.RedirectURL = c.srv.URL + OIDCCallbackPath
	if _, err := NewOIDC(OIDCConfig{Issuer: prov.srv.URL}); err == nil {
		t.Error("single sign-on without a client ID was accepted")
	}

	if _, body := c.do("GET", SignInPath, nil, nil); !strings.Contains(body, `href="/signin/oidc?next=%2f"`) {
		t.Errorf("the sign-in form offers no single sign-on: %q", body)
	}
	// start sends the browser to the provider and returns the state and
	// nonce it was sent with, and the cookie that remembers them.
	start := func() (state, nonce string, ck *http.Cookie) {
		t.Helper()
		resp, _ := c.do("GET", OIDCStartPath+"?next=/support", nil, nil)
		loc, err := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), prov.srv.URL+"/authorize?") {
			t.Fatalf("start: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		q := loc.Query()
		if q.Get("client_id") != "earshot" || q.Get("redirect_uri") != sso.c.RedirectURL || !strings.Contains(q.Get("scope"), "openid") {
			t.Errorf("authorize request %v", q)
		}
		for _, k := range resp.Cookies() {
			if k.Name == oidcCookie {
				ck = k
			}
		}
		if ck == nil || !ck.HttpOnly {
			t.Fatalf("start set no HttpOnly state cookie: %v", resp.Cookies())
		}
		return q.Get("state"), q.Get("nonce"), ck
	}
	callback := func(state, code string, ck *http.Cookie) (*http.Response, string) {
		t.Helper()
		var h http.Header
		if ck != nil {
			h = http.Header{"Cookie": {ck.Name + "=" + ck.Value}}
		}
		return c.do("GET", OIDCCallbackPath+"?"+url.Values{"state": {state}, "code": {code}}.Encode(), h, nil)
	}

	state, nonce, ck := start()
	prov.claims = map[string]any{"email": "ana@acme.example", "email_verified": true, "nonce": nonce}
	resp, _ := callback(state, "good-code", ck)
	session := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/support" || session == nil {
		t.Fatalf("callback: %d to %q, session %v", resp.StatusCode, resp.Header.Get("Location"), session)
	}
	if resp, body := c.do("GET", "/support", withCookie(session), nil); resp.StatusCode != 200 || !strings.Contains(body, `"name":"ana@acme.example","role":"comms"`) {
		t.Errorf("with the single sign-on session: %d %q", resp.StatusCode, body)
	}

	for _, tc := range []struct {
		name   string
		claims func(nonce string) map[string]any
		forged bool
		mangle func(state string, ck *http.Cookie) (string, string, *http.Cookie)
		want   int
		msg    string
	}{
		{"another browser's state", func(n string) map[string]any { return map[string]any{"email": "ana@acme.example", "nonce": n} }, false,
			func(s string, ck *http.Cookie) (string, string, *http.Cookie) { return "other-state", "good-code", ck }, 400, "not for this browser"},
		{"no state cookie", func(n string) map[string]any { return map[string]any{"email": "ana@acme.example", "nonce": n} }, false,
			func(s string, ck *http.Cookie) (string, string, *http.Cookie) { return s, "good-code", nil }, 400, "not for this browser"},
		{"a code the provider refuses", func(n string) map[string]any { return map[string]any{"email": "ana@acme.example", "nonce": n} }, false,
			func(s string, ck *http.Cookie) (string, string, *http.Cookie) { return s, "bad-code", ck }, 502, "did not confirm"},
		{"a replayed nonce", func(n string) map[string]any { return map[string]any{"email": "ana@acme.example", "nonce": "old"} }, false,
			nil, 401, "did not check out"},
		{"a token signed by another key", func(n string) map[string]any { return map[string]any{"email": "ana@acme.example", "nonce": n} }, true,
			nil, 401, "did not check out"},
		{"an unverified email", func(n string) map[string]any {
			return map[string]any{"email": "ana@acme.example", "email_verified": false, "nonce": n}
		}, false, nil, 401, "did not say who you are"},
		{"someone Earshot does not know", func(n string) map[string]any { return map[string]any{"email": "mallory@acme.example", "nonce": n} }, false,
			nil, 403, "no user mallory@acme.example"},
	} {
		state, nonce, ck := start()
		prov.claims, prov.forged = tc.claims(nonce), tc.forged
		code := "good-code"
		if tc.mangle != nil {
			state, code, ck = tc.mangle(state, ck)
		}
		resp, body := callback(state, code, ck)
		if resp.StatusCode != tc.want || !strings.Contains(body, tc.msg) || sessionCookie(resp) != nil && sessionCookie(resp).MaxAge >= 0 {
			t.Errorf("%s: %d, session %v, body %q; want %d saying %q", tc.name, resp.StatusCode, sessionCookie(resp), body, tc.want, tc.msg)
		}
	}
}
