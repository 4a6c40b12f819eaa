package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

func save(t *testing.T, st earshot.Store, posts ...earshot.Post) {
	t.Helper()
	must(t, st.SavePosts(t.Context(), posts), "SavePosts(%d posts)", len(posts))
}

func getPost(t *testing.T, st earshot.Store, id string) earshot.Post {
	t.Helper()
	return got(st.Post(t.Context(), id)).or(t, "Post(%q)", id)
}

func count(t *testing.T, st earshot.Store, q earshot.PostQuery) int64 {
	t.Helper()
	return got(st.CountPosts(t.Context(), q)).or(t, "CountPosts(%+v)", q)
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("%s: got error %v, want one wrapping earshot.ErrNotFound", what, err)
	}
}

// wide is a window holding every post the cases create.
var wide = earshot.PostQuery{From: Base.Add(-30 * 24 * time.Hour), To: Base.Add(30 * 24 * time.Hour)}

// testEmptyStore: a fresh store answers every question with nothing, and
// saving no posts (nil or empty) is a no-op.
func testEmptyStore(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	if err := st.SavePosts(ctx, nil); err != nil {
		t.Errorf("SavePosts(nil): %v", err)
	}
	if err := st.SavePosts(ctx, []earshot.Post{}); err != nil {
		t.Errorf("SavePosts(empty): %v", err)
	}
	if n := count(t, st, wide); n != 0 {
		t.Errorf("CountPosts: got %d, want 0", n)
	}
	_, err := st.Post(ctx, "twitter:1")
	wantNotFound(t, "Post on an empty store", err)
	for _, g := range []earshot.GroupBy{earshot.GroupNone, earshot.GroupWatch, earshot.GroupSource} {
		bs, err := st.Series(ctx, earshot.SeriesQuery{From: wide.From, To: wide.To, Bucket: time.Hour, GroupBy: g})
		if err != nil || len(bs) != 0 {
			t.Errorf("Series(group %q): got %v, %v; want no buckets", g, bs, err)
		}
	}
	if ps, err := st.TopNegative(ctx, wide); err != nil || len(ps) != 0 {
		t.Errorf("TopNegative: got %v, %v; want no posts", ps, err)
	}
	if as, err := st.Authors(ctx, wide); err != nil || len(as) != 0 {
		t.Errorf("Authors: got %v, %v; want none", as, err)
	}
	if n, err := st.EraseAuthor(ctx, "twitter", "u1"); err != nil || n != 0 {
		t.Errorf("EraseAuthor: got %d, %v; want 0, nil", n, err)
	}
	if is, err := st.Incidents(ctx, wide.From, wide.To); err != nil || len(is) != 0 {
		t.Errorf("Incidents: got %v, %v; want none", is, err)
	}
	if is, err := st.ActiveIncidents(ctx, Base); err != nil || len(is) != 0 {
		t.Errorf("ActiveIncidents: got %v, %v; want none", is, err)
	}
	if fs, err := st.FollowUps(ctx); err != nil || len(fs) != 0 {
		t.Errorf("FollowUps: got %v, %v; want none", fs, err)
	}
	if ss, err := st.Spikes(ctx, wide.From, wide.To); err != nil || len(ss) != 0 {
		t.Errorf("Spikes: got %v, %v; want none", ss, err)
	}
	if c, err := st.Cursor(ctx, "rss"); err != nil || c != "" {
		t.Errorf("Cursor: got %q, %v; want empty", c, err)
	}
}

