package duckdb

import (
	"context"
	"fmt"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

var _ earshot.PublicationStore = (*Store)(nil)

// SavePublication creates or replaces the publication with p.ID.
func (s *Store) SavePublication(ctx context.Context, p earshot.Publication) error {
	p, body, err := rowcodec.Publication(p)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO publications (id, incident_id, created_at, body)
		VALUES (?, ?, ?, ?)`, validUTF8(p.ID), validUTF8(p.IncidentID), p.CreatedAt, validUTF8(body)); err != nil {
		return fmt.Errorf("saving publication %s: %w", p.ID, err)
	}
	return nil
}

// Publications returns an incident's publications, oldest first (ties by
// ID).
func (s *Store) Publications(ctx context.Context, incidentID string) ([]earshot.Publication, error) {
	bodies, err := queryAll(ctx, s.db, (*bodyRow).value, `SELECT body FROM publications
		WHERE incident_id = ?
		ORDER BY created_at, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("reading the publications of incident %s: %w", incidentID, err)
	}
	return rowcodec.DecodeAll(bodies, rowcodec.DecodePublication)
}
