package clickhouse

import (
	"context"
	"fmt"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/rowcodec"
)

var _ earshot.PublicationStore = (*Store)(nil)

// SavePublication creates or replaces the publication with p.ID: each save
// writes a row with a newer version.
func (s *Store) SavePublication(ctx context.Context, p earshot.Publication) error {
	p, body, err := rowcodec.Publication(p)
	if err != nil {
		return err
	}
	row := []any{p.ID, p.IncidentID, s.timeArg(p.CreatedAt), body, s.nextVersion()}
	if err := s.insertRow(ctx, qInsertPublication, row); err != nil {
		return fmt.Errorf("saving publication %s: %w", p.ID, err)
	}
	return nil
}

// Publications returns an incident's publications, oldest first (ties by
// ID).
func (s *Store) Publications(ctx context.Context, incidentID string) ([]earshot.Publication, error) {
	var out []earshot.Publication
	err := s.bodies(ctx, qPublications, func(body string) error {
		p, err := rowcodec.DecodePublication(body)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	}, incidentID)
	if err != nil {
		return nil, fmt.Errorf("reading the publications of incident %s: %w", incidentID, err)
	}
	return out, nil
}
