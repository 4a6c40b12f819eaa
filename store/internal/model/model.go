// Package model answers the store's questions over plain slices and maps,
// the way the interface comments in package earshot say a store must.
// store/storetest compares each backend with it (and checks it in turn
// against answers written out by hand); store/memstore answers from it.
package model

import (
	"cmp"
	"slices"
	"time"

	"github.com/earshot/earshot"
)

// DefaultLimit is what a Limit of 0 means.
const DefaultLimit = 100

// InWindow reports whether p was created in [from, to).
func InWindow(p earshot.Post, from, to time.Time) bool {
	return !p.CreatedAt.Before(from) && p.CreatedAt.Before(to)
}

// Matches reports whether p passes the Watch and Source filters (an empty
// one passes every post).
func Matches(p earshot.Post, watch, source string) bool {
	if source != "" && p.Source != source {
		return false
	}
	return watch == "" || slices.Contains(p.Watches, watch)
}

// Select keeps the posts created in [q.From, q.To) that match q's
// filters, in order.
func Select(posts []earshot.Post, q earshot.PostQuery) []earshot.Post {
	var out []earshot.Post
	for _, p := range posts {
		if InWindow(p, q.From, q.To) && Matches(p, q.Watch, q.Source) {
			out = append(out, p)
		}
	}
	return out
}

// LimitOf is q.Limit, DefaultLimit when 0.
func LimitOf(q earshot.PostQuery) int {
	if q.Limit == 0 {
		return DefaultLimit
	}
	return q.Limit
}

// MaxPosts caps what Posts returns, whatever q.Limit asks.
const MaxPosts = 10_000

// Posts is Posts over the stored posts: the window's posts matching
// the filters, newest first, ties by ID byte by byte, at most
// min(limit, MaxPosts).
func Posts(posts []earshot.Post, q earshot.PostQuery) []earshot.Post {
	out := Select(posts, q)
	slices.SortFunc(out, func(a, b earshot.Post) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	if n := min(LimitOf(q), MaxPosts); len(out) > n {
		out = out[:n]
	}
	return out
}

// Alerts is Alerts over every stored alert: raised in [from, to), by At
// then ID byte by byte.
func Alerts(all []earshot.Alert, from, to time.Time) []earshot.Alert {
	return byTimeThenID(all, func(a earshot.Alert) bool { return !a.At.Before(from) && a.At.Before(to) },
		func(a earshot.Alert) (time.Time, string) { return a.At, a.ID })
}

// Deliveries is Deliveries over every stored attempt: made in [from,
// to), by At then ID byte by byte.
func Deliveries(all []earshot.Delivery, from, to time.Time) []earshot.Delivery {
	return byTimeThenID(all, func(d earshot.Delivery) bool { return !d.At.Before(from) && d.At.Before(to) },
		func(d earshot.Delivery) (time.Time, string) { return d.At, d.ID })
}

// byTimeThenID keeps the values of all for which keep holds, ordered by
// the time key gives them, then by its ID byte by byte.
func byTimeThenID[T any](all []T, keep func(T) bool, key func(T) (time.Time, string)) []T {
	var out []T
	for _, v := range all {
		if keep(v) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		return cmp.Or(ta.Compare(tb), cmp.Compare(ia, ib))
	})
	return out
}

// Count is CountPosts over the stored posts.
func Count(posts []earshot.Post, q earshot.PostQuery) int64 {
	return int64(len(Select(posts, q)))
}

// BucketStart is the start of the width-wide bucket holding t, counted in
// whole widths since the Unix epoch.
func BucketStart(t time.Time, width time.Duration) time.Time {
	ns := t.UnixNano()
	start := ns - ns%int64(width)
	if ns < 0 && ns%int64(width) != 0 {
		start -= int64(width)
	}
	return time.Unix(0, start).UTC()
}

