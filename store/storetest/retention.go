package storetest

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

// retentionNow is the instant the case expires at. With 60 days for posts
// the cut is 2026-04-16 00:00; with 120 days for the rollup, 2026-02-15.
var retentionNow = time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)

// retentionData is a post a month or so from January to June 2026, by
// native ID: "c" just before the posts' cut, "d" right on it.
func retentionData() map[string]earshot.Post {
	posts := map[string]earshot.Post{}
	for _, p := range []PostBuilder{
		NewPost("twitter", "a", time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)).Watches("acme").Score(-0.8),
		NewPost("twitter", "f", time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)).Watches("acme", "acmecloud").Score(0.5),
		NewPost("rss", "b", time.Date(2026, 3, 10, 8, 30, 0, 0, time.UTC)).Watches("acme").Score(-0.4),
		NewPost("rss", "b2", time.Date(2026, 3, 31, 23, 59, 30, 0, time.UTC)).Watches("acmecloud").Unscored(),
		NewPost("twitter", "c", time.Date(2026, 4, 15, 23, 59, 59, 999e6, time.UTC)).Watches("acme").Score(-0.6),
		NewPost("hn", "d", time.Date(2026, 4, 16, 0, 0, 0, 0, time.UTC)).Watches("acme").Score(0.3),
		NewPost("twitter", "e", time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)).Watches("acme").Score(-0.9),
		NewPost("hn", "e2", time.Date(2026, 6, 14, 23, 0, 0, 0, time.UTC)).Watches("acmecloud").Score(0.7),
	} {
		post := p.Post()
		posts[post.ID[len(post.Source)+1:]] = post
	}
	return posts
}

// testRetention: DropExpired at a fixed now removes the posts created
// before now minus the posts' retention and keeps the rest (one created
// on the cut stays); Post, CountPosts and the posts-only series no longer
// see them, while series read from the rollup still count them where the
// rollup is kept longer, and stop counting them once the rollup's
// retention has passed too. Calling it again removes nothing and changes
// no answer; a store kept for ever (from New) removes nothing. A store
// may keep expired data a little longer, never shorter (see
// earshot.Expirer): ClickHouse without TTL drops whole months, so a post
// of the month of a cut may stay ("may go") and its rollup counts too
// ("may count"); the case accepts either, the same way in every series.
func testRetention(t *testing.T, s Suite, forever earshot.Store) {
	ctx := t.Context()
	data := retentionData()
	var all []earshot.Post
	for _, id := range slices.Sorted(maps.Keys(data)) {
		all = append(all, data[id])
	}
	everything := earshot.PostQuery{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: retentionNow}

	save(t, forever, all...)
	if r := forever.Retention(); r != (earshot.Retention{}) {
		t.Errorf("a store from New: Retention() = %+v, want zero (for ever)", r)
	}
	if dropped, err := forever.DropExpired(ctx, retentionNow); err != nil || len(dropped) != 0 {
		t.Errorf("a store kept for ever: DropExpired = %q, %v; want nothing removed", dropped, err)
	}
	if n := count(t, forever, everything); n != int64(len(all)) {
		t.Errorf("a store kept for ever: CountPosts after DropExpired = %d, want %d", n, len(all))
	}

	if s.NewRetained == nil {
		t.Fatal("storetest: Suite.NewRetained is nil: set it, or name Retention in Skip")
	}
	day := 24 * time.Hour
	for _, tt := range []struct {
		name      string
		retention earshot.Retention
		// By native ID: posts gone, kept, and that may go; posts the
		// rollup must count and may count after the drop.
		gone, kept, mayGo []string
		counted, mayCount []string
	}{
		{
			name:      "rollup as long as posts",
			retention: earshot.Retention{Posts: 60 * day},
			gone:      []string{"a", "f", "b", "b2"},
			kept:      []string{"d", "e", "e2"},
			mayGo:     []string{"c"},
			counted:   []string{"d", "e", "e2"},
			mayCount:  []string{"c"},
		},
		{
			name:      "rollup longer",
			retention: earshot.Retention{Posts: 60 * day, Rollups: 120 * day},
			gone:      []string{"a", "f", "b", "b2"},
			kept:      []string{"d", "e", "e2"},
			mayGo:     []string{"c"},
			counted:   []string{"b", "b2", "c", "d", "e", "e2"},
			mayCount:  []string{"f"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := s.NewRetained(t, tt.retention)
			if st == nil {
				t.Fatal("storetest: NewRetained returned a nil store")
			}
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("closing store: %v", err)
				}
			})
			if r := st.Retention(); r != tt.retention {
				t.Errorf("Retention() = %+v, want %+v", r, tt.retention)
			}
			save(t, st, all...)
			dropped, err := st.DropExpired(ctx, retentionNow)
			if err != nil {
				t.Fatalf("DropExpired(%s): %v", retentionNow.Format(time.RFC3339), err)
			}
			if len(dropped) == 0 {
				t.Errorf("DropExpired(%s) says it removed nothing", retentionNow.Format(time.RFC3339))
			}

			// The posts: gone, kept, or either.
			var stored []earshot.Post
			for _, id := range tt.gone {
				_, err := st.Post(ctx, data[id].ID)
				wantNotFound(t, "Post("+data[id].ID+") after DropExpired", err)
			}
			for _, id := range tt.kept {
				stored = append(stored, getPost(t, st, data[id].ID))
			}
			for _, id := range tt.mayGo {
				if p, err := st.Post(ctx, data[id].ID); err == nil {
					stored = append(stored, p)
				} else {
					wantNotFound(t, "Post("+data[id].ID+") after DropExpired", err)
				}
			}
			if n := count(t, st, everything); n != int64(len(stored)) {
				t.Errorf("CountPosts after DropExpired = %d, want %d, the posts Post still finds", n, len(stored))
			}

			answers := checkRetainedSeries(t, st, data, stored, tt.counted, tt.mayCount)
			if again, err := st.DropExpired(ctx, retentionNow); err != nil || len(again) != 0 {
				t.Errorf("DropExpired again = %q, %v; want nothing removed", again, err)
			}
			if n := count(t, st, everything); n != int64(len(stored)) {
				t.Errorf("CountPosts after DropExpired again = %d, want %d", n, len(stored))
			}
			for i, q := range retainedSeries() {
				if got := series(t, st, q); !sameBuckets(got, answers[i]) {
					t.Errorf("Series(%s) changed after DropExpired again:\n\tgot:%s\n\tbefore:%s", describeSeries(q), showBuckets(got), showBuckets(answers[i]))
				}
			}
		})
	}
}

