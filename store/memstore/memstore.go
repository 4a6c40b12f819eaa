package memstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
	"github.com/earshot/earshot/store/internal/retention"
)

// Store is an earshot.Store kept in maps, answering from the model the
// conformance suite checks the real backends against. It passes that
// suite; it keeps nothing beyond the process.
type Store struct {
	mu        sync.Mutex
	posts     map[string]earshot.Post
	incidents map[string]earshot.Incident
	followUps map[string]earshot.FollowUp
	spikes    map[string]earshot.Spike
	cursors   map[string]string
	health    map[string]earshot.SourceHealth
	gaps      map[string]earshot.Gap
	// hashes holds the ContentHash of each stored post as SavePosts was
	// given it: a kept or set incident link is not part of it.
	hashes     map[string]uint64
	alerts     map[string]earshot.Alert
	deliveries map[string]earshot.Delivery
	episodes   map[string]earshot.Episode
	threads    map[[2]string]string
	silences   map[string]earshot.Silence
	digests    map[string]earshot.SentDigest
	accounts   map[string]earshot.Account
	tokens     map[string]earshot.APIToken
	sessions   map[string]earshot.Session
	// publications is made by the first SavePublication.
	publications   map[string]earshot.Publication
	socialAccounts map[string]earshot.SocialAccount // by source and handle key
	erasures       []earshot.Erasure
	// retention is how long posts and the rollup are kept (NewRetained).
	// expired is what the rollup still counts of the posts DropExpired
	// removed: their ID, source, creation, watches and sentiment only.
	retention earshot.Retention
	expired   []earshot.Post
	// keep is the version stored when a post replaces old: earshot.KeepLink
	// (the suite's own test swaps it to check the suite catches a wrong one).
	keep   func(p, old earshot.Post) earshot.Post
	closed bool
}

var (
	_ earshot.Store         = (*Store)(nil)
	_ earshot.CustomerStore = (*Store)(nil)
	_ earshot.AuthorEraser  = (*Store)(nil)
	_ earshot.Expirer       = (*Store)(nil)
)

// NewRetained returns an empty Store that keeps posts and the rollup for
// r (see DropExpired); r is not validated.
func NewRetained(r earshot.Retention) *Store {
	m := New()
	m.retention = r
	return m
}

// New returns an empty Store that keeps everything for ever.
func New() *Store {
	return &Store{
		posts:     map[string]earshot.Post{},
		incidents: map[string]earshot.Incident{},
		followUps: map[string]earshot.FollowUp{},
		spikes:    map[string]earshot.Spike{},
		cursors:   map[string]string{},
		health:    map[string]earshot.SourceHealth{},
		gaps:      map[string]earshot.Gap{},

		hashes:         map[string]uint64{},
		alerts:         map[string]earshot.Alert{},
		deliveries:     map[string]earshot.Delivery{},
		episodes:       map[string]earshot.Episode{},
		threads:        map[[2]string]string{},
		silences:       map[string]earshot.Silence{},
		digests:        map[string]earshot.SentDigest{},
		accounts:       map[string]earshot.Account{},
		tokens:         map[string]earshot.APIToken{},
		sessions:       map[string]earshot.Session{},
		socialAccounts: map[string]earshot.SocialAccount{},
		keep:           earshot.KeepLink,
	}
}

func clonePost(p earshot.Post) earshot.Post {
	p.Watches = slices.Clone(p.Watches)
	p.Sentiment.Parts = maps.Clone(p.Sentiment.Parts)
	p.CreatedAt, p.CollectedAt = p.CreatedAt.UTC(), p.CollectedAt.UTC()
	return p
}

func (m *Store) all() []earshot.Post {
	return m.where(func(earshot.Post) bool { return true })
}

// within is all() cut to the posts created in [from, to): every query
// selects by that window, so the window is cut before posts are copied
// and sorted (a long series of short reads stays cheap).
func (m *Store) within(from, to time.Time) []earshot.Post {
	return m.where(func(p earshot.Post) bool { return model.InWindow(p, from, to) })
}

// where is a copy of the stored posts that keep accepts, sorted by ID.
func (m *Store) where(keep func(earshot.Post) bool) []earshot.Post {
	out := make([]earshot.Post, 0, len(m.posts))
	for _, p := range m.posts {
		if keep(p) {
			out = append(out, clonePost(p))
		}
	}
	slices.SortFunc(out, func(a, b earshot.Post) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (m *Store) SavePosts(_ context.Context, posts []earshot.Post) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range earshot.LatestVersions(posts) {
		if old, ok := m.posts[p.ID]; !ok || !p.CollectedAt.Before(old.CollectedAt) {
			m.posts[p.ID] = m.keep(clonePost(p), old)
			m.hashes[p.ID] = earshot.ContentHash(p)
		}
	}
	return nil
}

func (m *Store) Post(_ context.Context, id string) (earshot.Post, error) {
	return get(m, m.posts, id, "post", clonePost)
}

func (m *Store) CountPosts(_ context.Context, q earshot.PostQuery) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Count(m.within(q.From, q.To), q), nil
}