// RollupMinutes returns the whole minutes [lo, hi) of q's window that the
// stores' rollup answers, and whether it answers q at all: a bucket of
// whole minutes, and not grouped by watch with a watch filter (the rollup
// does not know a post's other watches). There a series still counts the
// posts removed for age whose rollup minutes are kept (earshot.Expirer).
func RollupMinutes(q earshot.SeriesQuery) (lo, hi time.Time, ok bool) {
	if q.Bucket <= 0 || q.Bucket%time.Minute != 0 || q.GroupBy == earshot.GroupWatch && q.Watch != "" {
		return time.Time{}, time.Time{}, false
	}
	lo = BucketStart(q.From, time.Minute)
	if lo.Before(q.From) {
		lo = lo.Add(time.Minute)
	}
	hi = BucketStart(q.To, time.Minute)
	return lo, hi, lo.Before(hi)
}

// Series is Series over the stored posts.
func Series(posts []earshot.Post, q earshot.SeriesQuery) []earshot.Bucket {
	type key struct {
		start int64
		key   string
	}
	type acc struct {
		b   earshot.Bucket
		sum float64
	}
	accs := map[key]*acc{}
	add := func(p earshot.Post, k string) {
		start := BucketStart(p.CreatedAt, q.Bucket)
		a := accs[key{start.UnixNano(), k}]
		if a == nil {
			a = &acc{b: earshot.Bucket{Start: start, Key: k}}
			accs[key{start.UnixNano(), k}] = a
		}
		a.b.Count++
		if p.Sentiment.Scored() {
			a.b.Scored++
			a.sum += p.Sentiment.Score
		}
		switch p.Sentiment.Label {
		case earshot.Negative:
			a.b.Negative++
		case earshot.Positive:
			a.b.Positive++
		}
	}
	sel := Select(posts, earshot.PostQuery{From: q.From, To: q.To, Watch: q.Watch, Source: q.Source})
	for _, p := range sel {
		switch q.GroupBy {
		case earshot.GroupWatch:
			for _, w := range p.Watches {
				add(p, w)
			}
		case earshot.GroupSource:
			add(p, p.Source)
		default:
			add(p, "")
		}
	}
	out := make([]earshot.Bucket, 0, len(accs))
	for _, a := range accs {
		if a.b.Scored > 0 {
			a.b.MeanSentiment = a.sum / float64(a.b.Scored)
		}
		out = append(out, a.b)
	}
	slices.SortFunc(out, func(a, b earshot.Bucket) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// TopNegative is TopNegative over the stored posts: the scored ones, most
// negative first, ties newest first.
func TopNegative(posts []earshot.Post, q earshot.PostQuery) []earshot.Post {
	var out []earshot.Post
	for _, p := range Select(posts, q) {
		if p.Sentiment.Scored() {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Post) int {
		return cmp.Or(cmp.Compare(a.Sentiment.Score, b.Sentiment.Score), b.CreatedAt.Compare(a.CreatedAt))
	})
	if n := LimitOf(q); len(out) > n {
		out = out[:n]
	}
	return out
}

// Authors is Authors over the stored posts.
func Authors(posts []earshot.Post, q earshot.PostQuery) []earshot.AuthorStats {
	type key struct{ source, id string }
	type acc struct {
		s      earshot.AuthorStats
		sum    float64
		scored int64
	}
	accs := map[key]*acc{}
	for _, p := range Select(posts, q) {
		k := key{p.Source, p.Author.ID}
		a := accs[k]
		if a == nil {
			a = &acc{s: earshot.AuthorStats{Source: p.Source, FirstAt: p.CreatedAt, LastAt: p.CreatedAt}}
			accs[k] = a
		}
		a.s.Posts++
		if p.Sentiment.Label == earshot.Negative {
			a.s.Negative++
		}
		if p.Sentiment.Scored() {
			a.scored++
			a.sum += p.Sentiment.Score
		}
		a.s.Reach = max(a.s.Reach, p.Author.Followers)
		if p.CreatedAt.Before(a.s.FirstAt) {
			a.s.FirstAt = p.CreatedAt
		}
		if !p.CreatedAt.Before(a.s.LastAt) {
			a.s.LastAt = p.CreatedAt
			a.s.Author = earshot.Author{ID: p.Author.ID, Handle: p.Author.Handle, Name: p.Author.Name}
		}
	}
	out := make([]earshot.AuthorStats, 0, len(accs))
	for _, a := range accs {
		if a.scored > 0 {
			a.s.MeanSentiment = a.sum / float64(a.scored)
		}
		out = append(out, a.s)
	}
	slices.SortFunc(out, func(a, b earshot.AuthorStats) int {
		return cmp.Or(cmp.Compare(b.Posts, a.Posts), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Author.ID, b.Author.ID))
	})
	if n := LimitOf(q); len(out) > n {
		out = out[:n]
	}
	return out
}

// SpikeOverlaps reports whether sp overlaps [from, to): it started before
// to and had not ended by from. An open spike (zero End) has not ended.
func SpikeOverlaps(sp earshot.Spike, from, to time.Time) bool {
	return sp.Start.Before(to) && (sp.End.IsZero() || sp.End.After(from))
}

// Spikes is Spikes over every stored spike.
func Spikes(spikes []earshot.Spike, from, to time.Time) []earshot.Spike {
	return byTimeThenID(spikes, func(sp earshot.Spike) bool { return SpikeOverlaps(sp, from, to) },
		func(sp earshot.Spike) (time.Time, string) { return sp.Start, sp.ID })
}

// PostHashes is PostHashes over the stored posts: the ContentHash of
// the stored version of each of ids that is stored.
func PostHashes(posts []earshot.Post, ids []string) map[string]uint64 {
	byID := make(map[string]earshot.Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	out := map[string]uint64{}
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out[id] = earshot.ContentHash(p)
		}
	}
	return out
}

