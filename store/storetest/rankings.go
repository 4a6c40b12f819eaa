package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

func topNegative(t *testing.T, st earshot.Store, q earshot.PostQuery) []earshot.Post {
	t.Helper()
	return got(st.TopNegative(t.Context(), q)).or(t, "TopNegative(%s)", showQuery(q))
}

func authors(t *testing.T, st earshot.Store, q earshot.PostQuery) []earshot.AuthorStats {
	t.Helper()
	return got(st.Authors(t.Context(), q)).or(t, "Authors(%s)", showQuery(q))
}

func topNegativeData() []earshot.Post {
	return []earshot.Post{
		NewPost("twitter", "n1", Base.Add(1*time.Minute)).Watches("acme").Score(-0.9).Reason(earshot.ReasonOutage).Post(),
		NewPost("twitter", "n2", Base.Add(5*time.Minute)).Watches("acme").Score(-0.9).Reason(earshot.ReasonOutage).Parent("twitter:n1").Post(),
		NewPost("rss", "n3", Base.Add(10*time.Minute)).Watches("acmecloud").Score(-0.5).Reason(earshot.ReasonSupport).Post(),
		NewPost("twitter", "n4", Base.Add(15*time.Minute)).Score(0).Post(),
		NewPost("hn", "n5", Base.Add(20*time.Minute)).Watches("acme").Score(0.7).Post(),
		NewPost("rss", "unscored", Base.Add(25*time.Minute)).Watches("acme").Unscored().Post(),
		NewPost("rss", "n6", Base.Add(30*time.Minute)).Watches("acme").Score(-0.95).Reason(earshot.ReasonBilling).Post(),
		NewPost("twitter", "n7", Base.Add(40*time.Minute)).Score(-0.9).Parent("twitter:n2").Post(),
		NewPost("rss", "before", Base.Add(-time.Millisecond)).Watches("acme").Score(-1).Post(),
		NewPost("twitter", "at-to", Base.Add(time.Hour)).Watches("acme").Score(-1).Post(),
	}
}

// testTopNegative: scored posts in [From, To) matching the filters, most
// negative first, ties newest first, at most Limit; unscored posts never.
func testTopNegative(t *testing.T, st earshot.Store) {
	posts := topNegativeData()
	save(t, st, posts...)
	from, to := Base, Base.Add(time.Hour)
	for _, tc := range []struct {
		q    earshot.PostQuery
		want []string // native IDs, written out by hand; the model must agree
	}{
		{earshot.PostQuery{From: from, To: to}, []string{"n6", "n7", "n2", "n1", "n3", "n4", "n5"}},
		{earshot.PostQuery{From: from, To: to, Limit: 3}, []string{"n6", "n7", "n2"}},
		{earshot.PostQuery{From: from, To: to, Limit: 1000}, []string{"n6", "n7", "n2", "n1", "n3", "n4", "n5"}},
		{earshot.PostQuery{From: from, To: to, Source: "twitter"}, []string{"n7", "n2", "n1", "n4"}},
		{earshot.PostQuery{From: from, To: to, Watch: "acme"}, []string{"n6", "n2", "n1", "n5"}},
		{earshot.PostQuery{From: from, To: to, Watch: "acme", Source: "rss"}, []string{"n6"}},
		{earshot.PostQuery{From: from, To: to, Source: "hn", Limit: 1}, []string{"n5"}},
		{earshot.PostQuery{From: from.Add(-time.Millisecond), To: to.Add(time.Millisecond), Limit: 4}, []string{"at-to", "before", "n6", "n7"}},
		{earshot.PostQuery{From: Base.Add(20 * time.Minute), To: Base.Add(30 * time.Minute)}, []string{"n5"}},
		{earshot.PostQuery{From: from, To: to, Watch: "nope"}, nil},
	} {
		var want []earshot.Post
		for _, id := range tc.want {
			i := slices.IndexFunc(posts, func(p earshot.Post) bool { return earshot.NativeID(p.ID) == id })
			want = append(want, posts[i])
		}
		if m := model.TopNegative(posts, tc.q); !slices.Equal(postIDs(m), postIDs(want)) {
			t.Fatalf("storetest bug: model gives %v for %s, want %v", postIDs(m), showQuery(tc.q), postIDs(want))
		}
		checkPosts(t, "TopNegative("+showQuery(tc.q)+")", topNegative(t, st, tc.q), want)
	}
}

