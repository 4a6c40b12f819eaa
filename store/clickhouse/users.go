package clickhouse

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

// SaveAccount creates or replaces the account with a.Name: each save
// writes a row with a newer version.
func (s *Store) SaveAccount(ctx context.Context, a earshot.Account) error {
	if err := s.insertRow(ctx, qInsertAccount, s.accountRow(a)); err != nil {
		return fmt.Errorf("saving account %s: %w", a.Name, err)
	}
	return nil
}

// Account returns one account, or ErrNotFound.
func (s *Store) Account(ctx context.Context, name string) (earshot.Account, error) {
	as, err := queryAll(ctx, s.conn, scanAccount, mustQuery(s.q, qAccount), name)
	return first(as, err, "reading account "+name, "account "+name)
}

// Accounts returns every account, by name.
func (s *Store) Accounts(ctx context.Context) ([]earshot.Account, error) {
	as, err := queryAll(ctx, s.conn, scanAccount, mustQuery(s.q, qAccounts))
	if err != nil {
		return nil, fmt.Errorf("reading accounts: %w", err)
	}
	return as, nil
}

func scanAccount(rows driver.Rows) (earshot.Account, error) {
	var (
		a                  earshot.Account
		role               string
		created, changedAt int64
	)
	if err := rows.Scan(&a.Name, &role, &a.PasswordHash, &created, &changedAt); err != nil {
		return earshot.Account{}, err
	}
	a.Role, a.CreatedAt, a.PasswordChangedAt = earshot.Role(role), fromNS(created), fromNS(changedAt)
	return a, nil
}

// SaveToken creates or replaces the token with t.Hash.
func (s *Store) SaveToken(ctx context.Context, t earshot.APIToken) error {
	if err := s.insertRow(ctx, qInsertToken, s.tokenRow(t)); err != nil {
		return fmt.Errorf("saving a token of %s: %w", t.User, err)
	}
	return nil
}

// Token returns the token with hash, or ErrNotFound.
func (s *Store) Token(ctx context.Context, hash string) (earshot.APIToken, error) {
	ts, err := queryAll(ctx, s.conn, scanToken, mustQuery(s.q, qToken), hash)
	return first(ts, err, "reading a token", "token")
}

// Tokens returns a user's tokens, oldest first.
func (s *Store) Tokens(ctx context.Context, user string) ([]earshot.APIToken, error) {
	ts, err := queryAll(ctx, s.conn, scanToken, mustQuery(s.q, qTokens), user)
	if err != nil {
		return nil, fmt.Errorf("reading the tokens of %s: %w", user, err)
	}
	return ts, nil
}

func scanToken(rows driver.Rows) (earshot.APIToken, error) {
	var (
		t                earshot.APIToken
		scopes           string
		created, revoked int64
	)
	if err := rows.Scan(&t.Hash, &t.User, &t.Name, &scopes, &created, &revoked); err != nil {
		return earshot.APIToken{}, err
	}
	t.Scopes, t.CreatedAt, t.RevokedAt = rowcodec.DecodeScopes(scopes), fromNS(created), fromNS(revoked)
	return t, nil
}

// SaveSession creates or replaces the session with se.Hash.
func (s *Store) SaveSession(ctx context.Context, se earshot.Session) error {
	if err := s.insertRow(ctx, qInsertSession, s.sessionRow(se)); err != nil {
		return fmt.Errorf("saving a session of %s: %w", se.User, err)
	}
	return nil
}

// Session returns the session with hash, or ErrNotFound.
func (s *Store) Session(ctx context.Context, hash string) (earshot.Session, error) {
	ss, err := queryAll(ctx, s.conn, scanSession, mustQuery(s.q, qSession), hash)
	return first(ss, err, "reading a session", "session")
}

func scanSession(rows driver.Rows) (earshot.Session, error) {
	var (
		se                        earshot.Session
		created, expires, revoked int64
	)
	if err := rows.Scan(&se.Hash, &se.User, &created, &expires, &revoked); err != nil {
		return earshot.Session{}, err
	}
	se.CreatedAt, se.ExpiresAt, se.RevokedAt = fromNS(created), fromNS(expires), fromNS(revoked)
	return se, nil
}

// accountRow, tokenRow and sessionRow are the insert columns of their
// tables, with a new version.
func (s *Store) accountRow(a earshot.Account) []any {
	return []any{a.Name, string(a.Role), a.PasswordHash, s.timeArg(a.CreatedAt), s.timeArg(a.PasswordChangedAt), s.nextVersion()}
}

func (s *Store) tokenRow(t earshot.APIToken) []any {
	return []any{t.Hash, t.User, t.Name, rowcodec.Scopes(t.Scopes), s.timeArg(t.CreatedAt), s.timeArg(t.RevokedAt), s.nextVersion()}
}

func (s *Store) sessionRow(se earshot.Session) []any {
	return []any{se.Hash, se.User, s.timeArg(se.CreatedAt), s.timeArg(se.ExpiresAt), s.timeArg(se.RevokedAt), s.nextVersion()}
}
