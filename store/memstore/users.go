package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/earshot/earshot"
)

func cloneAccount(a earshot.Account) earshot.Account {
	a.CreatedAt, a.PasswordChangedAt = a.CreatedAt.UTC(), a.PasswordChangedAt.UTC()
	return a
}

func cloneToken(t earshot.APIToken) earshot.APIToken {
	t.Scopes = slices.Clone(t.Scopes)
	t.CreatedAt, t.RevokedAt = t.CreatedAt.UTC(), t.RevokedAt.UTC()
	return t
}

func cloneSession(s earshot.Session) earshot.Session {
	s.CreatedAt, s.ExpiresAt, s.RevokedAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC(), s.RevokedAt.UTC()
	return s
}

func (m *Store) SaveAccount(_ context.Context, a earshot.Account) error {
	return put(m, m.accounts, a.Name, cloneAccount(a))
}

func (m *Store) Account(_ context.Context, name string) (earshot.Account, error) {
	return get(m, m.accounts, name, "account", cloneAccount)
}

func (m *Store) Accounts(_ context.Context) ([]earshot.Account, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := cloned(m.accounts, cloneAccount)
	slices.SortFunc(out, func(a, b earshot.Account) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

func (m *Store) SaveToken(_ context.Context, t earshot.APIToken) error {
	return put(m, m.tokens, t.Hash, cloneToken(t))
}

func (m *Store) Token(_ context.Context, hash string) (earshot.APIToken, error) {
	return get(m, m.tokens, hash, "token", cloneToken)
}

func (m *Store) Tokens(_ context.Context, user string) ([]earshot.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []earshot.APIToken
	for _, t := range m.tokens {
		if t.User == user {
			out = append(out, cloneToken(t))
		}
	}
	slices.SortFunc(out, func(a, b earshot.APIToken) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Hash, b.Hash))
	})
	return out, nil
}

func (m *Store) SaveSession(_ context.Context, s earshot.Session) error {
	return put(m, m.sessions, s.Hash, cloneSession(s))
}

func (m *Store) Session(_ context.Context, hash string) (earshot.Session, error) {
	return get(m, m.sessions, hash, "session", cloneSession)
}