// Series counts the stored posts, and the posts removed for age in the
// minutes of the window the rollup answers (see earshot.Expirer).
func (m *Store) Series(_ context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	posts := m.within(q.From, q.To)
	if lo, hi, ok := model.RollupMinutes(q); ok {
		for _, p := range m.expired {
			if model.InWindow(p, lo, hi) {
				posts = append(posts, p)
			}
		}
	}
	return model.Series(posts, q), nil
}

func (m *Store) TopNegative(_ context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.TopNegative(m.within(q.From, q.To), q), nil
}

func (m *Store) Authors(_ context.Context, q earshot.PostQuery) ([]earshot.AuthorStats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Authors(m.within(q.From, q.To), q), nil
}

func (m *Store) EraseAuthor(_ context.Context, source, authorID string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for id, p := range m.posts {
		if p.Source == source && p.Author.ID == authorID {
			delete(m.posts, id)
			delete(m.hashes, id)
			n++
		}
	}
	return n, nil
}

func cloneIncident(inc earshot.Incident) earshot.Incident {
	inc.Services = slices.Clone(inc.Services)
	inc.Watches = slices.Clone(inc.Watches)
	inc.Updates = slices.Clone(inc.Updates)
	if c := inc.Closure; c != nil {
		c2 := *c
		c2.Overridden = slices.Clone(c.Overridden)
		inc.Closure = &c2
	}
	return inc
}

// SaveIncident creates or replaces the incident with inc.ID; a nil Closure
// keeps the stored incident's closure.
func (m *Store) SaveIncident(_ context.Context, inc earshot.Incident) error {
	inc = cloneIncident(inc)
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.incidents[inc.ID]; ok && inc.Closure == nil {
		inc.Closure = old.Closure
	}
	m.incidents[inc.ID] = inc
	return nil
}

func (m *Store) Incident(_ context.Context, id string) (earshot.Incident, error) {
	return get(m, m.incidents, id, "incident", cloneIncident)
}

