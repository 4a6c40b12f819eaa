package storetest

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// The functions here answer the store's questions over a plain slice of
// posts, the way the interface comments in package earshot say a store
// must. The cases compare each backend with them, and check them in turn
// against a few answers written out by hand.

// defaultLimit is what a Limit of 0 means.
const defaultLimit = 100

func inWindow(p earshot.Post, from, to time.Time) bool {
	return !p.CreatedAt.Before(from) && p.CreatedAt.Before(to)
}

func matches(p earshot.Post, watch, source string) bool {
	if source != "" && p.Source != source {
		return false
	}
	return watch == "" || slices.Contains(p.Watches, watch)
}

func selectPosts(posts []earshot.Post, q earshot.PostQuery) []earshot.Post {
	var out []earshot.Post
	for _, p := range posts {
		if inWindow(p, q.From, q.To) && matches(p, q.Watch, q.Source) {
			out = append(out, p)
		}
	}
	return out
}

func limitOf(q earshot.PostQuery) int {
	if q.Limit == 0 {
		return defaultLimit
	}
	return q.Limit
}

// maxPosts caps what Posts returns, whatever q.Limit asks.
const maxPosts = 10_000

// modelPosts is Posts over the stored posts: the window's posts matching
// the filters, newest first, ties by ID byte by byte, at most
// min(limit, maxPosts).
func modelPosts(posts []earshot.Post, q earshot.PostQuery) []earshot.Post {
	out := selectPosts(posts, q)
	slices.SortFunc(out, func(a, b earshot.Post) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	if n := min(limitOf(q), maxPosts); len(out) > n {
		out = out[:n]
	}
	return out
}

// latestOf settles the versions of each post within one SavePosts call:
// the latest collected, of equally recent ones the later in posts. First
// appearances keep their order.
func latestOf(posts []earshot.Post) []earshot.Post {
	at := map[string]int{}
	var out []earshot.Post
	for _, p := range posts {
		i, ok := at[p.ID]
		switch {
		case !ok:
			at[p.ID] = len(out)
			out = append(out, p)
		case !p.CollectedAt.Before(out[i].CollectedAt):
			out[i] = p
		}
	}
	return out
}

// keepLink is the version stored when p, the winner of one SavePosts
// call, replaces old: p whole, except that a post collected again without
// an incident keeps the one it was linked to (a link is an annotation of
// the post, not part of what a collector sees).
func keepLink(p, old earshot.Post) earshot.Post {
	if p.IncidentID == "" {
		p.IncidentID = old.IncidentID
	}
	return p
}

// alertsIn is Alerts over every stored alert: raised in [from, to), by At
// then ID byte by byte.
func alertsIn(all []earshot.Alert, from, to time.Time) []earshot.Alert {
	var out []earshot.Alert
	for _, a := range all {
		if !a.At.Before(from) && a.At.Before(to) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Alert) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	return out
}

// deliveriesIn is Deliveries over every stored attempt: made in [from,
// to), by At then ID byte by byte.
func deliveriesIn(all []earshot.Delivery, from, to time.Time) []earshot.Delivery {
	var out []earshot.Delivery
	for _, d := range all {
		if !d.At.Before(from) && d.At.Before(to) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Delivery) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	return out
}

func modelCount(posts []earshot.Post, q earshot.PostQuery) int64 {
	return int64(len(selectPosts(posts, q)))
}

// bucketStart is the start of the width-wide bucket holding t, counted in
// whole widths since the Unix epoch.
func bucketStart(t time.Time, width time.Duration) time.Time {
	ns := t.UnixNano()
	start := ns - ns%int64(width)
	if ns < 0 && ns%int64(width) != 0 {
		start -= int64(width)
	}
	return time.Unix(0, start).UTC()
}

func modelSeries(posts []earshot.Post, q earshot.SeriesQuery) []earshot.Bucket {
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
		start := bucketStart(p.CreatedAt, q.Bucket)
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
	sel := selectPosts(posts, earshot.PostQuery{From: q.From, To: q.To, Watch: q.Watch, Source: q.Source})
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

func modelTopNegative(posts []earshot.Post, q earshot.PostQuery) []earshot.Post {
	var out []earshot.Post
	for _, p := range selectPosts(posts, q) {
		if p.Sentiment.Scored() {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Post) int {
		return cmp.Or(cmp.Compare(a.Sentiment.Score, b.Sentiment.Score), b.CreatedAt.Compare(a.CreatedAt))
	})
	if n := limitOf(q); len(out) > n {
		out = out[:n]
	}
	return out
}

func modelAuthors(posts []earshot.Post, q earshot.PostQuery) []earshot.AuthorStats {
	type key struct{ source, id string }
	type acc struct {
		s      earshot.AuthorStats
		sum    float64
		scored int64
	}
	accs := map[key]*acc{}
	for _, p := range selectPosts(posts, q) {
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
	if n := limitOf(q); len(out) > n {
		out = out[:n]
	}
	return out
}

func checkAuthors(t *testing.T, what string, got, want []earshot.AuthorStats) {
	t.Helper()
	keys := func(as []earshot.AuthorStats) []string {
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.Source + "/" + a.Author.ID
		}
		return out
	}
	if !slices.Equal(keys(got), keys(want)) {
		t.Errorf("%s: got authors %v, want %v", what, keys(got), keys(want))
		return
	}
	for i, w := range want {
		g := got[i]
		var d diffs
		d.str("Source", g.Source, w.Source)
		d.str("Author.ID", g.Author.ID, w.Author.ID)
		d.str("Author.Handle", g.Author.Handle, w.Author.Handle)
		d.str("Author.Name", g.Author.Name, w.Author.Name)
		d.int("Posts", g.Posts, w.Posts)
		d.int("Negative", g.Negative, w.Negative)
		d.float("MeanSentiment", g.MeanSentiment, w.MeanSentiment)
		d.int("Reach", g.Reach, w.Reach)
		d.time("FirstAt", g.FirstAt, w.FirstAt)
		d.time("LastAt", g.LastAt, w.LastAt)
		d.report(t, what+": author "+w.Source+"/"+w.Author.ID)
	}
}

// spikeOverlaps reports whether sp overlaps [from, to): it started before
// to and had not ended by from. An open spike (zero End) has not ended.
func spikeOverlaps(sp earshot.Spike, from, to time.Time) bool {
	return sp.Start.Before(to) && (sp.End.IsZero() || sp.End.After(from))
}

func modelSpikes(spikes []earshot.Spike, from, to time.Time) []earshot.Spike {
	var out []earshot.Spike
	for _, sp := range spikes {
		if spikeOverlaps(sp, from, to) {
			out = append(out, sp)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Spike) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// modelPostHashes is PostHashes over the stored posts: the ContentHash of
// the stored version of each of ids that is stored.
func modelPostHashes(posts []earshot.Post, ids []string) map[string]uint64 {
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

// modelHealth orders every collector's health by collector name, compared
// byte by byte.
func modelHealth(all []earshot.SourceHealth) []earshot.SourceHealth {
	out := slices.Clone(all)
	slices.SortFunc(out, func(a, b earshot.SourceHealth) int { return cmp.Compare(a.Collector, b.Collector) })
	return out
}

// gapOverlaps reports whether g overlaps [from, to): it began before to and
// had not ended by from. A gap with a zero To has not ended.
func gapOverlaps(g earshot.Gap, from, to time.Time) bool {
	return g.From.Before(to) && (g.To.IsZero() || g.To.After(from))
}

func modelGaps(gaps []earshot.Gap, from, to time.Time) []earshot.Gap {
	var out []earshot.Gap
	for _, g := range gaps {
		if gapOverlaps(g, from, to) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b earshot.Gap) int {
		return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.ID, b.ID))
	})
	return out
}