// testPostRoundTrip: every field of a post comes back as saved: unicode
// and control characters in text, a long text, watches in order, sentiment
// parts and reason, the parent of a reply, a review's rating and app
// version, a post by the brand's own account, times in UTC at millisecond
// precision; empty fields stay empty.
func testPostRoundTrip(t *testing.T, st earshot.Store) {
	full := NewPost("twitter", "1893", Base.Add(123*time.Millisecond)).
		Kind(earshot.KindReview).
		URL("https://example.com/p/1893?ref=a&utm=%20x#frag").
		AuthorFull(earshot.Author{ID: "9912", Handle: "zoë_ü", Name: "Zoë \"Z\" O'Brien 🦊", Followers: 1_234_567_890_123}).
		Text("Acme est en panne 😡 — ¿qué pasa?\n日本語のテキスト\tمرحبا 'single' \"double\" back\\slash %_ e\u0301 🇫🇷👩🏽‍💻").
		Lang("fr-CA").
		Collected(Base.Add(5*time.Minute+456*time.Millisecond)).
		Watches("acme", "acme-cloud", "Ünïcode watch").
		Sentiment(-0.734, earshot.Negative).
		Reason(earshot.ReasonOutage).
		Parts(map[string]float64{"lexicon": -0.5, "model/v2": -0.968, "zero": 0}).
		Incident("statuspage:inc-42").
		Parent("twitter:1890").
		Rating(2).
		AppVersion("12.4.0-beta.2 (8812) 'ü' \\ 🦊").
		Post()
	bare := earshot.Post{
		ID:          "rss:bare",
		Source:      "rss",
		Kind:        earshot.KindArticle,
		Author:      earshot.Author{ID: "feed"},
		Text:        "",
		CreatedAt:   Base.Add(-48*time.Hour + 999*time.Millisecond),
		CollectedAt: Base.Add(-47 * time.Hour),
	}
	long := NewPost("hn", "long", Base.Add(time.Hour)).
		Text(strings.Repeat("long text, ", 2000) + "end").
		Score(0.5).
		Post()
	// A reply with a parent but no reason, from the brand's own account,
	// and a five-star review of an app version with a reason but no parent.
	reply := NewPost("mastodon", "109/ü", Base.Add(90*time.Minute)).Kind(earshot.KindReply).
		Parent("mastodon:109/ü-parent 'q'").Score(0.3).FromBrand(true).Post()
	complaint := NewPost("rss", "c", Base.Add(91*time.Minute)).Kind(earshot.KindReview).Rating(5).
		AppVersion("3.1").Score(-0.9).Reason(earshot.ReasonBilling).Post()
	// A time given in another zone is the same instant; it must come back
	// in UTC.
	zoned := NewPost("mastodon", "zoned", Base).Score(0).Post()
	zoned.CreatedAt = Base.Add(2 * time.Hour).In(time.FixedZone("CET", 3600))
	zoned.CollectedAt = Base.Add(3 * time.Hour).In(time.FixedZone("PST", -8*3600))

	save(t, st, full, bare, long, zoned, reply, complaint)
	for _, want := range []earshot.Post{full, bare, long, zoned, reply, complaint} {
		checkPost(t, getPost(t, st, want.ID), want)
	}
	if n := count(t, st, wide); n != 6 {
		t.Errorf("CountPosts: got %d, want 6", n)
	}
}

// testPostNotFound: Post returns ErrNotFound for an ID never saved, also
// next to one that was, and for a source prefix alone.
func testPostNotFound(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	_, err := st.Post(ctx, "twitter:1")
	wantNotFound(t, "Post on an empty store", err)
	save(t, st, NewPost("twitter", "1", Base).Post())
	for _, id := range []string{"twitter:2", "rss:1", "twitter", "twitter:1 ", ""} {
		_, err := st.Post(ctx, id)
		wantNotFound(t, fmt.Sprintf("Post(%q)", id), err)
	}
	getPost(t, st, "twitter:1")
}

