package collectors

import "time"

// API is the base of a collector that reads one rate-limited HTTP API with
// the owner's token, a budget of requests a run: what it was built with
// (Base), the API's root and when the API lets it ask again. A collector
// embeds it, and uses it through a pointer.
type API[C any] struct {
	Base[C]
	// Root is the API's root URL, with its version, that request paths
	// follow.
	Root string
	// Backoff is when the API lets the collector ask again, after it said
	// the calls or the quota were used up.
	Backoff Backoff
}

// NewAPI returns the base of the collector name, with cfg (which the
// caller has validated) and deps, whose zero fields get the defaults, for
// the API at root.
func NewAPI[C any](name string, cfg C, deps Deps, root string) API[C] {
	return API[C]{Base: NewBase(name, cfg, deps), Root: root}
}

// Waiting returns a *RetryAfterError, its source the root, while the API
// asks to wait at now; nil once it may be asked again.
func (a *API[C]) Waiting(now time.Time) error {
	if wait := a.Backoff.Wait(now); wait > 0 {
		return &RetryAfterError{Source: a.Root, Wait: wait}
	}
	return nil
}

// OwnAccounts returns accounts, or own alone when there are none: by
// default, what the collected account itself posts is the brand's.
func OwnAccounts(accounts []string, own string) []string {
	if len(accounts) == 0 {
		return []string{own}
	}
	return accounts
}

// Credential returns the value of secret, the collector's credential under
// key, once the API lets the collector ask at now: the *RetryAfterError of
// Waiting while it asks to wait, a *ConfigError of kind when the secret
// cannot be read.
func (a *API[C]) Credential(kind string, now time.Time, key string, secret Secret) (string, error) {
	if err := a.Waiting(now); err != nil {
		return "", err
	}
	v, err := secret.Resolve(nil)
	if err != nil {
		return "", &ConfigError{Kind: kind, Name: a.Name(), Key: key, Err: err}
	}
	return v, nil
}
