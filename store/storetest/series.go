package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

// day is a 24-hour bucket.
const day = 24 * time.Hour

// seriesData spreads posts over minutes, hours and days around Base, with
// posts on bucket edges, an unscored post, a post matching two watches, a
// post matching none, and a post whose label is not what its score alone
// would say (the label counts).
func seriesData() []earshot.Post {
	return []earshot.Post{
		NewPost("twitter", "t1", Base.Add(10*time.Second)).Watches("acme").Score(-0.8).Post(),
		NewPost("twitter", "t2", Base.Add(50*time.Second)).Watches("acme", "acmecloud").Score(0.6).Post(),
		NewPost("twitter", "t5", Base.Add(time.Minute-time.Millisecond)).Watches("acme").Score(-0.3).Post(),
		NewPost("rss", "r1", Base.Add(65*time.Second)).Watches("acmecloud").Score(0).Post(),
		NewPost("rss", "r2", Base.Add(90*time.Second)).Watches("acme").Unscored().Post(),
		NewPost("rss", "r3", Base.Add(2*time.Minute)).Watches("acmecloud").Sentiment(-0.2, earshot.Negative).Post(),
		NewPost("twitter", "t3", Base.Add(65*time.Minute)).Watches("acme").Score(-0.4).Post(),
		NewPost("hn", "h2", Base.Add(14*time.Hour+30*time.Minute)).Watches("acme").Score(0.7).Post(),
		NewPost("hn", "h1", Base.Add(25*time.Hour)).Score(0.2).Post(),
		NewPost("twitter", "t4", Base.Add(-10*time.Hour-time.Millisecond)).Watches("acme").Score(-1).Post(),
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func series(t *testing.T, st earshot.Store, q earshot.SeriesQuery) []earshot.Bucket {
	t.Helper()
	return got(st.Series(t.Context(), q)).or(t, "Series(%s)", describeSeries(q))
}

func describeSeries(q earshot.SeriesQuery) string {
	return fmt.Sprintf("from %s to %s bucket %s group %q watch %q source %q",
		q.From.Format(time.RFC3339Nano), q.To.Format(time.RFC3339Nano), q.Bucket, q.GroupBy, q.Watch, q.Source)
}

// checkSeries checks the answer to q against the model, and that every
// bucket starts at a multiple of the width since the epoch, in UTC.
func checkSeries(t *testing.T, st earshot.Store, posts []earshot.Post, q earshot.SeriesQuery) {
	t.Helper()
	got := series(t, st, q)
	for _, b := range got {
		if b.Start.UnixNano()%int64(q.Bucket) != 0 || b.Start.Location() != time.UTC {
			t.Errorf("Series(%s): bucket start %s is not a UTC multiple of %s since the epoch", describeSeries(q), b.Start, q.Bucket)
		}
	}
	checkBuckets(t, "Series("+describeSeries(q)+")", got, model.Series(posts, q))
}

// testSeries: ungrouped series in 1m, 1h and 24h buckets, with From
// inclusive, To exclusive, filters, and windows not aligned to buckets
// (buckets still start at multiples of the width, so the first may start
// before From).
func testSeries(t *testing.T, st earshot.Store) {
	posts := seriesData()
	save(t, st, posts...)
	from, to := Base.Add(-day), Base.Add(2*day)

	// One answer written out by hand, to keep the model honest.
	hourly := earshot.SeriesQuery{From: from, To: to, Bucket: time.Hour}
	want := []earshot.Bucket{
		{Start: at("2026-03-01T23:00:00Z"), Count: 1, Scored: 1, Negative: 1, MeanSentiment: -1},
		{Start: at("2026-03-02T10:00:00Z"), Count: 6, Scored: 5, Negative: 3, Positive: 1, MeanSentiment: (-0.8 + 0.6 - 0.3 + 0 - 0.2) / 5},
		{Start: at("2026-03-02T11:00:00Z"), Count: 1, Scored: 1, Negative: 1, MeanSentiment: -0.4},
		{Start: at("2026-03-03T00:00:00Z"), Count: 1, Scored: 1, Positive: 1, MeanSentiment: 0.7},
		{Start: at("2026-03-03T11:00:00Z"), Count: 1, Scored: 1, MeanSentiment: 0.2},
	}
	checkBuckets(t, "storetest bug: model, hourly", model.Series(posts, hourly), want)
	checkBuckets(t, "Series hourly", series(t, st, hourly), want)

	minutely := earshot.SeriesQuery{From: Base.Add(30 * time.Second), To: Base.Add(90 * time.Second), Bucket: time.Minute}
	want = []earshot.Bucket{
		{Start: at("2026-03-02T10:00:00Z"), Count: 2, Scored: 2, Negative: 1, Positive: 1, MeanSentiment: (0.6 - 0.3) / 2},
		{Start: at("2026-03-02T10:01:00Z"), Count: 1, Scored: 1, MeanSentiment: 0},
	}
	checkBuckets(t, "storetest bug: model, minutely", model.Series(posts, minutely), want)
	checkBuckets(t, "Series minutely", series(t, st, minutely), want)

	for _, q := range []earshot.SeriesQuery{
		{From: Base, To: Base.Add(2 * time.Hour), Bucket: time.Minute},
		{From: from, To: to, Bucket: time.Minute},
		{From: Base.Add(-time.Millisecond), To: Base.Add(2*time.Minute + time.Millisecond), Bucket: time.Minute},
		{From: Base.Add(time.Minute), To: Base.Add(2 * time.Minute), Bucket: time.Minute},
		{From: from, To: to, Bucket: day},
		{From: Base.Add(time.Hour), To: to, Bucket: day},
		{From: Base.Add(-10*time.Hour - time.Millisecond), To: Base.Add(-10 * time.Hour), Bucket: day},
		{From: Base.Add(30 * time.Minute), To: Base.Add(15 * time.Hour), Bucket: time.Hour},
		{From: from, To: to, Bucket: time.Hour, Watch: "acme"},
		{From: from, To: to, Bucket: time.Minute, Watch: "acmecloud"},
		{From: from, To: to, Bucket: day, Watch: "nope"},
		{From: from, To: to, Bucket: time.Minute, Source: "rss"},
		{From: from, To: to, Bucket: day, Source: "twitter"},
		{From: from, To: to, Bucket: time.Hour, Source: "twitter", Watch: "acmecloud"},
		{From: Base, To: Base, Bucket: time.Hour},
		{From: to, To: from, Bucket: time.Hour},
	} {
		checkSeries(t, st, posts, q)
	}
}

// testSeriesGrouping: series split by watch (a post counts once in each
// of its watches; posts without a watch are in no group; a Watch filter
// selects posts, whose every watch is then a group) and by source, ordered
// by start then key.
func testSeriesGrouping(t *testing.T, st earshot.Store) {
	posts := seriesData()
	save(t, st, posts...)
	from, to := Base.Add(-day), Base.Add(2*day)

	byWatch := earshot.SeriesQuery{From: from, To: to, Bucket: time.Hour, GroupBy: earshot.GroupWatch}
	want := []earshot.Bucket{
		{Start: at("2026-03-01T23:00:00Z"), Key: "acme", Count: 1, Scored: 1, Negative: 1, MeanSentiment: -1},
		{Start: at("2026-03-02T10:00:00Z"), Key: "acme", Count: 4, Scored: 3, Negative: 2, Positive: 1, MeanSentiment: (-0.8 + 0.6 - 0.3) / 3},
		{Start: at("2026-03-02T10:00:00Z"), Key: "acmecloud", Count: 3, Scored: 3, Negative: 1, Positive: 1, MeanSentiment: (0.6 + 0 - 0.2) / 3},
		{Start: at("2026-03-02T11:00:00Z"), Key: "acme", Count: 1, Scored: 1, Negative: 1, MeanSentiment: -0.4},
		{Start: at("2026-03-03T00:00:00Z"), Key: "acme", Count: 1, Scored: 1, Positive: 1, MeanSentiment: 0.7},
	}
	checkBuckets(t, "storetest bug: model, by watch", model.Series(posts, byWatch), want)
	checkBuckets(t, "Series by watch", series(t, st, byWatch), want)

	bySource := earshot.SeriesQuery{From: from, To: to, Bucket: day, GroupBy: earshot.GroupSource}
	want = []earshot.Bucket{
		{Start: at("2026-03-01T00:00:00Z"), Key: "twitter", Count: 1, Scored: 1, Negative: 1, MeanSentiment: -1},
		{Start: at("2026-03-02T00:00:00Z"), Key: "rss", Count: 3, Scored: 2, Negative: 1, MeanSentiment: (0 - 0.2) / 2},
		{Start: at("2026-03-02T00:00:00Z"), Key: "twitter", Count: 4, Scored: 4, Negative: 3, Positive: 1, MeanSentiment: (-0.8 + 0.6 - 0.3 - 0.4) / 4},
		{Start: at("2026-03-03T00:00:00Z"), Key: "hn", Count: 2, Scored: 2, Positive: 1, MeanSentiment: (0.7 + 0.2) / 2},
	}
	checkBuckets(t, "storetest bug: model, by source", model.Series(posts, bySource), want)
	checkBuckets(t, "Series by source", series(t, st, bySource), want)

	// Filtered by acmecloud, grouped by watch: t2 also counts for acme.
	filtered := earshot.SeriesQuery{From: from, To: to, Bucket: day, GroupBy: earshot.GroupWatch, Watch: "acmecloud"}
	want = []earshot.Bucket{
		{Start: at("2026-03-02T00:00:00Z"), Key: "acme", Count: 1, Scored: 1, Positive: 1, MeanSentiment: 0.6},
		{Start: at("2026-03-02T00:00:00Z"), Key: "acmecloud", Count: 3, Scored: 3, Negative: 1, Positive: 1, MeanSentiment: (0.6 + 0 - 0.2) / 3},
	}
	checkBuckets(t, "storetest bug: model, filtered by watch", model.Series(posts, filtered), want)
	checkBuckets(t, "Series filtered by watch, grouped by watch", series(t, st, filtered), want)

	for _, g := range []earshot.GroupBy{earshot.GroupWatch, earshot.GroupSource} {
		for _, q := range []earshot.SeriesQuery{
			{From: from, To: to, Bucket: time.Minute},
			{From: from, To: to, Bucket: day},
			{From: Base.Add(30 * time.Second), To: Base.Add(90 * time.Second), Bucket: time.Minute},
			{From: from, To: to, Bucket: time.Hour, Source: "twitter"},
			{From: from, To: to, Bucket: time.Minute, Source: "rss"},
			{From: from, To: to, Bucket: time.Hour, Watch: "acme"},
			{From: from, To: to, Bucket: day, Watch: "acme", Source: "hn"},
			{From: Base.Add(25 * time.Hour), To: to, Bucket: day},
		} {
			q.GroupBy = g
			checkSeries(t, st, posts, q)
		}
	}
}