// testPostReplay: saving a post again replaces it when the new version was
// collected later or at the same time, and leaves it alone when the new
// version is older; the post is stored once, and queries see only the
// winning version, whole: a parent, reason, rating or app version the
// winner lacks is gone, and the winner alone says whether the brand wrote
// the post. An
// incident link the winner lacks is kept (see testLinkSurvivesRecollection).
func testPostReplay(t *testing.T, st earshot.Store) {
	b := NewPost("twitter", "1", Base.Add(10*time.Minute)).Author("u1", 100)
	v1 := b.Text("first").Collected(Base.Add(11 * time.Minute)).Watches("acme").Score(-0.5).Reason(earshot.ReasonLogin).
		Rating(4).AppVersion("4.1").FromBrand(true).Post()
	v2 := b.Author("u1", 250).Text("edited").Collected(Base.Add(20*time.Minute)).
		Watches("acme", "acmecloud").Score(0.3).Parts(map[string]float64{"m": 0.3}).Incident("inc-1").Parent("twitter:0").
		Rating(2).AppVersion("4.2.0").Post()
	stale := b.Text("stale").Collected(Base.Add(15 * time.Minute)).Watches("old").Score(-0.9).
		Reason(earshot.ReasonSecurity).Parent("twitter:stale").Rating(5).AppVersion("9.9").FromBrand(true).Post()
	ancient := b.Text("ancient").Collected(Base.Add(10*time.Minute + time.Millisecond)).Unscored().Rating(1).
		AppVersion("1.0").Post()
	sameTime := b.Author("u1", 300).Text("same collection time, saved later").Collected(v2.CollectedAt).
		Watches("acmecloud").Score(-0.1).FromBrand(true).Post()
	other := NewPost("twitter", "2", Base.Add(12*time.Minute)).Kind(earshot.KindReview).Score(0.9).Rating(5).
		AppVersion("4.2.0").Post()

	save(t, st, v1, other)
	checkPost(t, getPost(t, st, v1.ID), v1)

	save(t, st, v2)
	checkPost(t, getPost(t, st, v1.ID), v2)
	if n := count(t, st, wide); n != 2 {
		t.Errorf("CountPosts after replacing: got %d, want 2", n)
	}

	save(t, st, stale)
	save(t, st, ancient)
	checkPost(t, getPost(t, st, v1.ID), v2)
	q := wide
	q.Watch = "old"
	if n := count(t, st, q); n != 0 {
		t.Errorf("CountPosts(watch old) after an older version was saved: got %d, want 0", n)
	}
	q.Watch = "acmecloud"
	if n := count(t, st, q); n != 1 {
		t.Errorf("CountPosts(watch acmecloud): got %d, want 1", n)
	}

	save(t, st, sameTime)
	// The version without an incident keeps v2's link.
	sameTime.IncidentID = v2.IncidentID
	checkPost(t, getPost(t, st, v1.ID), sameTime)
	if n := count(t, st, wide); n != 2 {
		t.Errorf("CountPosts after replays: got %d, want 2", n)
	}
	q.Watch = "acme"
	if n := count(t, st, q); n != 0 {
		t.Errorf("CountPosts(watch acme) after the version without it won: got %d, want 0", n)
	}

	// Queries see the winning version only: one scored post per ID.
	top, err := st.TopNegative(t.Context(), wide)
	if err != nil {
		t.Fatalf("TopNegative: %v", err)
	}
	checkPosts(t, "TopNegative after replays", top, []earshot.Post{sameTime, other})
	authors, err := st.Authors(t.Context(), wide)
	if err != nil {
		t.Fatalf("Authors: %v", err)
	}
	all := []earshot.Post{sameTime, other}
	checkAuthors(t, "Authors after replays", authors, model.Authors(all, wide))
	if len(authors) == 1 && authors[0].Reach != 300 {
		t.Errorf("Authors reach after replays: got %d, want 300", authors[0].Reach)
	}
	series, err := st.Series(t.Context(), earshot.SeriesQuery{From: wide.From, To: wide.To, Bucket: time.Hour, GroupBy: earshot.GroupWatch})
	if err != nil {
		t.Fatalf("Series: %v", err)
	}
	checkBuckets(t, "Series by watch after replays", series, []earshot.Bucket{
		{Start: Base, Key: "acmecloud", Count: 1, Scored: 1, MeanSentiment: -0.1},
	})
}

// testPostBatchDuplicates: one SavePosts call holding several versions of
// a post stores one, the latest collected; of versions collected at the
// same time the one later in the slice wins. A later batch with an older
// version changes nothing.
func testPostBatchDuplicates(t *testing.T, st earshot.Store) {
	b := NewPost("rss", "7", Base)
	v1 := b.Text("v1").Collected(Base.Add(1 * time.Minute)).Score(-0.6).Post()
	v2 := b.Text("v2").Collected(Base.Add(2 * time.Minute)).Score(-0.4).Post()
	v3 := b.Text("v3").Collected(Base.Add(3 * time.Minute)).Score(0.4).Watches("acme").Post()
	c := NewPost("rss", "8", Base.Add(time.Minute))
	c1 := c.Text("c first in batch").Collected(Base.Add(5 * time.Minute)).Post()
	c2 := c.Text("c second in batch").Collected(Base.Add(5 * time.Minute)).Score(0.1).Post()
	lone := NewPost("rss", "9", Base.Add(2*time.Minute)).Post()

	save(t, st, v1, v3, c1, lone, v2, c2, v1)
	checkPost(t, getPost(t, st, v1.ID), v3)
	checkPost(t, getPost(t, st, c1.ID), c2)
	checkPost(t, getPost(t, st, lone.ID), lone)
	if n := count(t, st, wide); n != 3 {
		t.Errorf("CountPosts: got %d, want 3", n)
	}

	save(t, st, v2, v1)
	checkPost(t, getPost(t, st, v1.ID), v3)
	if n := count(t, st, wide); n != 3 {
		t.Errorf("CountPosts after a replayed batch: got %d, want 3", n)
	}
}

// testPostLargeBatch: a batch far larger than a page of rows lands whole.
func testPostLargeBatch(t *testing.T, st earshot.Store) {
	const n = 2500
	posts := make([]earshot.Post, n)
	for i := range posts {
		posts[i] = NewPost("twitter", fmt.Sprint(i), Base.Add(time.Duration(i)*time.Second)).
			Author(fmt.Sprintf("u%d", i%37), int64(i)).Watches("acme").Score(float64(i%201)/100 - 1).Post()
	}
	save(t, st, posts...)
	if got := count(t, st, wide); got != n {
		t.Errorf("CountPosts: got %d, want %d", got, n)
	}
	for _, i := range []int{0, 1, 999, 1000, n - 1} {
		checkPost(t, getPost(t, st, posts[i].ID), posts[i])
	}
}

