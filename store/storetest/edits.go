package storetest

import (
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

// stored applies the save rules to the versions kept so far: the latest
// collected version of each post wins, of equally recent ones the one
// saved last, and a version without an incident keeps the stored one's.
func stored(kept map[string]earshot.Post, posts ...earshot.Post) {
	for _, p := range earshot.LatestVersions(posts) {
		old, ok := kept[p.ID]
		if ok && p.CollectedAt.Before(old.CollectedAt) {
			continue
		}
		kept[p.ID] = earshot.KeepLink(p, old)
	}
}

func keptPosts(kept map[string]earshot.Post) []earshot.Post {
	out := make([]earshot.Post, 0, len(kept))
	for _, p := range kept {
		out = append(out, p)
	}
	return out
}

// testSeriesAfterEdits: series count the stored version of each post only,
// whatever happened to it: a post collected again with another sentiment
// and other watches, an older version saved after a newer one, a version
// collected at the same instant saved later, a post collected again
// unchanged, several versions in one call, a post no longer scored, a link
// to an incident, and an author erased. Windows aligned to minutes and
// not, every grouping, with and without filters.
func testSeriesAfterEdits(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	kept := map[string]earshot.Post{}
	first := seriesData()
	save(t, st, first...)
	stored(kept, first...)

	check := func(step string) {
		t.Helper()
		checkSeriesModel(t, st, keptPosts(kept), step)
	}
	check("saved once")

	// t1 collected again: negative in acme, now positive in acmecloud.
	t1 := NewPost("twitter", "t1", Base.Add(10*time.Second)).Watches("acmecloud").Score(0.9).
		Collected(Base.Add(time.Hour)).Post()
	save(t, st, t1)
	stored(kept, t1)
	// The exact answer for the first minute, written out: t1 now counts
	// positive at 0.9, with t2 (0.6) and t5 (-0.3).
	minute := earshot.SeriesQuery{From: Base, To: Base.Add(time.Minute), Bucket: time.Minute}
	want := []earshot.Bucket{{Start: Base, Count: 3, Scored: 3, Negative: 1, Positive: 2, MeanSentiment: (0.9 + 0.6 - 0.3) / 3}}
	checkBuckets(t, "storetest bug: model, first minute after an edit", model.Series(keptPosts(kept), minute), want)
	checkBuckets(t, "Series of the first minute after an edit", series(t, st, minute), want)
	check("a post edited")

	// Saved twice more: an older version of t1 (loses), and a version of r3
	// collected earlier than the stored one (loses too).
	staleT1 := NewPost("twitter", "t1", Base.Add(10*time.Second)).Watches("acme").Score(-1).
		Collected(Base.Add(30 * time.Minute)).Post()
	staleR3 := NewPost("rss", "r3", Base.Add(2*time.Minute)).Watches("acme").Score(0.8).
		Collected(Base.Add(2 * time.Minute)).Post()
	save(t, st, staleT1, staleR3)
	stored(kept, staleT1, staleR3)
	check("older versions saved after newer ones")

	// t5 collected at the same instant as stored, saved later: it wins.
	// t2 collected again, unchanged. r1 twice in one call, the later one
	// unscored. h1 collected again without a score.
	t5 := NewPost("twitter", "t5", Base.Add(time.Minute-time.Millisecond)).Watches("acme", "acmecloud").Score(0.4).Post()
	t2 := NewPost("twitter", "t2", Base.Add(50*time.Second)).Watches("acme", "acmecloud").Score(0.6).
		Collected(Base.Add(3 * time.Hour)).Post()
	r1a := NewPost("rss", "r1", Base.Add(65*time.Second)).Watches("acmecloud").Score(-0.7).Collected(Base.Add(4 * time.Hour)).Post()
	r1b := NewPost("rss", "r1", Base.Add(65*time.Second)).Watches("acme").Unscored().Collected(Base.Add(5 * time.Hour)).Post()
	h1 := NewPost("hn", "h1", Base.Add(25*time.Hour)).Unscored().Collected(Base.Add(26 * time.Hour)).Post()
	batch := []earshot.Post{t5, r1b, t2, r1a, h1}
	save(t, st, batch...)
	stored(kept, batch...)
	check("same-instant, unchanged and in-call versions")

	// Linking changes no count.
	n, err := st.LinkPosts(ctx, earshot.PostQuery{From: Base, To: Base.Add(time.Hour)}, "inc-1")
	if err != nil {
		t.Fatalf("LinkPosts: %v", err)
	}
	if n == 0 {
		t.Error("LinkPosts linked no post")
	}
	for id, p := range kept {
		if !p.CreatedAt.Before(Base) && p.CreatedAt.Before(Base.Add(time.Hour)) {
			p.IncidentID = "inc-1"
			kept[id] = p
		}
	}
	check("posts linked")

	// Every seriesData post is by u1: erase the rss account's.
	if _, err := st.EraseAuthor(ctx, "rss", "u1"); err != nil {
		t.Fatalf("EraseAuthor: %v", err)
	}
	for id, p := range kept {
		if p.Source == "rss" {
			delete(kept, id)
		}
	}
	check("an author erased")

	// A post erased, then collected again, counts once more.
	r2 := NewPost("rss", "r2", Base.Add(90*time.Second)).Watches("acme").Score(-0.5).Collected(Base.Add(6 * time.Hour)).Post()
	save(t, st, r2)
	stored(kept, r2)
	check("an erased post collected again")
}

// checkSeriesModel compares the store's series, in every grouping and over
// windows and buckets that cut through the data, and its post count, with
// the model's of posts, the posts the store should keep; step names the
// point of the test.
func checkSeriesModel(t *testing.T, st earshot.Store, posts []earshot.Post, step string) {
	t.Helper()
	from, to := Base.Add(-day), Base.Add(2*day)
	for _, g := range []earshot.GroupBy{earshot.GroupNone, earshot.GroupSource, earshot.GroupWatch} {
		for _, q := range []earshot.SeriesQuery{
			{From: from, To: to, Bucket: time.Hour},
			{From: from, To: to, Bucket: time.Minute},
			{From: from, To: to, Bucket: day},
			{From: Base.Add(30 * time.Second), To: Base.Add(90*time.Minute + 30*time.Second), Bucket: time.Minute},
			{From: Base.Add(-time.Millisecond), To: Base.Add(15 * time.Hour), Bucket: time.Hour},
			{From: from, To: to, Bucket: time.Hour, Watch: "acme"},
			{From: from, To: to, Bucket: time.Hour, Watch: "acmecloud"},
			{From: from, To: to, Bucket: 5 * time.Minute, Source: "twitter"},
			{From: from, To: to, Bucket: 90 * time.Second},
		} {
			q.GroupBy = g
			got := series(t, st, q)
			checkBuckets(t, step+": Series("+describeSeries(q)+")", got, model.Series(posts, q))
		}
	}
	if n := count(t, st, wide); n != int64(len(posts)) {
		t.Errorf("%s: CountPosts: got %d, want %d", step, n, len(posts))
	}
}