func (m *Store) incidentsWhere(keep func(earshot.Incident) bool) []earshot.Incident {
	var out []earshot.Incident
	for _, inc := range m.incidents {
		if keep(inc) {
			out = append(out, cloneIncident(inc))
		}
	}
	// Ties by ID, so that tests see one order (the contract leaves it open).
	slices.SortFunc(out, func(a, b earshot.Incident) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func (m *Store) Incidents(_ context.Context, from, to time.Time) ([]earshot.Incident, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.incidentsWhere(func(i earshot.Incident) bool { return i.Overlaps(from, to) }), nil
}

func (m *Store) ActiveIncidents(_ context.Context, t time.Time) ([]earshot.Incident, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.incidentsWhere(func(i earshot.Incident) bool { return i.ActiveAt(t) }), nil
}

func cloneFollowUp(f earshot.FollowUp) earshot.FollowUp {
	f.PostIDs = slices.Clone(f.PostIDs)
	f.Notes = slices.Clone(f.Notes)
	return f
}

func (m *Store) SaveFollowUp(_ context.Context, f earshot.FollowUp) error {
	return put(m, m.followUps, f.ID, cloneFollowUp(f))
}

func (m *Store) FollowUp(_ context.Context, id string) (earshot.FollowUp, error) {
	return get(m, m.followUps, id, "follow-up", cloneFollowUp)
}

func (m *Store) FollowUps(_ context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []earshot.FollowUp
	for _, f := range m.followUps {
		if len(states) == 0 || slices.Contains(states, f.State) {
			out = append(out, cloneFollowUp(f))
		}
	}
	slices.SortFunc(out, func(a, b earshot.FollowUp) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (m *Store) MoveFollowUp(_ context.Context, id string, t earshot.Transition) (earshot.FollowUp, error) {
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

func (m *Store) SaveSpike(_ context.Context, sp earshot.Spike) error {
	sp.Start, sp.Peak, sp.End = sp.Start.UTC(), sp.Peak.UTC(), sp.End.UTC()
	return put(m, m.spikes, sp.ID, sp)
}

func (m *Store) allSpikes() []earshot.Spike {
	return slices.Collect(maps.Values(m.spikes))
}

func (m *Store) Spikes(_ context.Context, from, to time.Time) ([]earshot.Spike, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Spikes(m.allSpikes(), from, to), nil
}

func (m *Store) Cursor(_ context.Context, collector string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cursors[collector], nil
}

func (m *Store) SetCursor(_ context.Context, collector, cursor string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cursors[collector] = cursor
	return nil
}

func (m *Store) PostHashes(_ context.Context, ids []string) (map[string]uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.HashesFor(m.hashes, ids), nil
}

func (m *Store) Posts(_ context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Posts(m.within(q.From, q.To), q), nil
}

func (m *Store) LinkPosts(_ context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Link(m.posts, q, incidentID), nil
}

func cloneAlert(a earshot.Alert) earshot.Alert {
	a.Labels = maps.Clone(a.Labels)
	a.Why.Terms = slices.Clone(a.Why.Terms)
	a.Why.Reasons = slices.Clone(a.Why.Reasons)
	a.Why.Sources = slices.Clone(a.Why.Sources)
	a.Why.Posts = slices.Clone(a.Why.Posts)
	for i, p := range a.Why.Posts {
		a.Why.Posts[i] = clonePost(p)
	}
	a.StartsAt, a.EndsAt, a.At = a.StartsAt.UTC(), a.EndsAt.UTC(), a.At.UTC()
	return a
}

func (m *Store) SaveAlert(_ context.Context, a earshot.Alert) error {
	return put(m, m.alerts, a.ID, cloneAlert(a))
}

func (m *Store) allAlerts() []earshot.Alert { return cloned(m.alerts, cloneAlert) }

func (m *Store) Alerts(_ context.Context, from, to time.Time) ([]earshot.Alert, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Alerts(m.allAlerts(), from, to), nil
}

func cloneDelivery(d earshot.Delivery) earshot.Delivery {
	d.AlertIDs = slices.Clone(d.AlertIDs)
	d.At = d.At.UTC()
	return d
}

func (m *Store) SaveDelivery(_ context.Context, d earshot.Delivery) error {
	return put(m, m.deliveries, d.ID, cloneDelivery(d))
}

func (m *Store) allDeliveries() []earshot.Delivery { return cloned(m.deliveries, cloneDelivery) }

// put stores v under id in table.
func put[V any](m *Store, table map[string]V, id string, v V) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	table[id] = v
	return nil
}

// get returns a clone of the value under id in table, or ErrNotFound
// naming it a what.
func get[V any](m *Store, table map[string]V, id, what string, clone func(V) V) (V, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := table[id]
	if !ok {
		var zero V
		return zero, fmt.Errorf("%s %s: %w", what, id, earshot.ErrNotFound)
	}
	return clone(v), nil
}

// cloned returns a clone of each value of m.
func cloned[V any](m map[string]V, clone func(V) V) []V {
	var out []V
	for _, v := range m {
		out = append(out, clone(v))
	}
	return out
}

func (m *Store) Deliveries(_ context.Context, from, to time.Time) ([]earshot.Delivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Deliveries(m.allDeliveries(), from, to), nil
}

func (m *Store) SaveHealth(_ context.Context, h earshot.SourceHealth) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h.LastRun, h.LastSuccess, h.LastErrorAt, h.UpdatedAt = h.LastRun.UTC(), h.LastSuccess.UTC(), h.LastErrorAt.UTC(), h.UpdatedAt.UTC()
	m.health[h.Collector] = h
	return nil
}

func (m *Store) Health(context.Context) ([]earshot.SourceHealth, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Health(slices.Collect(maps.Values(m.health))), nil
}

func (m *Store) SaveGap(_ context.Context, g earshot.Gap) error {
	g.From, g.To, g.FilledAt = g.From.UTC(), g.To.UTC(), g.FilledAt.UTC()
	return put(m, m.gaps, g.ID, g)
}

func (m *Store) allGaps() []earshot.Gap {
	return slices.Collect(maps.Values(m.gaps))
}

func (m *Store) Gaps(_ context.Context, from, to time.Time) ([]earshot.Gap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Gaps(m.allGaps(), from, to), nil
}

// Ping answers: the store is always there.
func (m *Store) Ping(context.Context) error { return nil }

// Close marks the store closed; it keeps answering.
func (m *Store) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

func cloneDigest(d earshot.SentDigest) earshot.SentDigest {
	d.Recipients = slices.Clone(d.Recipients)
	d.From, d.To, d.SentAt = d.From.UTC(), d.To.UTC(), d.SentAt.UTC()
	return d
}

func (m *Store) SaveDigest(_ context.Context, d earshot.SentDigest) error {
	return put(m, m.digests, d.ID, cloneDigest(d))
}

func (m *Store) SentDigest(_ context.Context, id string) (earshot.SentDigest, error) {
	return get(m, m.digests, id, "digest", cloneDigest)
}

func (m *Store) allDigests() []earshot.SentDigest { return cloned(m.digests, cloneDigest) }

func (m *Store) SentDigests(_ context.Context, limit int) ([]earshot.SentDigest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return model.Digests(m.allDigests(), limit), nil
}

// The model's episodes, threads and silences, as the contracts in
// package earshot say.

func (m *Store) SaveEpisode(_ context.Context, e earshot.Episode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.OpenedAt, e.UpdatedAt, e.ResolvedAt = e.OpenedAt.UTC(), e.UpdatedAt.UTC(), e.ResolvedAt.UTC()
	e.Metrics, e.AlertIDs = slices.Clone(e.Metrics), slices.Clone(e.AlertIDs)
	m.episodes[e.ID] = e
	return nil
}

func (m *Store) Episodes(_ context.Context, from, to time.Time) ([]earshot.Episode, error) {
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

func (m *Store) SaveThread(_ context.Context, episode, receiver, ref string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.threads[[2]string{episode, receiver}] = ref
	return nil
}

func (m *Store) Thread(_ context.Context, episode, receiver string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.threads[[2]string{episode, receiver}], nil
}

func (m *Store) SaveSilence(_ context.Context, s earshot.Silence) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	s.Matchers = slices.Clone(s.Matchers)
	m.silences[s.ID] = s
	return nil
}

func (m *Store) Silences(_ context.Context, since time.Time) ([]earshot.Silence, error) {
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

func accountKey(a earshot.SocialAccount) string {
	return a.Source + "\x00" + earshot.HandleKey(a.Handle)
}

func (m *Store) SaveSocialAccounts(_ context.Context, accounts []earshot.SocialAccount) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range accounts {
		a.UpdatedAt = a.UpdatedAt.UTC()
		m.socialAccounts[accountKey(a)] = a
	}
	return nil
}

func (m *Store) SocialAccounts(context.Context) ([]earshot.SocialAccount, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Collect(maps.Values(m.socialAccounts))
	slices.SortFunc(out, func(a, b earshot.SocialAccount) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(earshot.HandleKey(a.Handle), earshot.HandleKey(b.Handle)))
	})
	return out, nil
}

func (m *Store) EraseAuthorData(ctx context.Context, e earshot.Erasure) (earshot.Erasure, error) {
	e = e.Prepared(time.Now())
	n, err := m.EraseAuthor(ctx, e.Source, e.AuthorID)
	if err != nil {
		return e, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e.Posts = n
	for id, f := range m.followUps {
		if f.Source == e.Source && f.Author.ID == e.AuthorID {
			delete(m.followUps, id)
			e.FollowUps++
		}
	}
	for id, a := range m.alerts {
		if cut, ok := a.WithoutAuthor(e.Source, e.AuthorID); ok {
			m.alerts[id] = cloneAlert(cut)
			e.Alerts++
		}
	}
	m.erasures = append(m.erasures, e)
	return e, nil
}

func (m *Store) Erasures(context.Context) ([]earshot.Erasure, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.erasures)
	slices.SortStableFunc(out, func(a, b earshot.Erasure) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// Retention returns what NewRetained was given.
func (m *Store) Retention() earshot.Retention { return m.retention }

// DropExpired removes the posts created before the posts' cut, keeping
// what the rollup counts of them, and forgets those counts for minutes
// before the rollup's cut (each cut is now minus its retention, rounded
// down to the minute, as store/duckdb cuts).
func (m *Store) DropExpired(_ context.Context, now time.Time) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var dropped []string
	if cut := retention.Cut(now, m.retention.Posts); !cut.IsZero() {
		n := 0
		for id, p := range m.posts {
			if p.CreatedAt.Before(cut) {
				delete(m.posts, id)
				delete(m.hashes, id)
				m.expired = append(m.expired, earshot.Post{ID: p.ID, Source: p.Source, CreatedAt: p.CreatedAt,
					Watches: p.Watches, Sentiment: earshot.Sentiment{Score: p.Sentiment.Score, Label: p.Sentiment.Label}})
				n++
			}
		}
		if n > 0 {
			dropped = append(dropped, fmt.Sprintf("posts: %d created before %s", n, cut.Format(time.RFC3339)))
		}
	}
	if cut := retention.Cut(now, m.retention.RollupsKept()); !cut.IsZero() {
		kept := m.expired[:0]
		for _, p := range m.expired {
			if !p.CreatedAt.Before(cut) {
				kept = append(kept, p)
			}
		}
		if n := len(m.expired) - len(kept); n > 0 {
			dropped = append(dropped, fmt.Sprintf("rollup: the counts of %d posts of minutes before %s", n, cut.Format(time.RFC3339)))
		}
		clear(m.expired[len(kept):])
		m.expired = kept
	}
	return dropped, nil
}