// Health orders every collector's health by collector name, compared
// byte by byte.
func Health(all []earshot.SourceHealth) []earshot.SourceHealth {
	out := slices.Clone(all)
	slices.SortFunc(out, func(a, b earshot.SourceHealth) int { return cmp.Compare(a.Collector, b.Collector) })
	return out
}

// GapOverlaps reports whether g overlaps [from, to): it began before to and
// had not ended by from. A gap with a zero To has not ended.
func GapOverlaps(g earshot.Gap, from, to time.Time) bool {
	return g.From.Before(to) && (g.To.IsZero() || g.To.After(from))
}

// Gaps is Gaps over every stored gap.
func Gaps(gaps []earshot.Gap, from, to time.Time) []earshot.Gap {
	return byTimeThenID(gaps, func(g earshot.Gap) bool { return GapOverlaps(g, from, to) },
		func(g earshot.Gap) (time.Time, string) { return g.From, g.ID })
}

// Link is LinkPosts over posts, by ID: it sets incidentID on the
// window's posts matching the filters and returns how many it changed
// (those linked to incidentID already are not).
func Link(posts map[string]earshot.Post, q earshot.PostQuery, incidentID string) int64 {
	var n int64
	for id, p := range posts {
		if InWindow(p, q.From, q.To) && Matches(p, q.Watch, q.Source) && p.IncidentID != incidentID {
			p.IncidentID = incidentID
			posts[id] = p
			n++
		}
	}
	return n
}

// HashesFor answers PostHashes for ids from the hashes of the stored posts.
func HashesFor(stored map[string]uint64, ids []string) map[string]uint64 {
	out := map[string]uint64{}
	for _, id := range ids {
		if h, ok := stored[id]; ok {
			out[id] = h
		}
	}
	return out
}

// Digests is the model's SentDigests: newest first, ties by ID.
func Digests(all []earshot.SentDigest, limit int) []earshot.SentDigest {
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
