package engine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
)

// Memory is an earshot.AlertStore in memory, for stores that are not one
// (and for replay): it keeps the most recent alerts and deliveries, by
// time, up to a bound each, and forgets the oldest beyond it.
type Memory struct {
	max        int
	mu         sync.Mutex
	alerts     map[string]earshot.Alert
	deliveries map[string]earshot.Delivery
	episodes   map[string]earshot.Episode
}

var (
	_ earshot.AlertStore   = (*Memory)(nil)
	_ earshot.EpisodeStore = (*Memory)(nil)
)

// AlertStoreOf returns st when it is an earshot.AlertStore, else a new
// Memory.
func AlertStoreOf(st any) earshot.AlertStore {
	if as, ok := st.(earshot.AlertStore); ok {
		return as
	}
	return NewMemory(0)
}

// NewMemory returns a Memory keeping up to max alerts and as many
// deliveries (0 means 10,000).
func NewMemory(max int) *Memory {
	if max <= 0 {
		max = 10_000
	}
	return &Memory{max: max, alerts: map[string]earshot.Alert{}, deliveries: map[string]earshot.Delivery{},
		episodes: map[string]earshot.Episode{}}
}

// SaveAlert creates or replaces the alert with a.ID.
func (m *Memory) SaveAlert(_ context.Context, a earshot.Alert) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.alerts[a.ID] = a
	bound(m.alerts, m.max, func(a earshot.Alert) time.Time { return a.At })
	return nil
}

// Alerts returns the alerts raised in [from, to), by At then ID.
func (m *Memory) Alerts(_ context.Context, from, to time.Time) ([]earshot.Alert, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return within(m.alerts, from, to, func(a earshot.Alert) (time.Time, string) { return a.At, a.ID }), nil
}

// SaveDelivery records a delivery attempt.
func (m *Memory) SaveDelivery(_ context.Context, d earshot.Delivery) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deliveries[d.ID] = d
	bound(m.deliveries, m.max, func(d earshot.Delivery) time.Time { return d.At })
	return nil
}

// Deliveries returns the attempts made in [from, to), by At then ID.
func (m *Memory) Deliveries(_ context.Context, from, to time.Time) ([]earshot.Delivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return within(m.deliveries, from, to, func(d earshot.Delivery) (time.Time, string) { return d.At, d.ID }), nil
}

// bound drops the oldest entries of m beyond max (a tenth at a time, so
// that dropping is rare).
func bound[V any](m map[string]V, max int, at func(V) time.Time) {
	if len(m) <= max {
		return
	}
	type kv struct {
		k string
		t time.Time
	}
	all := make([]kv, 0, len(m))
	for k, v := range m {
		all = append(all, kv{k, at(v)})
	}
	slices.SortFunc(all, func(a, b kv) int { return a.t.Compare(b.t) })
	for _, x := range all[:len(m)-max+max/10] {
		delete(m, x.k)
	}
}

func within[V any](m map[string]V, from, to time.Time, key func(V) (time.Time, string)) []V {
	var out []V
	for _, v := range m {
		if t, _ := key(v); !t.Before(from) && t.Before(to) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b V) int {
		ta, ia := key(a)
		tb, ib := key(b)
		if c := ta.Compare(tb); c != 0 {
			return c
		}
		return cmp.Compare(ia, ib)
	})
	return out
}

// EpisodeStoreOf returns the first of stores that is an
// earshot.EpisodeStore, else a new Memory.
func EpisodeStoreOf(stores ...any) earshot.EpisodeStore {
	for _, st := range stores {
		if es, ok := st.(earshot.EpisodeStore); ok {
			return es
		}
	}
	return NewMemory(0)
}

// SaveEpisode creates or replaces the episode with e.ID.
func (m *Memory) SaveEpisode(_ context.Context, e earshot.Episode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.episodes[e.ID] = e
	bound(m.episodes, m.max, func(e earshot.Episode) time.Time { return e.UpdatedAt })
	return nil
}

// Episodes returns the episodes with a message in [from, to), by OpenedAt
// then ID.
func (m *Memory) Episodes(_ context.Context, from, to time.Time) ([]earshot.Episode, error) {
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

// ExpireSilence ends the silence id in st at now and returns it; an
// expired one is returned unchanged. An unknown ID (or one expired more
// than a week ago) is alerts.ErrSilenceNotFound.
func ExpireSilence(ctx context.Context, st earshot.SilenceStore, id string, now time.Time) (earshot.Silence, error) {
	list, err := st.Silences(ctx, now.Add(-silenceHistory))
	if err != nil {
		return earshot.Silence{}, err
	}
	for _, sl := range list {
		if sl.ID != id {
			continue
		}
		if !sl.EndsAt.After(now) {
			return sl, nil
		}
		sl = alerts.ExpireSilence(sl, now.UTC())
		if err := st.SaveSilence(ctx, sl); err != nil {
			return earshot.Silence{}, err
		}
		return sl, nil
	}
	return earshot.Silence{}, fmt.Errorf("silence %q: %w", id, alerts.ErrSilenceNotFound)
}
