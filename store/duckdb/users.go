package duckdb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

const (
	accountColumns = `name, role, password_hash, created_at, password_changed_at`
	tokenColumns   = `hash, user_name, name, scopes, created_at, revoked_at`
	sessionColumns = `hash, user_name, created_at, expires_at, revoked_at`
)

type accountRow struct {
	Name, Role, PasswordHash string
	CreatedAt, ChangedAt     sql.NullTime
}

func (r *accountRow) dest() []any {
	return []any{&r.Name, &r.Role, &r.PasswordHash, &r.CreatedAt, &r.ChangedAt}
}

func (r *accountRow) account() (earshot.Account, error) {
	return earshot.Account{Name: r.Name, Role: earshot.Role(r.Role), PasswordHash: r.PasswordHash,
		CreatedAt: timeOf(r.CreatedAt), PasswordChangedAt: timeOf(r.ChangedAt)}, nil
}

type tokenRow struct {
	Hash, User, Name, Scopes string
	CreatedAt, RevokedAt     sql.NullTime
}

func (r *tokenRow) dest() []any {
	return []any{&r.Hash, &r.User, &r.Name, &r.Scopes, &r.CreatedAt, &r.RevokedAt}
}

func (r *tokenRow) token() (earshot.APIToken, error) {
	return earshot.APIToken{Hash: r.Hash, User: r.User, Name: r.Name, Scopes: rowcodec.DecodeScopes(r.Scopes),
		CreatedAt: timeOf(r.CreatedAt), RevokedAt: timeOf(r.RevokedAt)}, nil
}

type sessionRow struct {
	Hash, User                      string
	CreatedAt, ExpiresAt, RevokedAt sql.NullTime
}

func (r *sessionRow) dest() []any {
	return []any{&r.Hash, &r.User, &r.CreatedAt, &r.ExpiresAt, &r.RevokedAt}
}

func (r *sessionRow) session() (earshot.Session, error) {
	return earshot.Session{Hash: r.Hash, User: r.User, CreatedAt: timeOf(r.CreatedAt),
		ExpiresAt: timeOf(r.ExpiresAt), RevokedAt: timeOf(r.RevokedAt)}, nil
}

// SaveAccount creates or replaces the account with a.Name.
func (s *Store) SaveAccount(ctx context.Context, a earshot.Account) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?)`,
		validUTF8(a.Name), string(a.Role), a.PasswordHash, arg(nullTime(a.CreatedAt)), arg(nullTime(a.PasswordChangedAt))); err != nil {
		return fmt.Errorf("saving account %s: %w", a.Name, err)
	}
	return nil
}

// Account returns one account, or ErrNotFound.
func (s *Store) Account(ctx context.Context, name string) (earshot.Account, error) {
	out, err := queryAll(ctx, s.db, (*accountRow).account, `SELECT `+accountColumns+` FROM accounts WHERE name = ?`, name)
	if err != nil {
		return earshot.Account{}, fmt.Errorf("reading account %s: %w", name, err)
	}
	if len(out) == 0 {
		return earshot.Account{}, fmt.Errorf("account %s: %w", name, earshot.ErrNotFound)
	}
	return out[0], nil
}

// Accounts returns every account, by name.
func (s *Store) Accounts(ctx context.Context) ([]earshot.Account, error) {
	out, err := queryAll(ctx, s.db, (*accountRow).account, `SELECT `+accountColumns+` FROM accounts ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("reading accounts: %w", err)
	}
	return out, nil
}

// SaveToken creates or replaces the token with t.Hash.
func (s *Store) SaveToken(ctx context.Context, t earshot.APIToken) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO api_tokens (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, validUTF8(t.User), validUTF8(t.Name), rowcodec.Scopes(t.Scopes), arg(nullTime(t.CreatedAt)), arg(nullTime(t.RevokedAt))); err != nil {
		return fmt.Errorf("saving a token of %s: %w", t.User, err)
	}
	return nil
}

// Token returns the token with hash, or ErrNotFound.
func (s *Store) Token(ctx context.Context, hash string) (earshot.APIToken, error) {
	return queryOne(ctx, s.db, (*tokenRow).token, "reading a token", "token",
		`SELECT `+tokenColumns+` FROM api_tokens WHERE hash = ?`, hash)
}

// Tokens returns a user's tokens, oldest first.
func (s *Store) Tokens(ctx context.Context, user string) ([]earshot.APIToken, error) {
	out, err := queryAll(ctx, s.db, (*tokenRow).token, `SELECT `+tokenColumns+` FROM api_tokens
		WHERE user_name = ? ORDER BY created_at NULLS FIRST, name, hash`, user)
	if err != nil {
		return nil, fmt.Errorf("reading the tokens of %s: %w", user, err)
	}
	return out, nil
}

// SaveSession creates or replaces the session with se.Hash.
func (s *Store) SaveSession(ctx context.Context, se earshot.Session) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?)`,
		se.Hash, validUTF8(se.User), arg(nullTime(se.CreatedAt)), arg(nullTime(se.ExpiresAt)), arg(nullTime(se.RevokedAt))); err != nil {
		return fmt.Errorf("saving a session of %s: %w", se.User, err)
	}
	return nil
}

// Session returns the session with hash, or ErrNotFound.
func (s *Store) Session(ctx context.Context, hash string) (earshot.Session, error) {
	return queryOne(ctx, s.db, (*sessionRow).session, "reading a session", "session",
		`SELECT `+sessionColumns+` FROM sessions WHERE hash = ?`, hash)
}