// testTopNegativeDefaultLimit: a Limit of 0 means 100.
func testTopNegativeDefaultLimit(t *testing.T, st earshot.Store) {
	var posts []earshot.Post
	for i := range 130 {
		posts = append(posts, NewPost("twitter", fmt.Sprint(i), Base.Add(time.Duration(i)*time.Minute)).
			Author(fmt.Sprintf("u%d", i), 1).Score(float64((i*37)%130)/130*1.5-1).Post())
	}
	save(t, st, posts...)
	q := earshot.PostQuery{From: Base, To: Base.Add(day)}
	got := topNegative(t, st, q)
	if len(got) != 100 {
		t.Fatalf("TopNegative with Limit 0: got %d posts, want 100", len(got))
	}
	checkPosts(t, "TopNegative with Limit 0", got, model.TopNegative(posts, q))
	as := authors(t, st, q)
	if len(as) != 100 {
		t.Errorf("Authors with Limit 0: got %d, want 100", len(as))
	}
	checkAuthors(t, "Authors with Limit 0", as, model.Authors(posts, q))
}

func authorsData() []earshot.Post {
	alice := func(handle string, followers int64) earshot.Author {
		return earshot.Author{ID: "u1", Handle: handle, Name: "Alice " + handle, Followers: followers}
	}
	acme := func(source, native string, at time.Duration) PostBuilder {
		return NewPost(source, native, Base.Add(at)).Watches("acme")
	}
	return []earshot.Post{
		acme("twitter", "a0", -time.Hour).AuthorFull(alice("ancient_alice", 9999)).Score(-1).Post(),
		acme("twitter", "a1", 1*time.Minute).AuthorFull(alice("old_alice", 100)).Score(-0.8).Post(),
		acme("twitter", "a2", 20*time.Minute).AuthorFull(alice("old_alice", 150)).Score(0.4).Post(),
		acme("twitter", "a3", 40*time.Minute).AuthorFull(alice("alice", 120)).Unscored().Post(),
		acme("twitter", "b1", 2*time.Minute).Author("u2", 50).Score(-0.6).Post(),
		acme("twitter", "b2", 3*time.Minute).Author("u2", 50).Score(-0.2).Post(),
		acme("twitter", "b3", 50*time.Minute).Author("u2", 70).Watches("acmecloud").Score(-0.9).Post(),
		acme("rss", "c1", 5*time.Minute).Author("u1", 0).Score(0.1).Post(),
		acme("rss", "c2", 6*time.Minute).Author("u1", 0).Score(0.3).Post(),
		acme("rss", "c3", 7*time.Minute).Author("u1", 0).Score(-0.3).Post(),
		acme("hn", "d1", 30*time.Minute).Author("u9", 5).Unscored().Post(),
		acme("twitter", "e1", 8*time.Minute).Author("u3", 10).Watches("acmecloud").Score(-0.5).Post(),
		acme("twitter", "e2", 9*time.Minute).Author("u3", 20).Watches("acmecloud").Score(0.5).Post(),
		acme("twitter", "f1", 11*time.Minute).Author("u10", 1).Score(-0.7).Post(),
	}
}