// retainedSeries are the series the case reads after the drop: from the
// rollup (whole days, whole hours by source, whole days by watch), and
// from the posts alone (by watch with a watch filter).
func retainedSeries() []earshot.SeriesQuery {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return []earshot.SeriesQuery{
		{From: from, To: retentionNow, Bucket: day},
		{From: from, To: retentionNow, Bucket: time.Hour, GroupBy: earshot.GroupSource},
		{From: from, To: retentionNow, Bucket: day, GroupBy: earshot.GroupWatch},
		{From: from, To: retentionNow, Bucket: day, GroupBy: earshot.GroupWatch, Watch: "acme"},
	}
}

// checkRetainedSeries checks the series after the drop, and returns them:
// those the rollup answers count the posts counted and some of the posts
// that may count, the same ones in each; the others count the posts
// stored.
func checkRetainedSeries(t *testing.T, st earshot.Store, data map[string]earshot.Post, stored []earshot.Post, counted, mayCount []string) [][]earshot.Bucket {
	t.Helper()
	qs := retainedSeries()
	answers := make([][]earshot.Bucket, len(qs))
	for i, q := range qs {
		answers[i] = series(t, st, q)
	}
	// Each choice of the posts that may count, the first choosing none.
	var choices [][]earshot.Post
	for bits := range 1 << len(mayCount) {
		var posts []earshot.Post
		for _, id := range counted {
			posts = append(posts, data[id])
		}
		for j, id := range mayCount {
			if bits&(1<<j) != 0 {
				posts = append(posts, data[id])
			}
		}
		choices = append(choices, posts)
	}
	want := func(q earshot.SeriesQuery, counts []earshot.Post) []earshot.Bucket {
		if _, _, ok := model.RollupMinutes(q); ok {
			return model.Series(counts, q)
		}
		return model.Series(stored, q)
	}
	for _, counts := range choices {
		ok := true
		for i, q := range qs {
			ok = ok && sameBuckets(answers[i], want(q, counts))
		}
		if ok {
			return answers
		}
	}
	for i, q := range qs {
		var wants string
		for _, counts := range choices {
			wants += fmt.Sprintf("\n\tor:%s", showBuckets(want(q, counts)))
		}
		t.Errorf("Series(%s) after DropExpired:\n\tgot:%s\n\twant one of (the same choice in every series):%s", describeSeries(q), showBuckets(answers[i]), wants)
	}
	return answers
}
