// Package webhook posts Earshot notifications as JSON to any HTTP endpoint.
//
// The body is the earshot.Notification as JSON. When a secret is set, the
// request carries X-Earshot-Signature: sha256=<hex HMAC-SHA256 of the body
// keyed by the secret>, the same scheme Earshot's ingest API checks, so the
// receiver can tell the request came from Earshot:
//
//	mac := hmac.New(sha256.New, secret)
//	mac.Write(body)
//	ok := hmac.Equal([]byte(r.Header.Get("X-Earshot-Signature")),
//		[]byte("sha256="+hex.EncodeToString(mac.Sum(nil))))
//
// The URL and the secret never appear in errors or logs: URLs are shown as
// scheme://host/[redacted].
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// SignatureHeader carries the body's HMAC-SHA256.
const SignatureHeader = "X-Earshot-Signature"

// Config configures one webhook.
type Config struct {
	// URL is where notifications are posted. It may hold a token, so it
	// is treated as a secret: env:NAME and file:PATH work here too.
	URL string `yaml:"url"`
	// Secret keys the X-Earshot-Signature HMAC; empty sends no signature.
	// Write it as env:NAME or file:PATH.
	Secret string `yaml:"secret"`
	// Timeout bounds one request; 0 means 10s.
	Timeout time.Duration `yaml:"timeout"`
	// AllowPrivateNetworks lets this integration reach loopback, private,
	// link-local and metadata addresses, which notifiers refuse by default.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
}

// String hides the URL and the secret.
func (c Config) String() string {
	sec := ""
	if c.Secret != "" {
		sec = ", secret: [redacted]"
	}
	return fmt.Sprintf("webhook{url: %s%s}", notify.RedactURL(c.URL), sec)
}

// Validate checks c without resolving secrets; key prefixes the keys it
// names.
func (c Config) Validate(key string) error {
	if c.URL == "" {
		return fmt.Errorf("%s.url: required", key)
	}
	return notify.CheckTimeout(key, c.Timeout)
}

// ResolveSecrets returns c with its URL and secret resolved by resolve.
func (c Config) ResolveSecrets(key string, resolve notify.ResolveFunc) (Config, error) {
	var err error
	if c.URL, err = resolve.Resolve(key+".url", c.URL); err != nil {
		return c, err
	}
	c.Secret, err = resolve.Resolve(key+".secret", c.Secret)
	return c, err
}

// Notifier posts to one webhook.
type Notifier struct {
	cfg    Config
	client *http.Client
	now    func() time.Time
}

var _ earshot.Notifier = (*Notifier)(nil)

// New returns a notifier for cfg, whose secrets must be resolved.
func New(cfg Config, opts notify.Options) (*Notifier, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("webhook: url %s is not an http(s) URL", notify.RedactURL(cfg.URL))
	}
	return &Notifier{cfg: cfg, client: opts.HTTPClientFor(cfg.AllowPrivateNetworks), now: opts.Clock()}, nil
}

// Notify posts n. A 2xx answer is success; 408, 429 (honouring
// Retry-After), 5xx and network failures may be retried; other answers
// may not.
func (w *Notifier) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	body, err := json.Marshal(n)
	if err != nil {
		return false, fmt.Errorf("webhook: encoding notification: %w", err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if w.cfg.Secret != "" {
		h.Set(SignatureHeader, Sign([]byte(w.cfg.Secret), body))
	}
	_, retry, err := notify.Post(ctx, w.client, w.now, notify.Request{
		Name:    "webhook",
		URL:     w.cfg.URL,
		Header:  h,
		Body:    body,
		Timeout: w.cfg.Timeout,
		Secrets: []string{w.cfg.Secret},
	})
	return retry, err
}

// Sign returns the X-Earshot-Signature value for body.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
