package duckdb

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
	"github.com/earshot/earshot/store/storetest"
)

// rollupPosts is how many posts post_rollup counts in all.
func rollupPosts(t *testing.T, st *Store) int64 {
	t.Helper()
	var n int64
	if err := st.db.QueryRowContext(t.Context(), `SELECT coalesce(sum(posts), 0) FROM post_rollup WHERE watch = ''`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sameBuckets compares series, means to 1e-9 (the rollup sums scores in
// nano-units).
func sameBuckets(a, b []earshot.Bucket) bool {
	return slices.EqualFunc(a, b, func(x, y earshot.Bucket) bool {
		mx, my := x.MeanSentiment, y.MeanSentiment
		x.MeanSentiment, y.MeanSentiment = 0, 0
		return x == y && math.Abs(mx-my) < 1e-9
	})
}

// TestRollupSeriesAndRebuild checks that series of whole minutes read
// post_rollup (a rollup gone wrong shows in them, and not in series of
// other widths, which read the posts), and that RebuildRollups puts it
// right, within the span asked only, and changes nothing in a rollup
// already right.
func TestRollupSeriesAndRebuild(t *testing.T) {
	ctx := t.Context()
	st := openMemory(t)
	defer st.Close()
	day := 24 * time.Hour
	base := storetest.Base
	var posts []earshot.Post
	for i := range 6 {
		posts = append(posts, storetest.NewPost("twitter", fmt.Sprintf("r%d", i), base.Add(time.Duration(i)*(day/2+time.Minute))).
			Watches("acme").Score(float64(i)/5-0.5).Post())
	}
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	hourly := earshot.SeriesQuery{From: base.Add(-day), To: base.Add(4 * day), Bucket: time.Hour}
	queries := []earshot.SeriesQuery{
		hourly,
		{From: base.Add(-day), To: base.Add(4 * day), Bucket: time.Minute, GroupBy: earshot.GroupWatch},
		{From: base.Add(-day), To: base.Add(4 * day), Bucket: day, GroupBy: earshot.GroupSource, Watch: "acme"},
	}
	wrong := func(q earshot.SeriesQuery) bool {
		t.Helper()
		got, err := st.Series(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return !sameBuckets(got, model.Series(posts, q))
	}
	for _, q := range queries {
		if wrong(q) {
			t.Fatalf("Series(%+v) is wrong before the rollup is touched", q)
		}
	}

	// The rollup goes wrong: the first day's and the third's counts
	// doubled, and a row of no post on the second.
	if _, err := st.db.ExecContext(ctx, `UPDATE post_rollup SET posts = 2 * posts WHERE bucket_us < ? OR bucket_us >= ?`,
		base.Add(day).UnixMicro(), base.Add(2*day).UnixMicro()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.ExecContext(ctx, `INSERT INTO post_rollup VALUES ('', ?, 'hn', 1, 1, 1, 0, -800000000)`,
		base.Add(day+time.Hour).UnixMicro()); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		if !wrong(q) {
			t.Errorf("Series(%+v) does not read the rollup", q)
		}
	}
	if odd := (earshot.SeriesQuery{From: base.Add(-day), To: base.Add(4 * day), Bucket: 90 * time.Second}); wrong(odd) {
		t.Error("a series of 90 s buckets, which reads the posts, is wrong")
	}

	// The second day only.
	p, err := st.RebuildRollups(ctx, base.Add(day), base.Add(2*day), nil)
	if err != nil {
		t.Fatalf("RebuildRollups of a day: %v", err)
	}
	if p.Fixed != 1 || p.Posts != 2 || !p.From.Equal(base.Add(day)) || !p.Done.Equal(base.Add(2*day)) {
		t.Errorf("RebuildRollups of the second day = %+v, want the one bogus row fixed and its 2 posts", p)
	}
	if wrong(earshot.SeriesQuery{From: base.Add(day), To: base.Add(2 * day), Bucket: time.Hour}) {
		t.Error("the second day is still wrong after its rebuild")
	}
	if !wrong(hourly) {
		t.Error("rebuilding the second day put the others right too")
	}

	// Everything, from the first post or row to the last.
	var seen []earshot.RebuildProgress
	p, err = st.RebuildRollups(ctx, time.Time{}, time.Time{}, func(p earshot.RebuildProgress) { seen = append(seen, p) })
	if err != nil {
		t.Fatalf("RebuildRollups: %v", err)
	}
	for _, q := range queries {
		if wrong(q) {
			got, _ := st.Series(ctx, q)
			t.Errorf("after the rebuild Series(%+v) = %v, want %v", q, got, model.Series(posts, q))
		}
	}
	// Doubled: the rows of r0, r1 (day 1) and r4, r5 (day 3), each under
	// '' and acme.
	if p.Posts != int64(len(posts)) || p.Fixed != 8 || !p.Done.Equal(p.To) {
		t.Errorf("RebuildRollups = %+v, want %d posts, 8 rows fixed, done", p, len(posts))
	}
	if !p.From.Equal(base) || !p.To.Equal(posts[5].CreatedAt.Add(time.Minute)) {
		t.Errorf("RebuildRollups spanned [%v, %v), want the first post's minute to the one after the last's", p.From, p.To)
	}
	if len(seen) != 3 || !seen[0].Done.Equal(base.Add(day)) || seen[len(seen)-1] != p {
		t.Errorf("progress %+v, want a day at a time ending with %+v", seen, p)
	}
	p, err = st.RebuildRollups(ctx, time.Time{}, time.Time{}, nil)
	if err != nil || p.Fixed != 0 || p.Posts != int64(len(posts)) {
		t.Errorf("RebuildRollups of a right rollup = %+v, %v; want nothing fixed", p, err)
	}
}
