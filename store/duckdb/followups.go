package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

const saveFollowUp = `INSERT OR REPLACE INTO follow_ups (` + followUpColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// SaveFollowUp creates or replaces the follow-up with f.ID.
func (s *Store) SaveFollowUp(ctx context.Context, f earshot.FollowUp) error {
	r, err := followUpRowOf(f)
	if err != nil {
		return fmt.Errorf("saving follow-up: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, saveFollowUp, r.args()...); err != nil {
		return fmt.Errorf("saving follow-up %s: %w", f.ID, err)
	}
	return nil
}

// queryer is what reading a follow-up needs: a database or a transaction.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readFollowUp(ctx context.Context, q queryer, id string) (earshot.FollowUp, error) {
	var r followUpRow
	err := q.QueryRowContext(ctx, `SELECT `+followUpColumns+` FROM follow_ups WHERE id = ?`, id).Scan(r.dest()...)
	if err != nil {
		return earshot.FollowUp{}, notFound(err)
	}
	return r.followUp()
}

// FollowUp returns the follow-up with id, or ErrNotFound.
func (s *Store) FollowUp(ctx context.Context, id string) (earshot.FollowUp, error) {
	f, err := readFollowUp(ctx, s.db, id)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("reading follow-up %s: %w", id, err)
	}
	return f, nil
}

// FollowUps returns the follow-ups in any of states, all when none is
// given, by priority then creation time.
func (s *Store) FollowUps(ctx context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error) {
	query := `SELECT ` + followUpColumns + ` FROM follow_ups`
	var args []any
	if len(states) > 0 {
		query += ` WHERE state IN (?` + strings.Repeat(", ?", len(states)-1) + `)`
		for _, st := range states {
			args = append(args, string(st))
		}
	}
	out, err := queryAll(ctx, s.db, (*followUpRow).followUp, query+` ORDER BY priority, created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("querying follow-ups: %w", err)
	}
	return out, nil
}

// MoveFollowUp applies t to the follow-up with id, with the rules of
// FollowUp.Apply, and stores the result in one transaction.
func (s *Store) MoveFollowUp(ctx context.Context, id string, t earshot.Transition) (earshot.FollowUp, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up %s: %w", id, err)
	}
	defer tx.Rollback()
	f, err := readFollowUp(ctx, tx, id)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up %s: %w", id, err)
	}
	moved, err := f.Apply(t)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up: %w", err)
	}
	r, err := followUpRowOf(moved)
	if err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up: %w", err)
	}
	if _, err := tx.ExecContext(ctx, saveFollowUp, r.args()...); err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return earshot.FollowUp{}, fmt.Errorf("moving follow-up %s: %w", id, err)
	}
	return moved, nil
}

// Cursor returns the collector's saved cursor, "" if none.
func (s *Store) Cursor(ctx context.Context, collector string) (string, error) {
	var c string
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM cursors WHERE collector = ?`, collector).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading cursor of %s: %w", collector, err)
	}
	return c, nil
}

// SetCursor saves the collector's cursor.
func (s *Store) SetCursor(ctx context.Context, collector, cursor string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO cursors (collector, cursor, updated_at) VALUES (?, ?, ?)`,
		collector, cursor, time.Now().UTC()); err != nil {
		return fmt.Errorf("saving cursor of %s: %w", collector, err)
	}
	return nil
}
