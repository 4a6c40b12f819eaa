package live

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// Store is an earshot.Store that publishes what is saved through it. Read
// the store it wraps with Unwrap to reach interfaces beyond earshot.Store.
type Store struct {
	earshot.Store
	pub earshot.Publisher

	mu     sync.Mutex
	counts map[countKey]*earshot.PostCount
}

type countKey struct {
	watch  string
	minute time.Time
}

// Wrap returns st publishing to pub.
func Wrap(st earshot.Store, pub earshot.Publisher) *Store {
	return &Store{Store: st, pub: pub, counts: map[countKey]*earshot.PostCount{}}
}

// Unwrap returns the wrapped store.
func (s *Store) Unwrap() earshot.Store { return s.Store }

// SavePosts saves posts and counts them, per watch and minute of creation,
// for the next FlushPosts.
func (s *Store) SavePosts(ctx context.Context, posts []earshot.Post) error {
	if err := s.Store.SavePosts(ctx, posts); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range posts {
		watches := p.Watches
		if len(watches) == 0 {
			watches = []string{""}
		}
		for _, w := range watches {
			k := countKey{w, p.CreatedAt.UTC().Truncate(time.Minute)}
			c := s.counts[k]
			if c == nil {
				c = &earshot.PostCount{Watch: w, Minute: k.minute}
				s.counts[k] = c
			}
			c.Posts++
			if p.Sentiment.Label == earshot.Negative {
				c.Negative++
			}
		}
	}
	return nil
}

// FlushPosts publishes the posts counted since the last flush as one
// event, if there were any, and reports whether it did.
func (s *Store) FlushPosts() bool {
	s.mu.Lock()
	if len(s.counts) == 0 {
		s.mu.Unlock()
		return false
	}
	out := make([]earshot.PostCount, 0, len(s.counts))
	for _, c := range s.counts {
		out = append(out, *c)
	}
	clear(s.counts)
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b earshot.PostCount) int {
		return cmp.Or(a.Minute.Compare(b.Minute), cmp.Compare(a.Watch, b.Watch))
	})
	s.pub.Publish(earshot.Event{Type: earshot.EventPosts, Data: out})
	return true
}

// Run flushes the post counts every interval until ctx ends, then once
// more.
func (s *Store) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.FlushPosts()
			return
		case <-t.C:
			s.FlushPosts()
		}
	}
}

// SaveSpike saves s and publishes it.
func (s *Store) SaveSpike(ctx context.Context, sp earshot.Spike) error {
	return s.publishSaved(s.Store.SaveSpike(ctx, sp), earshot.Event{Type: earshot.EventSpike, IncidentID: sp.IncidentID, Data: sp})
}

// SaveAlert saves a and publishes it.
func (s *Store) SaveAlert(ctx context.Context, a earshot.Alert) error {
	return s.publishSaved(s.Store.SaveAlert(ctx, a), earshot.Event{Type: earshot.EventAlert, IncidentID: a.IncidentID, Data: a})
}

// SaveEpisode saves e and publishes it.
func (s *Store) SaveEpisode(ctx context.Context, e earshot.Episode) error {
	return s.publishSaved(s.Store.SaveEpisode(ctx, e), earshot.Event{Type: earshot.EventEpisode, IncidentID: e.IncidentID, Data: e})
}

// SaveIncident saves inc and publishes it.
func (s *Store) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	return s.publishSaved(s.Store.SaveIncident(ctx, inc), earshot.Event{Type: earshot.EventIncident, IncidentID: inc.ID, Data: inc})
}

// SaveFollowUp saves f and publishes it.
func (s *Store) SaveFollowUp(ctx context.Context, f earshot.FollowUp) error {
	return s.publishSaved(s.Store.SaveFollowUp(ctx, f), followUpEvent(f))
}

// MoveFollowUp moves the follow-up and publishes the result.
func (s *Store) MoveFollowUp(ctx context.Context, id string, t earshot.Transition) (earshot.FollowUp, error) {
	f, err := s.Store.MoveFollowUp(ctx, id, t)
	if err != nil {
		return f, err
	}
	s.pub.Publish(followUpEvent(f))
	return f, nil
}

// SavePublication saves a publication about an incident and publishes it,
// so the war room lists it (and its time since the last public update
// restarts) without a reload.
func (s *Store) SavePublication(ctx context.Context, x earshot.Publication) error {
	return s.publishSaved(s.Store.SavePublication(ctx, x), earshot.Event{Type: earshot.EventPublication, IncidentID: x.IncidentID, Data: x})
}

// publishSaved publishes ev once err, what saving its record returned,
// is nil (a record that was not saved is not announced), and returns err.
func (s *Store) publishSaved(err error, ev earshot.Event) error {
	if err != nil {
		return err
	}
	s.pub.Publish(ev)
	return nil
}

// followUpEvent reports a follow-up's move without the customer's details:
// the pages only count states.
func followUpEvent(f earshot.FollowUp) earshot.Event {
	return earshot.Event{Type: earshot.EventFollowUp, IncidentID: f.IncidentID, Data: map[string]any{
		"id": f.ID, "state": f.State, "priority": f.Priority, "incident_id": f.IncidentID,
	}}
}

// Publications wraps a publication store so that it publishes every
// publication saved through it.
func Publications(ps earshot.PublicationStore, pub earshot.Publisher) earshot.PublicationStore {
	return publications{ps, pub}
}

type publications struct {
	earshot.PublicationStore
	pub earshot.Publisher
}

func (p publications) SavePublication(ctx context.Context, x earshot.Publication) error {
	if err := p.PublicationStore.SavePublication(ctx, x); err != nil {
		return err
	}
	p.pub.Publish(earshot.Event{Type: earshot.EventPublication, IncidentID: x.IncidentID, Data: x})
	return nil
}
