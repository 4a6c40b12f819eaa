package earshot

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Account is a local user as the store keeps it: the name people sign in
// with, the role, and the password's hash (never the password).
type Account struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// PasswordHash is the password's bcrypt hash; "" means the account
	// cannot sign in with a password (it may still own API tokens).
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	// PasswordChangedAt ends every session started before it.
	PasswordChangedAt time.Time `json:"password_changed_at"`
}

// User is who the account acts as in requests.
func (a Account) User() User { return User{Name: a.Name, Role: a.Role} }

// TokenScope is what an API token may do, within its user's role.
type TokenScope string

// Token scopes. A token acts as its user, limited both by its scopes and by
// its user's role.
const (
	// ScopeRead reads pages and GET APIs.
	ScopeRead TokenScope = "read"
	// ScopeQueue works the follow-up queue (its user must be support or admin).
	ScopeQueue TokenScope = "queue"
	// ScopeIncidents opens, updates, closes and publishes about incidents
	// (its user must be comms or admin).
	ScopeIncidents TokenScope = "incidents"
	// ScopeAdmin manages users, erases data and overrides refusals (its
	// user must be admin).
	ScopeAdmin TokenScope = "admin"
)

// TokenScopes lists every scope.
var TokenScopes = []TokenScope{ScopeRead, ScopeQueue, ScopeIncidents, ScopeAdmin}

// Valid reports whether s is a known scope.
func (s TokenScope) Valid() bool { return slices.Contains(TokenScopes, s) }

// APIToken is a user's API token as the store keeps it: a hash of the
// secret, never the secret.
type APIToken struct {
	// Hash identifies the token: a keyed hash of its secret.
	Hash string `json:"-"`
	// User is the account the token acts as.
	User string `json:"user"`
	// Name tells the token apart for its owner ("laptop", "ci").
	Name      string       `json:"name"`
	Scopes    []TokenScope `json:"scopes"`
	CreatedAt time.Time    `json:"created_at"`
	// RevokedAt is zero while the token works.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Has reports whether the token carries scope s.
func (t APIToken) Has(s TokenScope) bool { return slices.Contains(t.Scopes, s) }

// Session is a browser's sign-in as the store keeps it: a keyed hash of the
// cookie's secret, never the secret.
type Session struct {
	Hash      string    `json:"-"`
	User      string    `json:"user"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// RevokedAt is set by signing out; zero while the session lasts.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// ParseScopes reads a comma-separated list of scopes ("read,queue"), or
// returns an error naming the scopes.
func ParseScopes(s string) ([]TokenScope, error) {
	var out []TokenScope
	for f := range strings.SplitSeq(s, ",") {
		sc := TokenScope(strings.TrimSpace(f))
		if sc == "" {
			continue
		}
		if !sc.Valid() {
			return nil, fmt.Errorf("unknown scope %q (read, queue, incidents, admin)", sc)
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no scope given (read, queue, incidents, admin)")
	}
	return out, nil
}
