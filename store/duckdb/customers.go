package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

var (
	_ earshot.CustomerStore = (*Store)(nil)
	_ earshot.AuthorEraser  = (*Store)(nil)
)

const socialAccountColumns = `source, handle, kind, customer_id, name, tier, owner, updated_at`

type socialAccountRow struct {
	Source, Handle, Kind, CustomerID, Name, Tier, Owner string
	UpdatedAt                                           sql.NullTime
}

func (r *socialAccountRow) dest() []any {
	return []any{&r.Source, &r.Handle, &r.Kind, &r.CustomerID, &r.Name, &r.Tier, &r.Owner, &r.UpdatedAt}
}

func (r *socialAccountRow) account() (earshot.SocialAccount, error) {
	return earshot.SocialAccount{Source: r.Source, Handle: r.Handle, Kind: earshot.AccountKind(r.Kind), CustomerID: r.CustomerID,
		Name: r.Name, Tier: r.Tier, Owner: r.Owner, UpdatedAt: timeOf(r.UpdatedAt)}, nil
}

// SaveSocialAccounts creates or replaces accounts by source and handle key, in
// one transaction.
func (s *Store) SaveSocialAccounts(ctx context.Context, accounts []earshot.SocialAccount) error {
	if len(accounts) == 0 {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving accounts: %w", err)
	}
	defer tx.Rollback()
	for _, a := range accounts {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO social_accounts (handle_key, `+socialAccountColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			validUTF8(earshot.HandleKey(a.Handle)), validUTF8(a.Source), validUTF8(a.Handle), validUTF8(string(a.Kind)),
			validUTF8(a.CustomerID), validUTF8(a.Name), validUTF8(a.Tier), validUTF8(a.Owner), arg(nullTime(a.UpdatedAt))); err != nil {
			return fmt.Errorf("saving account %s/%s: %w", a.Source, a.Handle, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saving accounts: %w", err)
	}
	return nil
}

// Accounts returns every account, by source then handle key.
func (s *Store) SocialAccounts(ctx context.Context) ([]earshot.SocialAccount, error) {
	out, err := queryAll(ctx, s.db, (*socialAccountRow).account, `SELECT `+socialAccountColumns+` FROM social_accounts ORDER BY source, handle_key`)
	if err != nil {
		return nil, fmt.Errorf("reading accounts: %w", err)
	}
	return out, nil
}

const erasureColumns = `id, source, author_id, actor, erased_at, posts, follow_ups, alerts`

type erasureRow struct {
	ID, Source, AuthorID, Actor string
	At                          sql.NullTime
	Posts, FollowUps, Alerts    int64
}

func (r *erasureRow) dest() []any {
	return []any{&r.ID, &r.Source, &r.AuthorID, &r.Actor, &r.At, &r.Posts, &r.FollowUps, &r.Alerts}
}

func (r *erasureRow) erasure() (earshot.Erasure, error) {
	return earshot.Erasure{ID: r.ID, Source: r.Source, AuthorID: r.AuthorID, Actor: r.Actor, At: timeOf(r.At),
		Posts: r.Posts, FollowUps: r.FollowUps, Alerts: r.Alerts}, nil
}

// EraseAuthorData removes the author's posts, follow-ups and sample posts
// in alerts, and records the audit line, in one transaction.
func (s *Store) EraseAuthorData(ctx context.Context, e earshot.Erasure) (earshot.Erasure, error) {
	e = e.Prepared(time.Now())
	fail := func(err error) (earshot.Erasure, error) {
		return earshot.Erasure{}, fmt.Errorf("erasing author %s on %s: %w", e.AuthorID, e.Source, err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	count := func(query string) (int64, error) {
		res, err := tx.ExecContext(ctx, query, e.Source, e.AuthorID)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	if err := takeAuthorFromRollup(ctx, tx, e.Source, e.AuthorID); err != nil {
		return fail(err)
	}
	if e.Posts, err = count(`DELETE FROM posts WHERE source = ? AND author_id = ?`); err != nil {
		return fail(err)
	}
	if e.FollowUps, err = count(`DELETE FROM follow_ups WHERE source = ? AND author_id = ?`); err != nil {
		return fail(err)
	}
	// Alerts are few: read them all and write back those that held a
	// post of the author.
	rows, err := tx.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts`)
	if err != nil {
		return fail(err)
	}
	all, err := scanAll(rows, (*alertRow).alert)
	if err != nil {
		return fail(err)
	}
	for _, a := range all {
		cut, ok := a.WithoutAuthor(e.Source, e.AuthorID)
		if !ok {
			continue
		}
		r, err := alertRowOf(cut)
		if err != nil {
			return fail(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE alerts SET why = ? WHERE id = ?`, r.Why, r.ID); err != nil {
			return fail(err)
		}
		e.Alerts++
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO erasures (`+erasureColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, validUTF8(e.Source), validUTF8(e.AuthorID), validUTF8(e.Actor), e.At, e.Posts, e.FollowUps, e.Alerts); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return e, nil
}

// Erasures returns the audit lines, oldest first.
func (s *Store) Erasures(ctx context.Context) ([]earshot.Erasure, error) {
	out, err := queryAll(ctx, s.db, (*erasureRow).erasure, `SELECT `+erasureColumns+` FROM erasures ORDER BY erased_at, id`)
	if err != nil {
		return nil, fmt.Errorf("reading erasures: %w", err)
	}
	return out, nil
}
