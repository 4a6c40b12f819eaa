package memstore

import (
	"cmp"
	"context"
	"maps"
	"math"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
	"github.com/earshot/earshot/store/storetest"
)

func TestSuiteOnModel(t *testing.T) {
	var stores []*Store
	cleanUps := 0
	storetest.Suite{
		New: func(t *testing.T) earshot.Store {
			st := New()
			stores = append(stores, st)
			return st
		},
		NewRetained: func(t *testing.T, r earshot.Retention) earshot.Store { return NewRetained(r) },
		CleanUp: func(t *testing.T) {
			if last := stores[len(stores)-1]; !last.closed {
				t.Error("CleanUp ran before the case's store was closed")
			}
			cleanUps++
		},
	}.Run(t)
	if len(stores) != len(storetest.Cases()) || cleanUps != len(storetest.Cases()) {
		t.Errorf("%d cases made %d stores and %d clean-ups, want one each", len(storetest.Cases()), len(stores), cleanUps)
	}
}

// mutant is a Store wrong in one way a backend could be: each hook, when
// set, replaces what the model does.
type mutant struct {
	*Store
	// savePosts rewrites each post before it is saved over old (zero when
	// new).
	savePosts func(p, old earshot.Post) earshot.Post
	// topNegative rewrites each post TopNegative returns.
	topNegative func(p earshot.Post) earshot.Post
	// saveSpike rewrites each spike before it is saved over old (zero
	// when new).
	saveSpike func(sp, old earshot.Spike) earshot.Spike
	// spikes answers Spikes from every stored spike.
	spikes func(all []earshot.Spike, from, to time.Time) []earshot.Spike
	// postHashes answers PostHashes from every version given to
	// SavePosts, by ID in the order saved, and the right hashes of the
	// stored posts.
	postHashes func(saved map[string][]earshot.Post, stored map[string]uint64, ids []string) map[string]uint64
	// saveHealth rewrites each health before it is saved over old (zero
	// when new).
	saveHealth func(h, old earshot.SourceHealth) earshot.SourceHealth
	// health answers Health from every stored health.
	health func(all []earshot.SourceHealth) []earshot.SourceHealth
	// saveGap rewrites each gap before it is saved over old (zero when
	// new).
	saveGap func(g, old earshot.Gap) earshot.Gap
	// gaps answers Gaps from every stored gap.
	gaps func(all []earshot.Gap, from, to time.Time) []earshot.Gap
	// oneByOne saves the posts of one call one at a time, in order.
	oneByOne bool
	// keep replaces keepLink: the version stored when p replaces old.
	keep func(p, old earshot.Post) earshot.Post
	// listPosts answers Posts from every stored post.
	listPosts func(all []earshot.Post, q earshot.PostQuery) []earshot.Post
	// linkPosts does LinkPosts on the store, locked.
	linkPosts func(m *Store, q earshot.PostQuery, incidentID string) int64
	// saveAlert rewrites each alert before it is saved over old (zero
	// when new).
	saveAlert func(a, old earshot.Alert) earshot.Alert
	// listAlerts answers Alerts from every stored alert.
	listAlerts func(all []earshot.Alert, from, to time.Time) []earshot.Alert
	// saveDelivery rewrites each delivery before it is saved over old
	// (zero when new).
	saveDelivery func(d, old earshot.Delivery) earshot.Delivery
	// listDeliveries answers Deliveries from every stored delivery.
	listDeliveries func(all []earshot.Delivery, from, to time.Time) []earshot.Delivery
	// saveDigest rewrites each sent digest before it is saved over old.
	saveDigest func(d, old earshot.SentDigest) earshot.SentDigest
	// listDigests answers SentDigests from every stored digest.
	listDigests func(all []earshot.SentDigest, limit int) []earshot.SentDigest
	// dropExpired does DropExpired on the store.
	dropExpired func(ctx context.Context, m *Store, now time.Time) ([]string, error)

	saved map[string][]earshot.Post // every version given to SavePosts
}

