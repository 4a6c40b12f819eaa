package bluesky

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/earshot/earshot/collectors"
)

// session is a logged-in session on the PDS. Its tokens never leave it:
// not in errors, not in logs, not in the cursor.
type session struct {
	access  string
	refresh string
	// expires is the access token's expiry, from its exp claim; zero
	// when the token does not say.
	expires time.Time
}

// renewBefore is how long before its expiry an access token is renewed.
const renewBefore = time.Minute

// accessToken returns the session's access token, logging in first or
// renewing an access token about to expire.
func (c *Collector) accessToken(ctx context.Context) (string, error) {
	c.sessMu.Lock()
	s := c.sess
	c.sessMu.Unlock()
	switch {
	case s == nil:
		if err := c.login(ctx); err != nil {
			return "", err
		}
	case !s.expires.IsZero() && c.Deps.Now().After(s.expires.Add(-renewBefore)):
		if err := c.renew(ctx, s.access); err != nil {
			return "", err
		}
	default:
		return s.access, nil
	}
	c.sessMu.Lock()
	defer c.sessMu.Unlock()
	return c.sess.access, nil
}

// renew replaces a refused or expiring access token: with
// com.atproto.server.refreshSession, else (the refresh token expired or
// was revoked) by logging in again. old is the token being replaced; when
// another call already replaced it, renew does nothing.
func (c *Collector) renew(ctx context.Context, old string) error {
	c.sessMu.Lock()
	s := c.sess
	c.sessMu.Unlock()
	if s != nil && s.access != old {
		return nil
	}
	if s != nil {
		err := c.open(ctx, "com.atproto.server.refreshSession", s.refresh, nil)
		if err == nil {
			return nil
		}
		c.Deps.Log.Info("refreshing the session failed; logging in again", "err", err)
	}
	return c.login(ctx)
}

// login creates a session with com.atproto.server.createSession.
func (c *Collector) login(ctx context.Context) error {
	password, err := c.Cfg.AppPassword.Resolve(nil)
	if err != nil {
		return fmt.Errorf("reading app_password: %w", err)
	}
	body, err := json.Marshal(map[string]string{"identifier": c.Cfg.Identifier, "password": password})
	if err != nil {
		return err
	}
	if err := c.open(ctx, "com.atproto.server.createSession", "", body); err != nil {
		return fmt.Errorf("logging in as %s: %w", c.Cfg.Identifier, err)
	}
	return nil
}

// open POSTs to a session procedure (with bearer, the refresh token, when
// not empty) and keeps the session it returns.
func (c *Collector) open(ctx context.Context, method, bearer string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Cfg.PDS+"/xrpc/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("requesting %s: %w", method, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := collectors.Fetch(c.Deps, req, 1<<20)
	if err != nil {
		return err
	}
	var out struct {
		AccessJwt  string `json:"accessJwt"`
		RefreshJwt string `json:"refreshJwt"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil || out.AccessJwt == "" || out.RefreshJwt == "" {
		return fmt.Errorf("decoding %s: not a session", collectors.Redact(req.URL))
	}
	c.sessMu.Lock()
	c.sess = &session{access: out.AccessJwt, refresh: out.RefreshJwt, expires: jwtExpiry(out.AccessJwt)}
	c.sessMu.Unlock()
	return nil
}

// jwtExpiry reads a JWT's exp claim without checking the token (the
// server does that); zero when it cannot.
func jwtExpiry(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(b, &claims) != nil || claims.Exp <= 0 {
		return time.Time{}
	}
	return time.Unix(claims.Exp, 0).UTC()
}

// withXRPCErrors returns a copy of client whose responses name the XRPC
// error of a 400 or 401 in their status line ("400 Bad Request:
// ExpiredToken"), and turn a 400 that refuses the credentials
// (ExpiredToken, InvalidToken) into a 401, which collectors.Fetch wraps
// as ErrUnauthorized: a PDS answers an expired access token with 400, and
// Fetch does not show the body.
func withXRPCErrors(client *http.Client) *http.Client {
	cl := *client
	next := cl.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cl.Transport = xrpcErrors{next: next}
	return &cl
}

type xrpcErrors struct{ next http.RoundTripper }

var xrpcName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,63}$`)

// authErrors are the XRPC errors that mean the token was refused.
var authErrors = map[string]bool{"ExpiredToken": true, "InvalidToken": true, "AuthMissing": true, "AuthenticationRequired": true}

func (x xrpcErrors) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := x.next.RoundTrip(req)
	if err != nil || (resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnauthorized) {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || !xrpcName.MatchString(e.Error) {
		return resp, nil
	}
	resp.Status += ": " + e.Error
	if resp.StatusCode == http.StatusBadRequest && authErrors[e.Error] {
		resp.StatusCode = http.StatusUnauthorized
	}
	return resp, nil
}
