package storetest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// memStore is a store kept in maps, answering from the suite's model. It
// checks the suite's mechanics and that its cases agree with each other; it
// does not prove the model right (the hand-written answers in the cases,
// and the real backends, do that).
type memStore struct {
	mu        sync.Mutex
	posts     map[string]earshot.Post
	incidents map[string]earshot.Incident
	followUps map[string]earshot.FollowUp
	cursors   map[string]string
	closed    bool
}

var _ earshot.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{
		posts:     map[string]earshot.Post{},
		incidents: map[string]earshot.Incident{},
		followUps: map[string]earshot.FollowUp{},
		cursors:   map[string]string{},
	}
}

func clonePost(p earshot.Post) earshot.Post {
	p.Watches = slices.Clone(p.Watches)
	p.Sentiment.Parts = maps.Clone(p.Sentiment.Parts)
	p.CreatedAt, p.CollectedAt = p.CreatedAt.UTC(), p.CollectedAt.UTC()
	return p
}

func (m *memStore) all() []earshot.Post {
	out := make([]earshot.Post, 0, len(m.posts))
	for _, p := range m.posts {
		out = append(out, clonePost(p))
	}
	slices.SortFunc(out, func(a, b earshot.Post) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (m *memStore) SavePosts(_ context.Context, posts []earshot.Post) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range posts {
		if old, ok := m.posts[p.ID]; !ok || !p.CollectedAt.Before(old.CollectedAt) {
			m.posts[p.ID] = clonePost(p)
		}
	}
	return nil
}

func (m *memStore) Post(_ context.Context, id string) (earshot.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.posts[id]
	if !ok {
		return earshot.Post{}, fmt.Errorf("post %s: %w", id, earshot.ErrNotFound)
	}
	return clonePost(p), nil
}

func (m *memStore) CountPosts(_ context.Context, q earshot.PostQuery) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return modelCount(m.all(), q), nil
}

func (m *memStore) Series(_ context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return modelSeries(m.all(), q), nil
}

func (m *memStore) TopNegative(_ context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return modelTopNegative(m.all(), q), nil
}

func (m *memStore) Authors(_ context.Context, q earshot.PostQuery) ([]earshot.AuthorStats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return modelAuthors(m.all(), q), nil
}

func (m *memStore) EraseAuthor(_ context.Context, source, authorID string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for id, p := range m.posts {
		if p.Source == source && p.Author.ID == authorID {
			delete(m.posts, id)
			n++
		}
	}
	return n, nil
}

func cloneIncident(inc earshot.Incident) earshot.Incident {
	inc.Services = slices.Clone(inc.Services)
	inc.Updates = slices.Clone(inc.Updates)
	return inc
}

func (m *memStore) SaveIncident(_ context.Context, inc earshot.Incident) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.incidents[inc.ID] = cloneIncident(inc)
	return nil
}

func (m *memStore) Incident(_ context.Context, id string) (earshot.Incident, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	inc, ok := m.incidents[id]
	if !ok {
		return earshot.Incident{}, fmt.Errorf("incident %s: %w", id, earshot.ErrNotFound)
	}
	return cloneIncident(inc), nil
}

func (m *memStore) incidentsWhere(keep func(earshot.Incident) bool) []earshot.Incident {
	var out []earshot.Incident
	for _, inc := range m.incidents {
		if keep(inc) {
			out = append(out, cloneIncident(inc))
		}
	}
	slices.SortFunc(out, func(a, b earshot.Incident) int { return a.StartedAt.Compare(b.StartedAt) })
	return out
}

func (m *memStore) Incidents(_ context.Context, from, to time.Time) ([]earshot.Incident, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.incidentsWhere(func(i earshot.Incident) bool { return i.Overlaps(from, to) }), nil
}

func (m *memStore) ActiveIncidents(_ context.Context, t time.Time) ([]earshot.Incident, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.incidentsWhere(func(i earshot.Incident) bool { return i.ActiveAt(t) }), nil
}

func cloneFollowUp(f earshot.FollowUp) earshot.FollowUp {
	f.PostIDs = slices.Clone(f.PostIDs)
	f.Notes = slices.Clone(f.Notes)
	return f
}

func (m *memStore) SaveFollowUp(_ context.Context, f earshot.FollowUp) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.followUps[f.ID] = cloneFollowUp(f)
	return nil
}

func (m *memStore) FollowUp(_ context.Context, id string) (earshot.FollowUp, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.followUps[id]
	if !ok {
		return earshot.FollowUp{}, fmt.Errorf("follow-up %s: %w", id, earshot.ErrNotFound)
	}
	return cloneFollowUp(f), nil
}

func (m *memStore) FollowUps(_ context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []earshot.FollowUp
	for _, f := range m.followUps {
		if len(states) == 0 || slices.Contains(states, f.State) {
			out = append(out, cloneFollowUp(f))
		}
	}
	slices.SortFunc(out, func(a, b earshot.FollowUp) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), a.CreatedAt.Compare(b.CreatedAt))
	})
	return out, nil
}

func (m *memStore) MoveFollowUp(_ context.Context, id string, t earshot.Transition) (earshot.FollowUp, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.followUps[id]
	if !ok {
		return earshot.FollowUp{}, fmt.Errorf("follow-up %s: %w", id, earshot.ErrNotFound)
	}
	moved, err := f.Apply(t)
	if err != nil {
		return earshot.FollowUp{}, err
	}
	m.followUps[id] = cloneFollowUp(moved)
	return moved, nil
}

func (m *memStore) Cursor(_ context.Context, collector string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cursors[collector], nil
}

func (m *memStore) SetCursor(_ context.Context, collector, cursor string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cursors[collector] = cursor
	return nil
}

func (m *memStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

func TestSuiteOnModel(t *testing.T) {
	var stores []*memStore
	cleanUps := 0
	Suite{
		New: func(t *testing.T) earshot.Store {
			st := newMemStore()
			stores = append(stores, st)
			return st
		},
		CleanUp: func(t *testing.T) {
			if last := stores[len(stores)-1]; !last.closed {
				t.Error("CleanUp ran before the case's store was closed")
			}
			cleanUps++
		},
	}.Run(t)
	if len(stores) != len(cases) || cleanUps != len(cases) {
		t.Errorf("%d cases made %d stores and %d clean-ups, want one each", len(cases), len(stores), cleanUps)
	}
}

func TestSuiteSkip(t *testing.T) {
	made := 0
	skip := Cases()[1:]
	Suite{
		New:  func(t *testing.T) earshot.Store { made++; return newMemStore() },
		Skip: skip,
	}.Run(t)
	if made != 1 {
		t.Errorf("with all but one case skipped, New ran %d times, want 1", made)
	}
}

func TestBucketStart(t *testing.T) {
	for _, tc := range []struct {
		at    string
		width time.Duration
		want  string
	}{
		{"2026-03-02T10:00:59.999Z", time.Minute, "2026-03-02T10:00:00Z"},
		{"2026-03-02T10:59:00Z", time.Hour, "2026-03-02T10:00:00Z"},
		{"2026-03-02T23:59:59Z", day, "2026-03-02T00:00:00Z"},
		{"2026-03-02T00:00:00Z", day, "2026-03-02T00:00:00Z"},
		{"1969-12-31T23:59:00Z", day, "1969-12-31T00:00:00Z"},
	} {
		if got := bucketStart(at(tc.at), tc.width); !got.Equal(at(tc.want)) {
			t.Errorf("bucketStart(%s, %s) = %s, want %s", tc.at, tc.width, got, tc.want)
		}
	}
}