func (m *mutant) SavePosts(ctx context.Context, posts []earshot.Post) error {
	m.mu.Lock()
	if m.saved == nil {
		m.saved = map[string][]earshot.Post{}
	}
	for _, p := range posts {
		m.saved[p.ID] = append(m.saved[p.ID], clonePost(p))
	}
	m.mu.Unlock()
	if m.savePosts != nil {
		changed := make([]earshot.Post, len(posts))
		for i, p := range posts {
			m.mu.Lock()
			old := m.posts[p.ID]
			m.mu.Unlock()
			changed[i] = m.savePosts(clonePost(p), old)
		}
		posts = changed
	}
	if m.oneByOne {
		for _, p := range posts {
			if err := m.Store.SavePosts(ctx, []earshot.Post{p}); err != nil {
				return err
			}
		}
		return nil
	}
	return m.Store.SavePosts(ctx, posts)
}

func (m *mutant) TopNegative(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	ps, err := m.Store.TopNegative(ctx, q)
	if m.topNegative != nil {
		for i := range ps {
			ps[i] = m.topNegative(ps[i])
		}
	}
	return ps, err
}

func (m *mutant) SaveSpike(ctx context.Context, sp earshot.Spike) error {
	if m.saveSpike != nil {
		m.mu.Lock()
		old := m.Store.spikes[sp.ID]
		m.mu.Unlock()
		sp = m.saveSpike(sp, old)
	}
	return m.Store.SaveSpike(ctx, sp)
}

