package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
)

var (
	_ earshot.CustomerStore = (*Store)(nil)
	_ earshot.AuthorEraser  = (*Store)(nil)
)

// SaveSocialAccounts creates or replaces accounts by source and handle key, in
// one batch: each row has a newer version than the one before, so the
// later of two with one key wins.
func (s *Store) SaveSocialAccounts(ctx context.Context, accounts []earshot.SocialAccount) error {
	if len(accounts) == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertSocialAccount))
	if err != nil {
		return fmt.Errorf("saving accounts: %w", err)
	}
	for _, a := range accounts {
		if err := b.Append(a.Source, earshot.HandleKey(a.Handle), a.Handle, string(a.Kind), a.CustomerID, a.Name,
			a.Tier, a.Owner, s.timeArg(a.UpdatedAt), s.nextVersion()); err != nil {
			_ = b.Abort()
			return fmt.Errorf("saving account %s/%s: %w", a.Source, a.Handle, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("saving accounts: %w", err)
	}
	return nil
}

func scanSocialAccount(rows driver.Rows) (earshot.SocialAccount, error) {
	var (
		a       earshot.SocialAccount
		kind    string
		updated int64
	)
	if err := rows.Scan(&a.Source, &a.Handle, &kind, &a.CustomerID, &a.Name, &a.Tier, &a.Owner, &updated); err != nil {
		return earshot.SocialAccount{}, err
	}
	a.Kind, a.UpdatedAt = earshot.AccountKind(kind), fromNS(updated)
	return a, nil
}

// Accounts returns every account, by source then handle key.
func (s *Store) SocialAccounts(ctx context.Context) ([]earshot.SocialAccount, error) {
	out, err := queryAll(ctx, s.conn, scanSocialAccount, mustQuery(s.q, qSocialAccounts))
	if err != nil {
		return nil, fmt.Errorf("reading accounts: %w", err)
	}
	return out, nil
}

// EraseAuthorData erases the author's posts (EraseAuthor), deletes their
// follow-ups with a mutation, writes a new version of each alert that held
// one of their posts without it and deletes the older versions with a
// mutation (so no stored row keeps the post), waits for every mutation,
// then records the audit line. ClickHouse has no transactions: a failure
// part way leaves what was done done, and erasing again finishes the job.
func (s *Store) EraseAuthorData(ctx context.Context, e earshot.Erasure) (earshot.Erasure, error) {
	e = e.Prepared(time.Now())
	fail := func(err error) (earshot.Erasure, error) {
		return earshot.Erasure{}, fmt.Errorf("erasing author %s on %s: %w", e.AuthorID, e.Source, err)
	}
	var err error
	if e.Posts, err = s.EraseAuthor(ctx, e.Source, e.AuthorID); err != nil {
		return earshot.Erasure{}, err
	}
	mctx := ctx
	if s.d.MutationsSync {
		mctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"mutations_sync": 2}))
	}
	var n uint64
	if err := s.conn.QueryRow(ctx, mustQuery(s.q, qCountAuthorFollowUps), e.Source, e.AuthorID).Scan(&n); err != nil {
		return fail(err)
	}
	if e.FollowUps = int64(n); n > 0 {
		if err := s.conn.Exec(mctx, mustQuery(s.q, qEraseAuthorFollowUps), e.Source, e.AuthorID); err != nil {
			return fail(err)
		}
		if err := s.waitMutations(ctx, s.d.localName("followups")); err != nil {
			return fail(err)
		}
	}
	all, err := queryAll(ctx, s.conn, scanAlert, mustQuery(s.q, qAllAlerts))
	if err != nil {
		return fail(err)
	}
	for _, a := range all {
		cut, ok := a.WithoutAuthor(e.Source, e.AuthorID)
		if !ok {
			continue
		}
		row, err := s.alertRow(cut)
		if err != nil {
			return fail(err)
		}
		if err := s.insertRow(ctx, qInsertAlert, row); err != nil {
			return fail(err)
		}
		version := row[len(row)-1]
		if err := s.conn.Exec(mctx, mustQuery(s.q, qEraseOldAlert), a.ID, version); err != nil {
			return fail(err)
		}
		e.Alerts++
	}
	if e.Alerts > 0 {
		if err := s.waitMutations(ctx, s.d.localName("alerts")); err != nil {
			return fail(err)
		}
	}
	if err := s.insertRow(ctx, qInsertErasure, []any{e.ID, e.Source, e.AuthorID, e.Actor, s.timeArg(e.At),
		e.Posts, e.FollowUps, e.Alerts, s.nextVersion()}); err != nil {
		return fail(err)
	}
	return e, nil
}

func scanErasure(rows driver.Rows) (earshot.Erasure, error) {
	var (
		e  earshot.Erasure
		at int64
	)
	if err := rows.Scan(&e.ID, &e.Source, &e.AuthorID, &e.Actor, &at, &e.Posts, &e.FollowUps, &e.Alerts); err != nil {
		return earshot.Erasure{}, err
	}
	e.At = fromNS(at)
	return e, nil
}

// Erasures returns the audit lines, oldest first.
func (s *Store) Erasures(ctx context.Context) ([]earshot.Erasure, error) {
	out, err := queryAll(ctx, s.conn, scanErasure, mustQuery(s.q, qErasures))
	if err != nil {
		return nil, fmt.Errorf("reading erasures: %w", err)
	}
	return out, nil
}
