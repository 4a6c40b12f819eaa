package publish

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/earshot/earshot/internal/auth"
)

// BaseURL returns raw (or def when raw is empty) without a trailing
// slash, or an error when it is not an http or https URL.
func BaseURL(raw, def string) (string, error) {
	if raw == "" {
		raw = def
	}
	if raw == "" {
		return "", fmt.Errorf("base_url: required")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("base_url: %q is not an http or https URL", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// Endpoint is what every channel keeps of its configuration besides its
// own keys: its name, the API's root, its length limit and how it counts,
// and the HTTP client. A channel embeds it, which gives it Name and Limit.
type Endpoint struct {
	name string
	// Base is the API's root, without a trailing slash.
	Base  string
	limit int
	unit  Unit
	// Client sends the channel's requests.
	Client *http.Client
}

// NewEndpoint returns the endpoint of the channel name that c configures:
// its base_url (defaultBase when c has none; an error when it is not an
// http or https URL), its limit (defaultLimit when c sets none), counted
// in unit, and d's client (http.DefaultClient when d has none).
func NewEndpoint(name string, c ChannelConfig, d Deps, defaultBase string, defaultLimit int, unit Unit) (Endpoint, error) {
	base, err := BaseURL(c.BaseURL, defaultBase)
	if err != nil {
		return Endpoint{}, err
	}
	return Endpoint{name: name, Base: base, limit: cmp.Or(c.Limit, defaultLimit), unit: unit,
		Client: cmp.Or(d.Client, http.DefaultClient)}, nil
}

// Name is the channel's name.
func (e *Endpoint) Name() string { return e.name }

// Limit is the configured limit, in the channel's unit.
func (e *Endpoint) Limit() (int, Unit) { return e.limit, e.unit }

// RequiredSecret resolves s, a credential the channel cannot do without,
// with d's Getenv; missing is the error when s is empty.
func RequiredSecret(s auth.Secret, d Deps, missing string) (string, error) {
	if s == "" {
		return "", errors.New(missing)
	}
	return s.Resolve(d.Getenv)
}