func (m *mutant) Spikes(ctx context.Context, from, to time.Time) ([]earshot.Spike, error) {
	if m.spikes == nil {
		return m.Store.Spikes(ctx, from, to)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.spikes(m.allSpikes(), from, to), nil
}

func (m *mutant) PostHashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	if m.postHashes == nil {
		return m.Store.PostHashes(ctx, ids)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.postHashes(m.saved, maps.Clone(m.hashes), ids), nil
}

func (m *mutant) Posts(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	if m.listPosts == nil {
		return m.Store.Posts(ctx, q)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.listPosts(m.all(), q), nil
}

func (m *mutant) LinkPosts(ctx context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	if m.linkPosts == nil {
		return m.Store.LinkPosts(ctx, q, incidentID)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.linkPosts(m.Store, q, incidentID), nil
}

func (m *mutant) SaveAlert(ctx context.Context, a earshot.Alert) error {
	if m.saveAlert != nil {
		m.mu.Lock()
		old := m.Store.alerts[a.ID]
		m.mu.Unlock()
		a = m.saveAlert(cloneAlert(a), old)
	}
	return m.Store.SaveAlert(ctx, a)
}

func (m *mutant) Alerts(ctx context.Context, from, to time.Time) ([]earshot.Alert, error) {
	if m.listAlerts == nil {
		return m.Store.Alerts(ctx, from, to)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.listAlerts(m.allAlerts(), from, to), nil
}

func (m *mutant) SaveDelivery(ctx context.Context, d earshot.Delivery) error {
	if m.saveDelivery != nil {
		m.mu.Lock()
		old := m.Store.deliveries[d.ID]
		m.mu.Unlock()
		d = m.saveDelivery(cloneDelivery(d), old)
	}
	return m.Store.SaveDelivery(ctx, d)
}

func (m *mutant) Deliveries(ctx context.Context, from, to time.Time) ([]earshot.Delivery, error) {
	if m.listDeliveries == nil {
		return m.Store.Deliveries(ctx, from, to)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.listDeliveries(m.allDeliveries(), from, to), nil
}

func (m *mutant) SaveHealth(ctx context.Context, h earshot.SourceHealth) error {
	if m.saveHealth != nil {
		m.mu.Lock()
		old := m.Store.health[h.Collector]
		m.mu.Unlock()
		h = m.saveHealth(h, old)
	}
	return m.Store.SaveHealth(ctx, h)
}

func (m *mutant) Health(ctx context.Context) ([]earshot.SourceHealth, error) {
	if m.health == nil {
		return m.Store.Health(ctx)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.health(slices.Collect(maps.Values(m.Store.health))), nil
}

func (m *mutant) SaveGap(ctx context.Context, g earshot.Gap) error {
	if m.saveGap != nil {
		m.mu.Lock()
		old := m.Store.gaps[g.ID]
		m.mu.Unlock()
		g = m.saveGap(g, old)
	}
	return m.Store.SaveGap(ctx, g)
}

func (m *mutant) Gaps(ctx context.Context, from, to time.Time) ([]earshot.Gap, error) {
	if m.gaps == nil {
		return m.Store.Gaps(ctx, from, to)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gaps(m.allGaps(), from, to), nil
}

// hashVersion answers PostHashes with the hash of the version pick chooses
// among the saved versions of each stored ID.
func hashVersion(pick func(versions []earshot.Post) earshot.Post) func(map[string][]earshot.Post, map[string]uint64, []string) map[string]uint64 {
	return func(saved map[string][]earshot.Post, stored map[string]uint64, ids []string) map[string]uint64 {
		out := map[string]uint64{}
		for id, h := range model.HashesFor(stored, ids) {
			out[id] = h
			if vs := saved[id]; len(vs) > 0 {
				out[id] = earshot.ContentHash(pick(vs))
			}
		}
		return out
	}
}

// filterGaps keeps the gaps for which keep holds, ordered by order.
func filterGaps(all []earshot.Gap, keep func(earshot.Gap) bool, order func(a, b earshot.Gap) int) []earshot.Gap {
	var out []earshot.Gap
	for _, g := range all {
		if keep(g) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, order)
	return out
}

func byFromThenID(a, b earshot.Gap) int {
	return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.ID, b.ID))
}

// filterSpikes keeps the spikes for which keep holds, ordered by order.
func filterSpikes(all []earshot.Spike, keep func(earshot.Spike) bool, order func(a, b earshot.Spike) int) []earshot.Spike {
	var out []earshot.Spike
	for _, sp := range all {
		if keep(sp) {
			out = append(out, sp)
		}
	}
	slices.SortFunc(out, order)
	return out
}

func byStartThenID(a, b earshot.Spike) int {
	return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
}

// mutants are the ways the suite's cases on replies, reasons, ratings,
// app versions, posts by the brand, spikes, post hashes, health and gaps
// must catch a backend going wrong, with the cases that must fail on each.
var mutants = map[string]struct {
	cases []string
	m     mutant
}{
	"drops the parent": {
		[]string{"PostRoundTrip", "PostReplay", "TopNegative", "PostHashes"},
		mutant{savePosts: func(p, _ earshot.Post) earshot.Post { p.ParentID = ""; return p }},
	},
	"drops the reason": {
		[]string{"PostRoundTrip", "PostReplay", "TopNegative", "Posts"},
		mutant{savePosts: func(p, _ earshot.Post) earshot.Post { p.Sentiment.Reason = ""; return p }},
	},
	"keeps the parent and reason of the version replaced": {
		[]string{"PostReplay", "PostHashes"},
		mutant{savePosts: func(p, old earshot.Post) earshot.Post {
			p.ParentID = cmp.Or(p.ParentID, old.ParentID)
			p.Sentiment.Reason = cmp.Or(p.Sentiment.Reason, old.Sentiment.Reason)
			return p
		}},
	},
	"TopNegative reads no parent or reason": {
		[]string{"TopNegative"},
		mutant{topNegative: func(p earshot.Post) earshot.Post { p.ParentID, p.Sentiment.Reason = "", ""; return p }},
	},
	"drops the rating": {
		[]string{"LinkPosts", "PostReplay", "PostRoundTrip", "Posts"},
		mutant{savePosts: func(p, _ earshot.Post) earshot.Post { p.Rating = 0; return p }},
	},
	"drops from_brand": {
		[]string{"LinkPosts", "PostReplay", "PostRoundTrip", "Posts"},
		mutant{savePosts: func(p, _ earshot.Post) earshot.Post { p.FromBrand = false; return p }},
	},
	"drops the app version": {
		[]string{"LinkPosts", "PostReplay", "PostRoundTrip", "Posts"},
		mutant{savePosts: func(p, _ earshot.Post) earshot.Post { p.AppVersion = ""; return p }},
	},
	"keeps the app version of the version replaced": {
		[]string{"PostReplay"},
		mutant{savePosts: func(p, old earshot.Post) earshot.Post {
			p.AppVersion = cmp.Or(p.AppVersion, old.AppVersion)
			return p
		}},
	},
	"keeps the rating and from_brand of the version replaced": {
		[]string{"PostReplay"},
		mutant{savePosts: func(p, old earshot.Post) earshot.Post {
			p.Rating = cmp.Or(p.Rating, old.Rating)
			p.FromBrand = p.FromBrand || old.FromBrand
			return p
		}},
	},
	"drops the link confidence": {
		[]string{"SpikeRoundTrip"},
		mutant{saveSpike: func(sp, _ earshot.Spike) earshot.Spike { sp.LinkConfidence = 0; return sp }},
	},
	"keeps times in whole seconds": {
		[]string{"SpikeRoundTrip", "SpikeOrdering"},
		mutant{saveSpike: func(sp, _ earshot.Spike) earshot.Spike { sp.Start = sp.Start.Truncate(time.Second); return sp }},
	},
	"keeps the first version": {
		[]string{"SpikeRoundTrip"},
		mutant{saveSpike: func(sp, old earshot.Spike) earshot.Spike {
			if old.ID != "" {
				return old
			}
			return sp
		}},
	},
	"merges versions": {
		[]string{"SpikeRoundTrip"},
		mutant{saveSpike: func(sp, old earshot.Spike) earshot.Spike {
			sp.IncidentID = cmp.Or(sp.IncidentID, old.IncidentID)
			sp.LinkConfidence = cmp.Or(sp.LinkConfidence, old.LinkConfidence)
			return sp
		}},
	},
	"keeps the first start": {
		[]string{"SpikeRoundTrip"},
		mutant{saveSpike: func(sp, old earshot.Spike) earshot.Spike {
			if old.ID != "" {
				sp.Start = old.Start
			}
			return sp
		}},
	},
	"leaves open spikes out": {
		[]string{"SpikeRoundTrip", "SpikeWindows", "SpikeOrdering"},
		mutant{spikes: func(all []earshot.Spike, from, to time.Time) []earshot.Spike {
			return filterSpikes(all, func(sp earshot.Spike) bool { return sp.Start.Before(to) && sp.End.After(from) }, byStartThenID)
		}},
	},
	"takes End as inclusive": {
		[]string{"SpikeRoundTrip", "SpikeWindows"},
		mutant{spikes: func(all []earshot.Spike, from, to time.Time) []earshot.Spike {
			return filterSpikes(all, func(sp earshot.Spike) bool {
				return sp.Start.Before(to) && (sp.End.IsZero() || !sp.End.Before(from))
			}, byStartThenID)
		}},
	},
	"takes to as inclusive": {
		[]string{"SpikeRoundTrip", "SpikeWindows"},
		mutant{spikes: func(all []earshot.Spike, from, to time.Time) []earshot.Spike {
			return filterSpikes(all, func(sp earshot.Spike) bool {
				return !sp.Start.After(to) && (sp.End.IsZero() || sp.End.After(from))
			}, byStartThenID)
		}},
	},
	"keeps spikes started in the window only": {
		[]string{"SpikeRoundTrip", "SpikeWindows", "SpikeOrdering"},
		mutant{spikes: func(all []earshot.Spike, from, to time.Time) []earshot.Spike {
			return filterSpikes(all, func(sp earshot.Spike) bool { return !sp.Start.Before(from) && sp.Start.Before(to) }, byStartThenID)
		}},
	},
	"orders by ID only": {
		[]string{"SpikeRoundTrip", "SpikeWindows", "SpikeOrdering"},
		mutant{spikes: func(all []earshot.Spike, from, to time.Time) []earshot.Spike {
			return filterSpikes(all, func(sp earshot.Spike) bool { return model.SpikeOverlaps(sp, from, to) },
				func(a, b earshot.Spike) int { return cmp.Compare(a.ID, b.ID) })
		}},
	},
	"orders ties by score, then by ID backwards": {
		[]string{"SpikeWindows", "SpikeOrdering"},
		mutant{spikes: func(all []earshot.Spike, from, to time.Time) []earshot.Spike {
			return filterSpikes(all, func(sp earshot.Spike) bool { return model.SpikeOverlaps(sp, from, to) },
				func(a, b earshot.Spike) int {
					return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Score, b.Score), cmp.Compare(b.ID, a.ID))
				})
		}},
	},
	"hashes the version saved last": {
		[]string{"PostHashes"},
		mutant{postHashes: hashVersion(func(vs []earshot.Post) earshot.Post { return vs[len(vs)-1] })},
	},
	"hashes the version saved first": {
		[]string{"PostHashes", "PostHashesLargeBatch", "LinkedPostHashes"},
		mutant{postHashes: hashVersion(func(vs []earshot.Post) earshot.Post { return vs[0] })},
	},
	"hashes the first of versions collected at the same time": {
		[]string{"PostHashes"},
		mutant{postHashes: hashVersion(func(vs []earshot.Post) earshot.Post {
			win := vs[0]
			for _, v := range vs[1:] {
				if v.CollectedAt.After(win.CollectedAt) {
					win = v
				}
			}
			return win
		})},
	},
	"answers at most 1000 IDs": {
		[]string{"PostHashesLargeBatch"},
		mutant{postHashes: func(_ map[string][]earshot.Post, stored map[string]uint64, ids []string) map[string]uint64 {
			return model.HashesFor(stored, ids[:min(len(ids), 1000)])
		}},
	},
	"answers missing IDs with 0": {
		[]string{"PostHashes", "PostHashesLargeBatch"},
		mutant{postHashes: func(_ map[string][]earshot.Post, stored map[string]uint64, ids []string) map[string]uint64 {
			out := model.HashesFor(stored, ids)
			for _, id := range ids {
				if _, ok := out[id]; !ok {
					out[id] = 0
				}
			}
			return out
		}},
	},
	"keeps the backoff in whole milliseconds": {
		[]string{"HealthRoundTrip"},
		mutant{saveHealth: func(h, _ earshot.SourceHealth) earshot.SourceHealth {
			h.Backoff = h.Backoff.Truncate(time.Millisecond)
			return h
		}},
	},
	"reads a zero time as 1970": {
		[]string{"HealthRoundTrip"},
		mutant{saveHealth: func(h, _ earshot.SourceHealth) earshot.SourceHealth {
			if h.LastSuccess.IsZero() {
				h.LastSuccess = time.Unix(0, 0)
			}
			return h
		}},
	},
	"merges health": {
		[]string{"HealthRoundTrip"},
		mutant{saveHealth: func(h, old earshot.SourceHealth) earshot.SourceHealth {
			h.LastError = cmp.Or(h.LastError, old.LastError)
			h.LastErrorAt = cmp.Or(h.LastErrorAt, old.LastErrorAt)
			return h
		}},
	},
	"orders health by collector ignoring case": {
		[]string{"HealthRoundTrip", "HealthOrdering"},
		mutant{health: func(all []earshot.SourceHealth) []earshot.SourceHealth {
			slices.SortFunc(all, func(a, b earshot.SourceHealth) int {
				return cmp.Compare(strings.ToLower(a.Collector), strings.ToLower(b.Collector))
			})
			return all
		}},
	},
	"orders health by kind": {
		[]string{"HealthRoundTrip", "HealthOrdering"},
		mutant{health: func(all []earshot.SourceHealth) []earshot.SourceHealth {
			slices.SortFunc(all, func(a, b earshot.SourceHealth) int {
				return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Collector, b.Collector))
			})
			return all
		}},
	},
	"keeps the first version of a gap": {
		[]string{"GapRoundTrip"},
		mutant{saveGap: func(g, old earshot.Gap) earshot.Gap {
			if old.ID != "" {
				return old
			}
			return g
		}},
	},
	"merges gaps": {
		[]string{"GapRoundTrip"},
		mutant{saveGap: func(g, old earshot.Gap) earshot.Gap {
			g.FilledAt = cmp.Or(g.FilledAt, old.FilledAt)
			return g
		}},
	},
	"leaves open gaps out": {
		[]string{"GapRoundTrip", "GapWindows"},
		mutant{gaps: func(all []earshot.Gap, from, to time.Time) []earshot.Gap {
			return filterGaps(all, func(g earshot.Gap) bool { return g.From.Before(to) && g.To.After(from) }, byFromThenID)
		}},
	},
	"takes unfilled gaps as open": {
		[]string{"GapRoundTrip", "GapWindows"},
		mutant{gaps: func(all []earshot.Gap, from, to time.Time) []earshot.Gap {
			return filterGaps(all, func(g earshot.Gap) bool { return g.From.Before(to) && (g.Open() || g.To.After(from)) }, byFromThenID)
		}},
	},
	"takes a gap's To as inclusive": {
		[]string{"GapWindows"},
		mutant{gaps: func(all []earshot.Gap, from, to time.Time) []earshot.Gap {
			return filterGaps(all, func(g earshot.Gap) bool { return g.From.Before(to) && (g.To.IsZero() || !g.To.Before(from)) }, byFromThenID)
		}},
	},
	"takes Gaps' to as inclusive": {
		[]string{"GapRoundTrip", "GapWindows"},
		mutant{gaps: func(all []earshot.Gap, from, to time.Time) []earshot.Gap {
			return filterGaps(all, func(g earshot.Gap) bool { return !g.From.After(to) && (g.To.IsZero() || g.To.After(from)) }, byFromThenID)
		}},
	},
	"keeps gaps begun in the window only": {
		[]string{"GapRoundTrip", "GapWindows"},
		mutant{gaps: func(all []earshot.Gap, from, to time.Time) []earshot.Gap {
			return filterGaps(all, func(g earshot.Gap) bool { return !g.From.Before(from) && g.From.Before(to) }, byFromThenID)
		}},
	},
	"orders gaps by ID only": {
		[]string{"GapRoundTrip", "GapWindows"},
		mutant{gaps: func(all []earshot.Gap, from, to time.Time) []earshot.Gap {
			return filterGaps(all, func(g earshot.Gap) bool { return model.GapOverlaps(g, from, to) },
				func(a, b earshot.Gap) int { return cmp.Compare(a.ID, b.ID) })
		}},
	},
	"orders gaps with equal From by ID ignoring case": {
		[]string{"GapWindows"},
		mutant{gaps: func(all []earshot.Gap, from, to time.Time) []earshot.Gap {
			return filterGaps(all, func(g earshot.Gap) bool { return model.GapOverlaps(g, from, to) },
				func(a, b earshot.Gap) int {
					return cmp.Or(a.From.Compare(b.From), cmp.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID)))
				})
		}},
	},
	"orders ties by ID ignoring case": {
		[]string{"SpikeOrdering"},
		mutant{spikes: func(all []earshot.Spike, from, to time.Time) []earshot.Spike {
			return filterSpikes(all, func(sp earshot.Spike) bool { return model.SpikeOverlaps(sp, from, to) },
				func(a, b earshot.Spike) int {
					return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID)))
				})
		}},
	},
	"lists posts oldest first": {
		[]string{"Posts", "PostsLimits"},
		mutant{listPosts: func(all []earshot.Post, q earshot.PostQuery) []earshot.Post {
			return listPostsBy(all, q, model.MaxPosts, func(a, b earshot.Post) int {
				return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
			})
		}},
	},
	"lists posts created at once by ID backwards": {
		[]string{"Posts", "PostsLimits"},
		mutant{listPosts: func(all []earshot.Post, q earshot.PostQuery) []earshot.Post {
			return listPostsBy(all, q, model.MaxPosts, func(a, b earshot.Post) int {
				return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
			})
		}},
	},
	"lists as many posts as Limit asks": {
		[]string{"PostsLimits"},
		mutant{listPosts: func(all []earshot.Post, q earshot.PostQuery) []earshot.Post {
			return listPostsBy(all, q, math.MaxInt, func(a, b earshot.Post) int {
				return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.ID, b.ID))
			})
		}},
	},
	"links ignoring the source filter": {
		[]string{"LinkPosts"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			q.Source = ""
			return model.Link(m.posts, q, incidentID)
		}},
	},
	"links ignoring the watch filter": {
		[]string{"LinkPosts"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			q.Watch = ""
			return model.Link(m.posts, q, incidentID)
		}},
	},
	"links the posts created at To": {
		[]string{"LinkPosts", "LinkSurvivesRecollection"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			q.To = q.To.Add(time.Nanosecond)
			return model.Link(m.posts, q, incidentID)
		}},
	},
	"drops the rating and from_brand of linked posts": {
		[]string{"LinkPosts"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			before := maps.Clone(m.posts)
			n := model.Link(m.posts, q, incidentID)
			for id, p := range m.posts {
				if p.IncidentID != before[id].IncidentID {
					p.Rating, p.FromBrand = 0, false
					m.posts[id] = p
				}
			}
			return n
		}},
	},
	"drops the app version of linked posts": {
		[]string{"LinkPosts"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			before := maps.Clone(m.posts)
			n := model.Link(m.posts, q, incidentID)
			for id, p := range m.posts {
				if p.IncidentID != before[id].IncidentID {
					p.AppVersion = ""
					m.posts[id] = p
				}
			}
			return n
		}},
	},
	"counts the posts linked already": {
		[]string{"LinkPosts"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			n := int64(len(model.Select(m.all(), q)))
			model.Link(m.posts, q, incidentID)
			return n
		}},
	},
	"marks linked posts as collected again": {
		[]string{"LinkPosts"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			before := maps.Clone(m.posts)
			n := model.Link(m.posts, q, incidentID)
			for id, p := range m.posts {
				if p.IncidentID != before[id].IncidentID {
					p.CollectedAt = p.CollectedAt.Add(time.Millisecond)
					m.posts[id] = p
				}
			}
			return n
		}},
	},
	"hashes the linked version": {
		[]string{"LinkedPostHashes"},
		mutant{linkPosts: func(m *Store, q earshot.PostQuery, incidentID string) int64 {
			n := model.Link(m.posts, q, incidentID)
			for _, p := range model.Select(m.all(), q) {
				m.hashes[p.ID] = earshot.ContentHash(p)
			}
			return n
		}},
	},
	"drops the incident link on re-collection": {
		[]string{"PostReplay", "LinkSurvivesRecollection", "LinkedPostHashes"},
		mutant{keep: func(p, _ earshot.Post) earshot.Post { return p }},
	},
	"keeps the link of the version beaten in the same call": {
		[]string{"LinkSurvivesRecollection"},
		mutant{oneByOne: true},
	},
	"drops an alert's Why": {
		[]string{"AlertRoundTrip", "EraseAuthorData"},
		mutant{saveAlert: func(a, _ earshot.Alert) earshot.Alert { a.Why = earshot.Why{}; return a }},
	},
	"drops the posts of an alert's Why": {
		[]string{"AlertRoundTrip", "EraseAuthorData"},
		mutant{saveAlert: func(a, _ earshot.Alert) earshot.Alert { a.Why.Posts = nil; return a }},
	},
	"merges an alert's labels": {
		[]string{"AlertRoundTrip"},
		mutant{saveAlert: func(a, old earshot.Alert) earshot.Alert {
			for k, v := range old.Labels {
				if _, ok := a.Labels[k]; !ok {
					a.Labels[k] = v
				}
			}
			return a
		}},
	},
	"orders alerts by ID only": {
		[]string{"AlertRoundTrip", "AlertWindows"},
		mutant{listAlerts: func(all []earshot.Alert, from, to time.Time) []earshot.Alert {
			out := model.Alerts(all, from, to)
			slices.SortFunc(out, func(a, b earshot.Alert) int { return cmp.Compare(a.ID, b.ID) })
			return out
		}},
	},
	"takes Alerts' to as inclusive": {
		[]string{"AlertWindows"},
		mutant{listAlerts: func(all []earshot.Alert, from, to time.Time) []earshot.Alert {
			return model.Alerts(all, from, to.Add(time.Nanosecond))
		}},
	},
	"keeps the first attempt of a delivery": {
		[]string{"DeliveryRoundTrip"},
		mutant{saveDelivery: func(d, old earshot.Delivery) earshot.Delivery {
			if old.ID != "" {
				return old
			}
			return d
		}},
	},
	"drops a delivery's error": {
		[]string{"DeliveryRoundTrip"},
		mutant{saveDelivery: func(d, _ earshot.Delivery) earshot.Delivery { d.Error = ""; return d }},
	},
	"keeps the first send of a digest": {
		[]string{"DigestRoundTrip"},
		mutant{saveDigest: func(d, old earshot.SentDigest) earshot.SentDigest {
			if old.ID != "" {
				return old
			}
			return d
		}},
	},
	"drops a digest's recipients": {
		[]string{"DigestRoundTrip"},
		mutant{saveDigest: func(d, _ earshot.SentDigest) earshot.SentDigest { d.Recipients = nil; return d }},
	},
	"lists digests oldest first": {
		[]string{"DigestRoundTrip"},
		mutant{listDigests: func(all []earshot.SentDigest, limit int) []earshot.SentDigest {
			out := model.Digests(all, limit)
			slices.Reverse(out)
			return out
		}},
	},
	"keeps expired posts": {
		[]string{"Retention"},
		mutant{dropExpired: func(context.Context, *Store, time.Time) ([]string, error) { return []string{"nothing, really"}, nil }},
	},
	"expires a minute early": {
		[]string{"Retention"},
		mutant{dropExpired: func(ctx context.Context, m *Store, now time.Time) ([]string, error) {
			return m.DropExpired(ctx, now.Add(time.Minute))
		}},
	},
	"takes expired posts out of the rollup": {
		[]string{"Retention"},
		mutant{dropExpired: func(ctx context.Context, m *Store, now time.Time) ([]string, error) {
			m.retention.Rollups = 0 // the rollup kept as long as the posts
			return m.DropExpired(ctx, now)
		}},
	},
	"keeps the rollup for ever": {
		[]string{"Retention"},
		mutant{dropExpired: func(ctx context.Context, m *Store, now time.Time) ([]string, error) {
			m.retention.Rollups = 100 * 365 * 24 * time.Hour
			return m.DropExpired(ctx, now)
		}},
	},
	"orders deliveries made at once by ID backwards": {
		[]string{"DeliveryWindows"},
		mutant{listDeliveries: func(all []earshot.Delivery, from, to time.Time) []earshot.Delivery {
			out := model.Deliveries(all, from, to)
			slices.SortFunc(out, func(a, b earshot.Delivery) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(b.ID, a.ID)) })
			return out
		}},
	},
}

