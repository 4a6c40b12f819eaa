package storetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/earshot/earshot"
)

var _ earshot.DigestStore = (*memStore)(nil)

func cloneDigest(d earshot.SentDigest) earshot.SentDigest {
	d.Recipients = slices.Clone(d.Recipients)
	d.From, d.To, d.SentAt = d.From.UTC(), d.To.UTC(), d.SentAt.UTC()
	return d
}

func (m *memStore) SaveDigest(_ context.Context, d earshot.SentDigest) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.digests == nil {
		m.digests = map[string]earshot.SentDigest{}
	}
	m.digests[d.ID] = cloneDigest(d)
	return nil
}

func (m *memStore) SentDigest(_ context.Context, id string) (earshot.SentDigest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.digests[id]
	if !ok {
		return earshot.SentDigest{}, fmt.Errorf("digest %s: %w", id, earshot.ErrNotFound)
	}
	return cloneDigest(d), nil
}

func (m *memStore) allDigests() []earshot.SentDigest {
	var out []earshot.SentDigest
	for _, d := range m.digests {
		out = append(out, cloneDigest(d))
	}
	return out
}

func (m *memStore) SentDigests(_ context.Context, limit int) ([]earshot.SentDigest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return digestsIn(m.allDigests(), limit), nil
}

// digestsIn is the model's SentDigests: newest first, ties by ID.
func digestsIn(all []earshot.SentDigest, limit int) []earshot.SentDigest {
	if limit <= 0 {
		limit = 100
	}
	out := slices.Clone(all)
	slices.SortFunc(out, func(a, b earshot.SentDigest) int { return cmp.Or(b.SentAt.Compare(a.SentAt), cmp.Compare(a.ID, b.ID)) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func (m *mutant) SaveDigest(ctx context.Context, d earshot.SentDigest) error {
	if m.saveDigest != nil {
		m.mu.Lock()
		old := m.digests[d.ID]
		m.mu.Unlock()
		d = m.saveDigest(cloneDigest(d), old)
	}
	return m.memStore.SaveDigest(ctx, d)
}

func (m *mutant) SentDigests(ctx context.Context, limit int) ([]earshot.SentDigest, error) {
	if m.listDigests == nil {
		return m.memStore.SentDigests(ctx, limit)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.listDigests(m.allDigests(), limit), nil
}
