package duckdb

import (
	"context"
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

// SaveIncident creates or replaces the incident with inc.ID; a nil
// Closure keeps the stored incident's closure.
func (s *Store) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	r, err := incidentRowOf(inc)
	if err != nil {
		return fmt.Errorf("saving incident: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO incidents (`+incidentColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
			COALESCE(?, (SELECT closure FROM incidents WHERE id = ?)))`, append(r.args(), r.ID)...); err != nil {
		return fmt.Errorf("saving incident %s: %w", inc.ID, err)
	}
	return nil
}

// Incident returns the incident with id, or ErrNotFound.
func (s *Store) Incident(ctx context.Context, id string) (earshot.Incident, error) {
	var r incidentRow
	err := s.db.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id = ?`, id).Scan(r.dest()...)
	if err != nil {
		return earshot.Incident{}, fmt.Errorf("reading incident %s: %w", id, notFound(err))
	}
	inc, err := r.incident()
	if err != nil {
		return earshot.Incident{}, fmt.Errorf("reading incident %s: %w", id, err)
	}
	return inc, nil
}

// Incidents returns the incidents open at any time in [from, to): started
// before to and not resolved by from.
func (s *Store) Incidents(ctx context.Context, from, to time.Time) ([]earshot.Incident, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents
		WHERE started_at < ? AND (resolved_at IS NULL OR resolved_at > ?)
		ORDER BY started_at, id`, to.UTC(), from.UTC())
	if err != nil {
		return nil, fmt.Errorf("querying incidents: %w", err)
	}
	out, err := scanAll(rows, (*incidentRow).incident)
	if err != nil {
		return nil, fmt.Errorf("querying incidents: %w", err)
	}
	return out, nil
}

// ActiveIncidents returns the incidents open at t: started at or before t
// and not resolved by then.
func (s *Store) ActiveIncidents(ctx context.Context, t time.Time) ([]earshot.Incident, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents
		WHERE started_at <= ? AND (resolved_at IS NULL OR resolved_at > ?)
		ORDER BY started_at, id`, t.UTC(), t.UTC())
	if err != nil {
		return nil, fmt.Errorf("querying active incidents: %w", err)
	}
	out, err := scanAll(rows, (*incidentRow).incident)
	if err != nil {
		return nil, fmt.Errorf("querying active incidents: %w", err)
	}
	return out, nil
}
