package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/earshot/earshot"
)

// TokenPrefix starts every user API token, so that one is recognised in a
// config file or a leak scanner.
const TokenPrefix = "esk_"

// DefaultSessionTTL is how long a sign-in lasts unless configured.
const DefaultSessionTTL = 12 * time.Hour

// ErrBadCredentials is a sign-in refused: an unknown name or a wrong
// password, never saying which.
var ErrBadCredentials = errors.New("wrong user name or password")

// ErrRefused marks a change refused for what it asks (a bad name, role,
// password or scope; a name taken), as opposed to a store failing; find it
// with errors.Is.
var ErrRefused = errors.New("refused")

type refusedError struct{ error }

func (e refusedError) Is(target error) bool { return target == ErrRefused }
func (e refusedError) Unwrap() error        { return e.error }

func refuse(err error) error {
	if err == nil {
		return nil
	}
	return refusedError{err}
}

// Users manages local users, their API tokens and sessions in a store.
type Users struct {
	Store earshot.UserStore
	// SessionKey keys the hash sessions are stored by: a session survives
	// a restart only if the key does (web.session_secret).
	SessionKey []byte
	// SessionTTL is how long a sign-in lasts; 0 means DefaultSessionTTL.
	SessionTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (u *Users) now() time.Time {
	if u.Now != nil {
		return u.Now().UTC().Truncate(time.Millisecond)
	}
	return time.Now().UTC().Truncate(time.Millisecond)
}

func (u *Users) ttl() time.Duration {
	if u.SessionTTL > 0 {
		return u.SessionTTL
	}
	return DefaultSessionTTL
}

// CheckName returns an error saying what is wrong with a user name, or nil:
// 1 to 64 letters, digits and . _ - @.
func CheckName(name string) error {
	if name == "" || len(name) > 64 {
		return errors.New("a user name has 1 to 64 characters")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			return fmt.Errorf("user name %q: use letters, digits and . _ - @ only", name)
		}
	}
	return nil
}

// Add creates a user. It refuses a name already taken.
func (u *Users) Add(ctx context.Context, name string, role earshot.Role, password string) error {
	if err := CheckName(name); err != nil {
		return refuse(err)
	}
	if !role.Valid() {
		return refuse(fmt.Errorf("unknown role %q (one of admin, comms, support, exec)", role))
	}
	if _, err := u.Store.Account(ctx, name); err == nil {
		return refuse(fmt.Errorf("user %s exists already (earshot user passwd %s changes the password)", name, name))
	} else if !errors.Is(err, earshot.ErrNotFound) {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	now := u.now()
	return u.Store.SaveAccount(ctx, earshot.Account{Name: name, Role: role, PasswordHash: hash, CreatedAt: now, PasswordChangedAt: now})
}

// SetPassword changes a user's password, which ends every session the
// user had.
func (u *Users) SetPassword(ctx context.Context, name, password string) error {
	a, err := u.Store.Account(ctx, name)
	if err != nil {
		return err
	}
	if a.PasswordHash, err = HashPassword(password); err != nil {
		return err
	}
	a.PasswordChangedAt = u.now()
	return u.Store.SaveAccount(ctx, a)
}

// RoleScopes are the scopes a role may hold: a token of a user never does
// more than the user's role allows.
func RoleScopes(r earshot.Role) []earshot.TokenScope {
	switch r {
	case earshot.RoleAdmin:
		return earshot.TokenScopes
	case earshot.RoleComms:
		return []earshot.TokenScope{earshot.ScopeRead, earshot.ScopeIncidents}
	case earshot.RoleSupport:
		return []earshot.TokenScope{earshot.ScopeRead, earshot.ScopeQueue}
	case earshot.RoleExec:
		return []earshot.TokenScope{earshot.ScopeRead}
	}
	return nil
}

// NewToken makes an API token for a user and returns its secret, which is
// shown once: the store keeps only its hash. A scope the user's role may
// not hold is refused.
func (u *Users) NewToken(ctx context.Context, user, name string, scopes []earshot.TokenScope) (string, earshot.APIToken, error) {
	a, err := u.Store.Account(ctx, user)
	if err != nil {
		return "", earshot.APIToken{}, err
	}
	if len(scopes) == 0 {
		return "", earshot.APIToken{}, refuse(errors.New("give the token at least one scope (read, queue, incidents, admin)"))
	}
	for _, s := range scopes {
		if !slices.Contains(RoleScopes(a.Role), s) {
			return "", earshot.APIToken{}, refuse(fmt.Errorf("%s is %s: a token of theirs cannot have scope %s", a.Name, a.Role, s))
		}
	}
	secret := TokenPrefix + randomSecret()
	t := earshot.APIToken{Hash: TokenHash(secret), User: a.Name, Name: name, Scopes: slices.Clone(scopes), CreatedAt: u.now()}
	if err := u.Store.SaveToken(ctx, t); err != nil {
		return "", earshot.APIToken{}, err
	}
	return secret, t, nil
}

// TokenHash is what the store keeps of an API token: its SHA-256, in hex.
// Tokens are 256 random bits, so a plain hash is safe, and needs no key, so
// that `earshot user token` and serve agree without sharing one.
func TokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Principal is who a credential authenticates: the user, and the scopes
// the credential carries (a session carries all its role's).
type Principal struct {
	User   earshot.User
	Scopes []earshot.TokenScope
}

// Can reports whether p carries scope s.
func (p Principal) Can(s earshot.TokenScope) bool { return slices.Contains(p.Scopes, s) }

// Token returns the principal of an API token's secret: its user, and the
// token's scopes that the user's role (as it is now) still allows. ok is
// false for an unknown or revoked token, or a user since removed.
func (u *Users) Token(ctx context.Context, secret string) (Principal, bool, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return Principal{}, false, nil
	}
	t, err := u.Store.Token(ctx, TokenHash(secret))
	if errors.Is(err, earshot.ErrNotFound) {
		return Principal{}, false, nil
	}
	if err != nil {
		return Principal{}, false, err
	}
	if !t.RevokedAt.IsZero() {
		return Principal{}, false, nil
	}
	a, err := u.Store.Account(ctx, t.User)
	if errors.Is(err, earshot.ErrNotFound) {
		return Principal{}, false, nil
	}
	if err != nil {
		return Principal{}, false, err
	}
	var scopes []earshot.TokenScope
	for _, s := range t.Scopes {
		if slices.Contains(RoleScopes(a.Role), s) {
			scopes = append(scopes, s)
		}
	}
	return Principal{User: a.User(), Scopes: scopes}, true, nil
}