// testAuthors: per-author aggregates over the window, ordered by posts
// descending, then source, then author ID, at most Limit.
func testAuthors(t *testing.T, st earshot.Store) {
	posts := authorsData()
	save(t, st, posts...)
	from, to := Base, Base.Add(time.Hour)

	// One author written out by hand, to keep the model honest.
	alice := earshot.AuthorStats{
		Source: "twitter", Author: earshot.Author{ID: "u1", Handle: "alice", Name: "Alice alice"},
		Posts: 3, Negative: 1, MeanSentiment: (-0.8 + 0.4) / 2, Reach: 150,
		FirstAt: Base.Add(time.Minute), LastAt: Base.Add(40 * time.Minute),
	}
	q := earshot.PostQuery{From: from, To: to}
	want := model.Authors(posts, q)
	var keys []string
	for _, a := range want {
		keys = append(keys, a.Source+"/"+a.Author.ID)
	}
	if !slices.Equal(keys, []string{"rss/u1", "twitter/u1", "twitter/u2", "twitter/u3", "hn/u9", "twitter/u10"}) {
		t.Fatalf("storetest bug: model orders authors %v", keys)
	}
	checkAuthors(t, "storetest bug: model", want[1:2], []earshot.AuthorStats{alice})
	checkAuthors(t, "Authors("+showQuery(q)+")", authors(t, st, q), want)

	for _, q := range []earshot.PostQuery{
		{From: from, To: to, Limit: 2},
		{From: from, To: to, Limit: 100},
		{From: from, To: to, Source: "twitter"},
		{From: from, To: to, Watch: "acmecloud"},
		{From: from, To: to, Watch: "acmecloud", Source: "rss"},
		{From: Base.Add(-2 * time.Hour), To: to},
		{From: Base.Add(6 * time.Minute), To: Base.Add(40 * time.Minute)},
		{From: from, To: to, Source: "hn"},
	} {
		checkAuthors(t, "Authors("+showQuery(q)+")", authors(t, st, q), model.Authors(posts, q))
	}
}

// testEraseAuthor: EraseAuthor removes every post of one author on one
// source, in any window, and nothing else (not the same author ID on
// another source, not an author whose ID merely starts the same); no query
// sees the removed posts afterwards.
func testEraseAuthor(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	posts := authorsData()
	save(t, st, posts...)

	var erased, kept []earshot.Post
	for _, p := range posts {
		if p.Source == "twitter" && p.Author.ID == "u1" {
			erased = append(erased, p)
		} else {
			kept = append(kept, p)
		}
	}
	n, err := st.EraseAuthor(ctx, "twitter", "u1")
	if err != nil {
		t.Fatalf("EraseAuthor: %v", err)
	}
	if n != 4 || len(erased) != 4 {
		t.Errorf("EraseAuthor: got %d removed, want 4", n)
	}
	for _, p := range erased {
		_, err := st.Post(ctx, p.ID)
		wantNotFound(t, "Post("+p.ID+") after erasing its author", err)
	}
	for _, p := range kept {
		checkPost(t, getPost(t, st, p.ID), p)
	}
	if got := count(t, st, wide); got != int64(len(kept)) {
		t.Errorf("CountPosts after erasing: got %d, want %d", got, len(kept))
	}
	from, to := Base.Add(-2*time.Hour), Base.Add(time.Hour)
	q := earshot.PostQuery{From: from, To: to}
	checkPosts(t, "TopNegative after erasing", topNegative(t, st, q), model.TopNegative(kept, q))
	checkAuthors(t, "Authors after erasing", authors(t, st, q), model.Authors(kept, q))
	for _, g := range []earshot.GroupBy{earshot.GroupNone, earshot.GroupSource, earshot.GroupWatch} {
		checkSeries(t, st, kept, earshot.SeriesQuery{From: from, To: to, Bucket: time.Hour, GroupBy: g})
	}

	for _, tc := range []struct{ source, author string }{{"twitter", "u1"}, {"rss", "u2"}, {"mastodon", "u1"}} {
		n, err := st.EraseAuthor(ctx, tc.source, tc.author)
		if err != nil || n != 0 {
			t.Errorf("EraseAuthor(%q, %q) with nothing to erase: got %d, %v; want 0, nil", tc.source, tc.author, n, err)
		}
	}

	// Erasing is not a ban: the author's new posts are stored as usual.
	again := NewPost("twitter", "a4", Base.Add(45*time.Minute)).Author("u1", 1).Score(-0.5).Post()
	save(t, st, again)
	checkPost(t, getPost(t, st, again.ID), again)
	if _, err := st.Post(ctx, erased[0].ID); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("Post(%s) after saving another post of its author: got %v, want ErrNotFound", erased[0].ID, err)
	}
}
