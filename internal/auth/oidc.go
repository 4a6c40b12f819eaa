package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Paths of single sign-on.
const (
	OIDCStartPath    = "/signin/oidc"
	OIDCCallbackPath = "/signin/oidc/callback"
)

// oidcCookie holds a sign-on's state, nonce and the page to return to,
// for the ten minutes the provider may take.
const oidcCookie = "earshot_oidc"

// OIDCConfig configures single sign-on with an OpenID Connect provider.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL (its discovery document is at
	// Issuer + "/.well-known/openid-configuration").
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is Earshot's callback as the provider knows it:
	// https://earshot.example.com/signin/oidc/callback.
	RedirectURL string
	// Claim names the ID token's claim that is the Earshot user name
	// ("email" unless set). The user must exist (earshot user add): the
	// provider says who someone is, Earshot what their role is.
	Claim string
	// Client makes the requests to the provider; nil: http.DefaultClient.
	Client *http.Client
}

// OIDC signs users in through an OpenID Connect provider (authorization
// code flow, with state and nonce). The provider is discovered at first
// use, and again after a failure.
type OIDC struct {
	c OIDCConfig

	mu       sync.Mutex
	provider *oidc.Provider
}

// NewOIDC returns single sign-on with the provider c names; it checks c
// without a network call.
func NewOIDC(c OIDCConfig) (*OIDC, error) {
	if c.Issuer == "" || c.ClientID == "" || c.RedirectURL == "" {
		return nil, errors.New("single sign-on needs an issuer, a client ID and a redirect URL")
	}
	if c.Claim == "" {
		c.Claim = "email"
	}
	if c.Client == nil {
		c.Client = http.DefaultClient
	}
	return &OIDC{c: c}, nil
}

func (o *OIDC) ctx(ctx context.Context) context.Context { return oidc.ClientContext(ctx, o.c.Client) }

// discover returns the provider, discovering it if not yet done.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(o.ctx(ctx), o.c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discovering the sign-on provider: %w", err)
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.c.ClientID, ClientSecret: o.c.ClientSecret, RedirectURL: o.c.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// start sends the browser to the provider.
func (g *gate) oidcStart(w http.ResponseWriter, r *http.Request) {
	p, err := g.oidc.discover(r.Context())
	if err != nil {
		g.log.Error("single sign-on", "err", err)
		g.form(w, r, http.StatusBadGateway, r.URL.Query().Get("next"), "The sign-on provider is not answering; try again, or sign in with a password.")
		return
	}
	state, nonce := randomSecret(), randomSecret()
	next := base64.RawURLEncoding.EncodeToString([]byte(localPath(r.URL.Query().Get("next"))))
	http.SetCookie(w, &http.Cookie{
		Name: oidcCookie, Value: state + "." + nonce + "." + next, Path: OIDCCallbackPath, MaxAge: 600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
	})
	http.Redirect(w, r, g.oidc.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce)), http.StatusFound)
}

// oidcCallback takes the provider's answer: the state must be the one
// this browser was sent with, the ID token valid and its nonce ours, and
// its user an Earshot user.
func (g *gate) oidcCallback(w http.ResponseWriter, r *http.Request) {
	refuse := func(status int, msg string) {
		g.log.Info("single sign-on refused", "remote", clientIP(r), "why", msg)
		g.form(w, r, status, "/", msg)
	}
	c, err := r.Cookie(oidcCookie)
	parts := []string{}
	if err == nil {
		parts = strings.Split(c.Value, ".")
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: OIDCCallbackPath, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	q := r.URL.Query()
	if len(parts) != 3 || q.Get("state") == "" || q.Get("state") != parts[0] {
		refuse(http.StatusBadRequest, "That sign-on answer is not for this browser, or came too late. Try again.")
		return
	}
	if e := q.Get("error"); e != "" {
		refuse(http.StatusUnauthorized, "The sign-on provider refused: "+e+".")
		return
	}
	p, err := g.oidc.discover(r.Context())
	if err != nil {
		g.log.Error("single sign-on", "err", err)
		refuse(http.StatusBadGateway, "The sign-on provider is not answering; try again.")
		return
	}
	tok, err := g.oidc.oauth(p).Exchange(g.oidc.ctx(r.Context()), q.Get("code"))
	if err != nil {
		g.log.Error("single sign-on: exchanging the code", "err", err)
		refuse(http.StatusBadGateway, "The sign-on provider did not confirm the sign-in; try again.")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	id, err := p.Verifier(&oidc.Config{ClientID: g.oidc.c.ClientID}).Verify(g.oidc.ctx(r.Context()), raw)
	if err != nil || id.Nonce != parts[1] {
		refuse(http.StatusUnauthorized, "The sign-on provider's answer did not check out; try again.")
		return
	}
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		refuse(http.StatusUnauthorized, "The sign-on provider's answer did not check out; try again.")
		return
	}
	name, _ := claims[g.oidc.c.Claim].(string)
	if v, ok := claims["email_verified"].(bool); g.oidc.c.Claim == "email" && ok && !v {
		name = ""
	}
	if name == "" {
		refuse(http.StatusUnauthorized, "The sign-on provider did not say who you are ("+g.oidc.c.Claim+").")
		return
	}
	if _, err := g.users.Store.Account(r.Context(), name); err != nil {
		refuse(http.StatusForbidden, "Earshot has no user "+name+": ask an admin to add you (earshot user add "+name+" --role ...).")
		return
	}
	secret, s, err := g.users.StartSession(r.Context(), name)
	if err != nil {
		g.log.Error("starting a session", "err", err)
		refuse(http.StatusServiceUnavailable, "Signing in failed: the store is not answering. Try again in a moment.")
		return
	}
	g.setCookie(w, r, secret, int(s.ExpiresAt.Sub(s.CreatedAt).Seconds()))
	next, _ := base64.RawURLEncoding.DecodeString(parts[2])
	http.Redirect(w, r, localPath(string(next)), http.StatusSeeOther)
}