// sessionHash is what the store keeps of a session cookie's secret.
func (u *Users) sessionHash(secret string) string {
	m := hmac.New(sha256.New, u.SessionKey)
	m.Write([]byte(secret))
	return hex.EncodeToString(m.Sum(nil))
}

// SignIn checks a user's password and starts a session, returning the
// secret for its cookie. A wrong name or password is ErrBadCredentials.
func (u *Users) SignIn(ctx context.Context, name, password string) (string, earshot.Session, error) {
	a, err := u.Store.Account(ctx, name)
	if err != nil && !errors.Is(err, earshot.ErrNotFound) {
		return "", earshot.Session{}, err
	}
	if !passwordMatches(a.PasswordHash, password) {
		return "", earshot.Session{}, ErrBadCredentials
	}
	return u.StartSession(ctx, a.Name)
}

// StartSession starts a session of user without a password (the demo's
// automatic sign-in), returning the secret for its cookie.
func (u *Users) StartSession(ctx context.Context, user string) (string, earshot.Session, error) {
	secret := randomSecret()
	now := u.now()
	s := earshot.Session{Hash: u.sessionHash(secret), User: user, CreatedAt: now, ExpiresAt: now.Add(u.ttl())}
	if err := u.Store.SaveSession(ctx, s); err != nil {
		return "", earshot.Session{}, err
	}
	return secret, s, nil
}

// Session returns the user of a session cookie's secret. ok is false for an
// unknown, expired or signed-out session, one started before the user's
// password last changed, or a user since removed.
func (u *Users) Session(ctx context.Context, secret string) (earshot.User, bool, error) {
	if secret == "" {
		return earshot.User{}, false, nil
	}
	s, err := u.Store.Session(ctx, u.sessionHash(secret))
	if errors.Is(err, earshot.ErrNotFound) {
		return earshot.User{}, false, nil
	}
	if err != nil {
		return earshot.User{}, false, err
	}
	if !s.RevokedAt.IsZero() || !u.now().Before(s.ExpiresAt) {
		return earshot.User{}, false, nil
	}
	a, err := u.Store.Account(ctx, s.User)
	if errors.Is(err, earshot.ErrNotFound) {
		return earshot.User{}, false, nil
	}
	if err != nil {
		return earshot.User{}, false, err
	}
	if s.CreatedAt.Before(a.PasswordChangedAt) {
		return earshot.User{}, false, nil
	}
	return a.User(), true, nil
}

// SignOut ends the session of a cookie's secret; an unknown one is no
// error.
func (u *Users) SignOut(ctx context.Context, secret string) error {
	s, err := u.Store.Session(ctx, u.sessionHash(secret))
	if errors.Is(err, earshot.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if s.RevokedAt.IsZero() {
		s.RevokedAt = u.now()
		return u.Store.SaveSession(ctx, s)
	}
	return nil
}
