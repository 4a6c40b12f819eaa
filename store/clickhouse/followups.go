package clickhouse

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

// SaveFollowUp creates or replaces the follow-up with f.ID: each save
// writes a row with a newer version.
func (s *Store) SaveFollowUp(ctx context.Context, f earshot.FollowUp) error {
	body, err := rowcodec.Notes(f.Notes)
	if err != nil {
		return fmt.Errorf("saving follow-up %s: %w", f.ID, err)
	}
	postIDs := f.PostIDs
	if postIDs == nil {
		postIDs = []string{}
	}
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertFollowUp))
	if err != nil {
		return fmt.Errorf("saving follow-up %s: %w", f.ID, err)
	}
	if err := b.Append(f.ID, f.Source, f.Author.ID, f.Author.Handle, f.Author.Name, f.Author.Followers,
		postIDs, f.Reason, int64(f.Priority), string(f.State), f.Assignee, f.IncidentID, body,
		s.timeArg(f.Due), s.timeArg(f.CreatedAt), s.timeArg(f.UpdatedAt), s.nextVersion(),
		f.Customer.ID, f.Customer.Name, f.Customer.Tier); err != nil {
		_ = b.Abort()
		return fmt.Errorf("saving follow-up %s: %w", f.ID, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("saving follow-up %s: %w", f.ID, err)
	}
	return nil
}

func scanFollowUp(rows driver.Rows) (earshot.FollowUp, error) {
	var (
		f                     earshot.FollowUp
		priority              int64
		state, notes          string
		due, created, updated int64
	)
	if err := rows.Scan(&f.ID, &f.Source, &f.Author.ID, &f.Author.Handle, &f.Author.Name, &f.Author.Followers,
		&f.PostIDs, &f.Reason, &priority, &state, &f.Assignee, &f.IncidentID, &notes,
		&due, &created, &updated, &f.Customer.ID, &f.Customer.Name, &f.Customer.Tier); err != nil {
		return earshot.FollowUp{}, err
	}
	f.Priority = int(priority)
	f.State = earshot.FollowUpState(state)
	f.Due, f.CreatedAt, f.UpdatedAt = fromNS(due), fromNS(created), fromNS(updated)
	if len(f.PostIDs) == 0 {
		f.PostIDs = nil
	}
	var err error
	if f.Notes, err = rowcodec.DecodeNotes(notes); err != nil {
		return earshot.FollowUp{}, fmt.Errorf("follow-up %s: decoding notes: %w", f.ID, err)
	}
	return f, nil
}

func (s *Store) queryFollowUps(ctx context.Context, query string, args ...any) ([]earshot.FollowUp, error) {
	return queryAll(ctx, s.conn, scanFollowUp, query, args...)
}

// FollowUp returns one follow-up, or earshot.ErrNotFound.
func (s *Store) FollowUp(ctx context.Context, id string) (earshot.FollowUp, error) {
	fs, err := s.queryFollowUps(ctx, mustQuery(s.q, qFollowUp), id)
	return first(fs, err, "reading follow-up "+id, "reading follow-up "+id)
}

// FollowUps returns the follow-ups in any of states (all when none is
// given), by priority then CreatedAt.
func (s *Store) FollowUps(ctx context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error) {
	var (
		fs  []earshot.FollowUp
		err error
	)
	if len(states) == 0 {
		fs, err = s.queryFollowUps(ctx, mustQuery(s.q, qFollowUps))
	} else {
		names := make([]string, len(states))
		for i, st := range states {
			names[i] = string(st)
		}
		fs, err = s.queryFollowUps(ctx, mustQuery(s.q, qFollowUpsInStates), names)
	}
	if err != nil {
		return nil, fmt.Errorf("reading follow-ups: %w", err)
	}
	return fs, nil
}

// MoveFollowUp reads the follow-up, applies t (earshot.FollowUp.Apply
// holds the rules) and writes the result as a new version. Two moves of
// one follow-up at the same instant are not serialized: ClickHouse has no
// transactions, and the later write wins.
func (s *Store) MoveFollowUp(ctx context.Context, id string, t earshot.Transition) (earshot.FollowUp, error) {
	f, err := s.FollowUp(ctx, id)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up: %w", err)
	}
	moved, err := f.Apply(t)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up: %w", err)
	}
	if err := s.SaveFollowUp(ctx, moved); err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up: %w", err)
	}
	moved.UpdatedAt = moved.UpdatedAt.UTC()
	for i := range moved.Notes {
		moved.Notes[i].At = moved.Notes[i].At.UTC()
	}
	return moved, nil
}
