package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/netguard"
)

// writeRoutes are the routes that check a write credential of their own
// (before reading a body), which reading's check lets through.
var writeRoutes = []string{
	"POST /api/v1/ingest",
	"POST /hooks/pagerduty",
	"POST /hooks/opsgenie",
	"POST /api/v1/incidents",
	"POST /api/v1/incidents/{id}/updates",
	"POST /api/v1/incidents/{id}/resolve",
	"POST /api/followups/{id}/move",
	"POST /api/v1/customers/import",
	"POST /api/v1/erase",
}

// NewHTTPServer is the server serve and demo listen with: timeouts on
// every phase of a request and bounded headers, so a slow or hostile
// client cannot hold connections or memory.
func NewHTTPServer(c config.Server, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    c.MaxHeaderBytes,
	}
}

// StopHTTP shuts srv down, giving requests in flight up to grace, then
// closes what is still open. A connection that stays open is no error:
// net/http counts a connection that has sent nothing yet as busy for its
// first five seconds (a client's spare dial, a port scanner), and a
// request cut off was not answered, so its sender sends it again.
func StopHTTP(srv *http.Server, grace time.Duration, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("connections still open after the shutdown grace; closing them", "grace", grace.String())
		srv.Close()
	}
}

// serveUntilDone serves on ln until ctx ends, then shuts down gracefully.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	StopHTTP(srv, 10*time.Second, log)
	return nil
}

// singleSignOn returns the single sign-on web.oidc configures, or nil.
func singleSignOn(c config.OIDC, getenv func(string) string) (*auth.OIDC, error) {
	if c.Issuer == "" {
		return nil, nil
	}
	secret, err := c.ClientSecret.Resolve(getenv)
	if err != nil {
		return nil, badinput.Errorf("web.oidc.client_secret: %v", err)
	}
	sso, err := auth.NewOIDC(auth.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: secret,
		RedirectURL: c.RedirectURL, Claim: c.Claim, Client: netguard.Client(c.AllowPrivateNetworks, 15*time.Second)})
	if err != nil {
		return nil, badinput.Errorf("web.oidc: %v", err)
	}
	return sso, nil
}

// sessionKey resolves web.session_secret; unset, it is random for this
// process, and sessions end when it stops.
func sessionKey(cfg config.Config, getenv func(string) string, log *slog.Logger) ([]byte, error) {
	if cfg.Web.SessionSecret == "" {
		log.Warn("web.session_secret is not set: using a random one, so everyone signs in again after a restart")
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		return key, nil
	}
	v, err := cfg.Web.SessionSecret.Resolve(getenv)
	if err != nil {
		return nil, badinput.Errorf("web.session_secret: %v", err)
	}
	if len(v) < 16 {
		return nil, badinput.Errorf("web.session_secret: too short: give 16 characters or more (e.g. openssl rand -hex 32)")
	}
	return []byte(v), nil
}
