package duckdb

import (
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
	"github.com/earshot/earshot/store/storetest"
)

// TestDropExpiredByTheMinute checks what the conformance case leaves
// open on DuckDB: posts and rollup minutes expire by the minute (now
// minus the retention, rounded down), a post in the minute of the cut
// stays, the rollup keeps counting the posts gone for its own retention,
// and a rebuild of the whole rollup keeps those counts.
func TestDropExpiredByTheMinute(t *testing.T) {
	ctx := t.Context()
	st, err := OpenConfig(ctx, Config{Path: ":memory:", Retention: earshot.Retention{Posts: 24 * time.Hour, Rollups: 48 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 6, 15, 10, 30, 45, 0, time.UTC)
	posts := []earshot.Post{
		storetest.NewPost("rss", "rollup-gone", time.Date(2026, 6, 13, 10, 29, 59, 0, time.UTC)).Score(-0.5).Post(),
		storetest.NewPost("rss", "rollup-kept", time.Date(2026, 6, 13, 10, 30, 0, 0, time.UTC)).Watches("acme").Score(0.4).Post(),
		storetest.NewPost("rss", "last-gone", time.Date(2026, 6, 14, 10, 29, 59, 999e6, time.UTC)).Watches("acme").Score(-0.2).Post(),
		storetest.NewPost("rss", "on-the-cut", time.Date(2026, 6, 14, 10, 30, 0, 0, time.UTC)).Score(0.1).Post(),
		storetest.NewPost("rss", "in-the-cut-minute", time.Date(2026, 6, 14, 10, 30, 44, 0, time.UTC)).Watches("acme").Score(-0.9).Post(),
	}
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	dropped, err := st.DropExpired(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	// Three posts before 10:30 on the 14th; the rollup rows of 10:29 on
	// the 13th (one, the post matched no watch).
	want := []string{"posts: 3 created before 2026-06-14T10:30:00Z", "post_rollup: 1 rows of minutes before 2026-06-13T10:30:00Z"}
	if !slices.Equal(dropped, want) {
		t.Errorf("DropExpired = %q, want %q", dropped, want)
	}
	for _, p := range posts {
		_, err := st.Post(ctx, p.ID)
		if gone := p.CreatedAt.Before(time.Date(2026, 6, 14, 10, 30, 0, 0, time.UTC)); gone != (err != nil) {
			t.Errorf("Post(%s) after DropExpired: %v, want gone %v", p.ID, err, gone)
		}
	}
	q := earshot.SeriesQuery{From: time.Date(2026, 6, 13, 0, 0, 0, 0, time.UTC), To: now, Bucket: time.Minute}
	counted := posts[1:] // all but the one whose rollup minute went
	read := func(what string) []earshot.Bucket {
		got, err := st.Series(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if want := model.Series(counted, q); !sameBuckets(got, want) {
			t.Errorf("series %s: %v, want %v", what, got, want)
		}
		return got
	}
	read("after DropExpired")
	// Rebuilding from the posts would take the expired posts' counts
	// away; it starts at the first post kept instead.
	p, err := st.RebuildRollups(ctx, time.Time{}, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Fixed != 0 {
		t.Errorf("RebuildRollups fixed %d rows of a rollup that was right", p.Fixed)
	}
	read("after RebuildRollups")
	if again, err := st.DropExpired(ctx, now); err != nil || len(again) != 0 {
		t.Errorf("DropExpired again = %q, %v; want nothing", again, err)
	}
}