// listPostsBy answers Posts ordered by order, at most min(limit, most).
func listPostsBy(all []earshot.Post, q earshot.PostQuery, most int, order func(a, b earshot.Post) int) []earshot.Post {
	out := model.Select(all, q)
	slices.SortFunc(out, order)
	if n := min(model.LimitOf(q), most); len(out) > n {
		out = out[:n]
	}
	return out
}

// TestMutantsFail runs the suite on each mutant in a child process (a case
// failing fails its test binary) and checks that the cases meant to catch
// it fail, and only they.
func TestMutantsFail(t *testing.T) {
	if name := os.Getenv("STORETEST_MUTANT"); name != "" {
		m := mutants[name].m
		retained := func(r earshot.Retention) earshot.Store {
			mu := m
			mu.Store = NewRetained(r)
			if m.keep != nil {
				mu.Store.keep = m.keep
			}
			return &mu
		}
		storetest.Suite{
			New:         func(t *testing.T) earshot.Store { return retained(earshot.Retention{}) },
			NewRetained: func(t *testing.T, r earshot.Retention) earshot.Store { return retained(r) },
		}.Run(t)
		return
	}
	if testing.Short() {
		t.Skip("runs the suite once per mutant")
	}
	for _, name := range slices.Sorted(maps.Keys(mutants)) {
		t.Run(name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestMutantsFail$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "STORETEST_MUTANT="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed on a store that %s", name)
			}
			var failed []string
			for line := range strings.Lines(string(out)) {
				if c, ok := strings.CutPrefix(strings.TrimSpace(line), "--- FAIL: TestMutantsFail/"); ok {
					c, _, _ = strings.Cut(c, " ")
					c, _, _ = strings.Cut(c, "/") // a case's own subtests fail with it
					failed = append(failed, c)
				}
			}
			slices.Sort(failed)
			failed = slices.Compact(failed)
			want := slices.Sorted(slices.Values(mutants[name].cases))
			if !slices.Equal(failed, want) {
				t.Errorf("on a store that %s, cases %v failed, want %v\n%s", name, failed, want, out)
			}
		})
	}
}

func (m *mutant) SaveDigest(ctx context.Context, d earshot.SentDigest) error {
	if m.saveDigest != nil {
		m.mu.Lock()
		old := m.digests[d.ID]
		m.mu.Unlock()
		d = m.saveDigest(cloneDigest(d), old)
	}
	return m.Store.SaveDigest(ctx, d)
}

func (m *mutant) SentDigests(ctx context.Context, limit int) ([]earshot.SentDigest, error) {
	if m.listDigests == nil {
		return m.Store.SentDigests(ctx, limit)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.listDigests(m.allDigests(), limit), nil
}

func (m *mutant) DropExpired(ctx context.Context, now time.Time) ([]string, error) {
	if m.dropExpired != nil {
		return m.dropExpired(ctx, m.Store, now)
	}
	return m.Store.DropExpired(ctx, now)
}
