package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/earshot/earshot"
)

// SavePublication creates or replaces the publication with p.ID.
func (m *Store) SavePublication(_ context.Context, p earshot.Publication) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.publications == nil {
		m.publications = map[string]earshot.Publication{}
	}
	p.CreatedAt, p.PublishedAt = p.CreatedAt.UTC(), p.PublishedAt.UTC()
	m.publications[p.ID] = p
	return nil
}

// Publications returns an incident's publications, oldest first (ties by
// ID).
func (m *Store) Publications(_ context.Context, incidentID string) ([]earshot.Publication, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []earshot.Publication
	for _, p := range m.publications {
		if p.IncidentID == incidentID {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Publication) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}
