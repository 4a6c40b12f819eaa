package duckdb

import (
	"context"
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

// SaveHealth creates or replaces the health of h.Collector.
func (s *Store) SaveHealth(ctx context.Context, h earshot.SourceHealth) error {
	r := healthRowOf(h)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO health (`+healthColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.args()...); err != nil {
		return fmt.Errorf("saving health of %s: %w", h.Collector, err)
	}
	return nil
}

// Health returns every collector's health, by collector name.
func (s *Store) Health(ctx context.Context) ([]earshot.SourceHealth, error) {
	out, err := queryAll(ctx, s.db, (*healthRow).health, `SELECT `+healthColumns+` FROM health ORDER BY collector`)
	if err != nil {
		return nil, fmt.Errorf("reading health: %w", err)
	}
	return out, nil
}

// SaveGap creates or replaces the gap with g.ID.
func (s *Store) SaveGap(ctx context.Context, g earshot.Gap) error {
	r := gapRowOf(g)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO gaps (`+gapColumns+`)
		VALUES (?, ?, ?, ?, ?, ?)`, r.args()...); err != nil {
		return fmt.Errorf("saving gap %s: %w", g.ID, err)
	}
	return nil
}

// Gaps returns the gaps overlapping [from, to): begun before to and not
// ended by from (a gap with no end has not ended), by start then ID.
func (s *Store) Gaps(ctx context.Context, from, to time.Time) ([]earshot.Gap, error) {
	out, err := queryAll(ctx, s.db, (*gapRow).gap, `SELECT `+gapColumns+` FROM gaps
		WHERE from_at < ? AND (to_at IS NULL OR to_at > ?)
		ORDER BY from_at, id`, to.UTC(), from.UTC())
	if err != nil {
		return nil, fmt.Errorf("reading gaps: %w", err)
	}
	return out, nil
}
