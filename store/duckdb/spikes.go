package duckdb

import (
	"context"
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

// SaveSpike creates or replaces the spike with sp.ID.
func (s *Store) SaveSpike(ctx context.Context, sp earshot.Spike) error {
	r := spikeRowOf(sp)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO spikes (`+spikeColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.args()...); err != nil {
		return fmt.Errorf("saving spike %s: %w", sp.ID, err)
	}
	return nil
}

// Spikes returns the spikes overlapping [from, to): started before to and
// not ended by from (an open spike has not ended), by start then ID.
func (s *Store) Spikes(ctx context.Context, from, to time.Time) ([]earshot.Spike, error) {
	out, err := queryAll(ctx, s.db, (*spikeRow).spike, `SELECT `+spikeColumns+` FROM spikes
		WHERE start_at < ? AND (end_at IS NULL OR end_at > ?)
		ORDER BY start_at, id`, to.UTC(), from.UTC())
	if err != nil {
		return nil, fmt.Errorf("querying spikes: %w", err)
	}
	return out, nil
}