// testPostConcurrentSaves: goroutines saving distinct posts at the same
// time all land.
func testPostConcurrentSaves(t *testing.T, st earshot.Store) {
	const writers, batches, perBatch = 8, 5, 10
	var wg sync.WaitGroup
	all := make([][]earshot.Post, writers)
	for w := range writers {
		for b := range batches {
			for i := range perBatch {
				native := fmt.Sprintf("w%d-b%d-%d", w, b, i)
				all[w] = append(all[w], NewPost("twitter", native, Base.Add(time.Duration(w*100+b*10+i)*time.Second)).
					Author(fmt.Sprintf("u%d", w), 1).Score(-0.5).Post())
			}
		}
	}
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				batch := all[w][b*perBatch : (b+1)*perBatch]
				if err := st.SavePosts(t.Context(), batch); err != nil {
					t.Errorf("writer %d: SavePosts: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := count(t, st, wide); got != writers*batches*perBatch {
		t.Errorf("CountPosts: got %d, want %d", got, writers*batches*perBatch)
	}
	for w := range writers {
		p := all[w][len(all[w])-1]
		checkPost(t, getPost(t, st, p.ID), p)
	}
}

// countData is a small set of posts over two sources and three watches,
// with posts on the edges of the windows the count cases ask about.
func countData() []earshot.Post {
	return []earshot.Post{
		NewPost("twitter", "a", Base).Watches("acme").Score(-0.5).Post(),                                 // at From
		NewPost("twitter", "b", Base.Add(time.Minute)).Watches("acme", "acmecloud").Score(0.5).Post(),    // two watches
		NewPost("rss", "c", Base.Add(59*time.Minute)).Watches("acmecloud").Post(),                        // unscored
		NewPost("rss", "d", Base.Add(time.Hour-time.Millisecond)).Score(0).Post(),                        // no watch, last ms
		NewPost("twitter", "e", Base.Add(time.Hour)).Watches("acme").Score(-1).Post(),                    // at To
		NewPost("twitter", "f", Base.Add(-time.Millisecond)).Watches("acme").Score(-1).Post(),            // before From
		NewPost("hn", "g", Base.Add(30*time.Minute)).Watches("Acme").Score(0.2).Post(),                   // watch names are case-sensitive
		NewPost("hn", "h", Base.Add(30*time.Minute)).Watches("acme").Score(0.2).Collected(Base).Post(),   // collected before created
		NewPost("twitter", "i", Base.Add(45*time.Minute)).Watches("acmecloud", "acme").Score(0.9).Post(), // order of watches
	}
}

// testCountPosts: CountPosts counts posts created in [From, To) matching
// the filters.
func testCountPosts(t *testing.T, st earshot.Store) {
	posts := countData()
	save(t, st, posts...)
	from, to := Base, Base.Add(time.Hour)
	for _, tc := range []struct {
		q    earshot.PostQuery
		want int64 // written out by hand; the model must agree
	}{
		{earshot.PostQuery{From: from, To: to}, 7},
		{earshot.PostQuery{From: from, To: to, Watch: "acme"}, 4},
		{earshot.PostQuery{From: from, To: to, Watch: "acmecloud"}, 3},
		{earshot.PostQuery{From: from, To: to, Watch: "Acme"}, 1},
		{earshot.PostQuery{From: from, To: to, Watch: "nope"}, 0},
		{earshot.PostQuery{From: from, To: to, Source: "twitter"}, 3},
		{earshot.PostQuery{From: from, To: to, Source: "rss"}, 2},
		{earshot.PostQuery{From: from, To: to, Source: "twitter", Watch: "acmecloud"}, 2},
		{earshot.PostQuery{From: from, To: to, Source: "rss", Watch: "acme"}, 0},
		{earshot.PostQuery{From: from.Add(-time.Millisecond), To: to.Add(time.Millisecond)}, 9},
		{earshot.PostQuery{From: from.Add(time.Millisecond), To: to}, 6},
		{earshot.PostQuery{From: to, To: to}, 0},
		{earshot.PostQuery{From: to, To: from}, 0},
		{wide, 9},
	} {
		if m := model.Count(posts, tc.q); m != tc.want {
			t.Fatalf("storetest bug: model counts %d for %+v, want %d", m, tc.q, tc.want)
		}
		if got := count(t, st, tc.q); got != tc.want {
			t.Errorf("CountPosts(from %s to %s watch %q source %q): got %d, want %d",
				tc.q.From.Format(time.RFC3339Nano), tc.q.To.Format(time.RFC3339Nano), tc.q.Watch, tc.q.Source, got, tc.want)
		}
	}
}
