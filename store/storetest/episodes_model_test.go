package storetest

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/earshot/earshot"
)

// The model's episodes, threads and silences, as the contracts in
// package earshot say.

func (m *memStore) SaveEpisode(_ context.Context, e earshot.Episode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.episodes == nil {
		m.episodes = map[string]earshot.Episode{}
	}
	e.OpenedAt, e.UpdatedAt, e.ResolvedAt = e.OpenedAt.UTC(), e.UpdatedAt.UTC(), e.ResolvedAt.UTC()
	e.Metrics, e.AlertIDs = slices.Clone(e.Metrics), slices.Clone(e.AlertIDs)
	m.episodes[e.ID] = e
	return nil
}

func (m *memStore) Episodes(_ context.Context, from, to time.Time) ([]earshot.Episode, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []earshot.Episode
	for _, e := range m.episodes {
		if e.OpenedAt.Before(to) && !e.UpdatedAt.Before(from) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Episode) int {
		if c := a.OpenedAt.Compare(b.OpenedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (m *memStore) SaveThread(_ context.Context, episode, receiver, ref string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.threads == nil {
		m.threads = map[[2]string]string{}
	}
	m.threads[[2]string{episode, receiver}] = ref
	return nil
}

func (m *memStore) Thread(_ context.Context, episode, receiver string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.threads[[2]string{episode, receiver}], nil
}

func (m *memStore) SaveSilence(_ context.Context, s earshot.Silence) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.silences == nil {
		m.silences = map[string]earshot.Silence{}
	}
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	s.Matchers = slices.Clone(s.Matchers)
	m.silences[s.ID] = s
	return nil
}

func (m *memStore) Silences(_ context.Context, since time.Time) ([]earshot.Silence, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []earshot.Silence
	for _, s := range m.silences {
		if s.EndsAt.After(since) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Silence) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}
