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

func listPosts(t *testing.T, l earshot.PostLister, q earshot.PostQuery) []earshot.Post {
	t.Helper()
	return got(l.Posts(t.Context(), q)).or(t, "Posts(%s)", showQuery(q))
}

func link(t *testing.T, l earshot.PostLinker, q earshot.PostQuery, incidentID string) int64 {
	t.Helper()
	return got(l.LinkPosts(t.Context(), q, incidentID)).or(t, "LinkPosts(%s, %q)", showQuery(q), incidentID)
}

func showQuery(q earshot.PostQuery) string {
	return fmt.Sprintf("from %s to %s watch %q source %q limit %d",
		q.From.Format(time.RFC3339Nano), q.To.Format(time.RFC3339Nano), q.Watch, q.Source, q.Limit)
}

func byID(posts ...earshot.Post) map[string]earshot.Post {
	out := make(map[string]earshot.Post, len(posts))
	for _, p := range posts {
		out[p.ID] = p
	}
	return out
}

// checkStored checks that every post of want is stored as it is there.
func checkStored(t *testing.T, st earshot.Store, what string, want map[string]earshot.Post) {
	t.Helper()
	for _, id := range sortedKeys(want) {
		diffPost(getPost(t, st, id), want[id]).report(t, what+": post "+id)
	}
}

func sortedKeys(m map[string]earshot.Post) []string { return slices.Sorted(maps.Keys(m)) }

// testPosts: Posts returns the posts created in [From, To) matching the
// filters, newest first, posts created at the same instant by ID compared
// byte by byte, at most Limit; only the winning version of each post,
// whole.
func testPosts(t *testing.T, st earshot.Store) {
	l := st
	if ps := listPosts(t, l, wide); len(ps) != 0 {
		t.Errorf("Posts on an empty store: got %v, want none", postIDs(ps))
	}
	posts := countData()
	// Ties at 45 minutes: IDs compared byte by byte ("Z" < "a" < "i").
	posts = append(posts,
		NewPost("twitter", "Z", Base.Add(45*time.Minute)).Watches("acme").Score(-0.3).Post(),
		NewPost("rss", "i", Base.Add(45*time.Minute)).Watches("acme").Post(),
	)
	save(t, st, posts...)
	// A later version of b leaves the watch acme; an older one of a,
	// saved afterwards, changes nothing.
	b2 := NewPost("twitter", "b", Base.Add(time.Minute)).Text("edited").Collected(Base.Add(time.Hour)).
		Watches("acmecloud").Score(-0.6).Reason(earshot.ReasonLogin).Rating(1).AppVersion("2.0.1").FromBrand(true).Post()
	aOld := NewPost("twitter", "a", Base).Text("stale").Collected(Base.Add(-time.Hour)).Watches("nope").Post()
	save(t, st, b2, aOld)
	stored := byID(posts...)
	stored[b2.ID] = b2
	all := make([]earshot.Post, 0, len(stored))
	for _, id := range sortedKeys(stored) {
		all = append(all, stored[id])
	}

	from, to := Base, Base.Add(time.Hour)
	for _, tc := range []struct {
		q    earshot.PostQuery
		want []string // written out by hand; the model must agree
	}{
		{earshot.PostQuery{From: from, To: to},
			[]string{"rss:d", "rss:c", "rss:i", "twitter:Z", "twitter:i", "hn:g", "hn:h", "twitter:b", "twitter:a"}},
		{earshot.PostQuery{From: from, To: to, Limit: 4}, []string{"rss:d", "rss:c", "rss:i", "twitter:Z"}},
		{earshot.PostQuery{From: from, To: to, Watch: "acme"}, []string{"rss:i", "twitter:Z", "twitter:i", "hn:h", "twitter:a"}},
		{earshot.PostQuery{From: from, To: to, Watch: "acmecloud"}, []string{"rss:c", "twitter:i", "twitter:b"}},
		{earshot.PostQuery{From: from, To: to, Source: "twitter"}, []string{"twitter:Z", "twitter:i", "twitter:b", "twitter:a"}},
		{earshot.PostQuery{From: from, To: to, Source: "rss", Watch: "acme"}, []string{"rss:i"}},
		{earshot.PostQuery{From: from, To: to, Watch: "nope"}, nil},
		{earshot.PostQuery{From: from.Add(-time.Millisecond), To: to.Add(time.Millisecond), Source: "twitter", Limit: 2},
			[]string{"twitter:e", "twitter:Z"}},
		{earshot.PostQuery{From: to, To: from}, nil},
	} {
		fromModel := model.Posts(all, tc.q)
		if fmt.Sprint(postIDs(fromModel)) != fmt.Sprint(tc.want) && !(len(fromModel) == 0 && len(tc.want) == 0) {
			t.Fatalf("storetest bug: model lists %v for %s, want %v", postIDs(fromModel), showQuery(tc.q), tc.want)
		}
		checkPosts(t, "Posts("+showQuery(tc.q)+")", listPosts(t, l, tc.q), fromModel)
	}
}

// testPostsLimits: Posts returns 100 posts when Limit is 0 and never more
// than 10,000, however many Limit asks for.
func testPostsLimits(t *testing.T, st earshot.Store) {
	l := st
	const n = model.MaxPosts + 7
	posts := make([]earshot.Post, n)
	for i := range posts {
		// Three posts a second, so that ties are settled by ID.
		posts[i] = NewPost("twitter", fmt.Sprintf("%05d", (i*7919)%n), Base.Add(time.Duration(i/3)*time.Second)).
			Author(fmt.Sprintf("u%d", i%13), int64(i)).Watches("acme").Score(float64(i%201)/100 - 1).Post()
	}
	save(t, st, posts...)
	for _, tc := range []struct {
		limit, want int
	}{
		{0, model.DefaultLimit},
		{1, 1},
		{250, 250},
		{model.MaxPosts, model.MaxPosts},
		{model.MaxPosts + 1, model.MaxPosts},
		{1_000_000, model.MaxPosts},
	} {
		q := wide
		q.Limit = tc.limit
		fromModel := model.Posts(posts, q)
		if len(fromModel) != tc.want {
			t.Fatalf("storetest bug: model lists %d posts for limit %d, want %d", len(fromModel), tc.limit, tc.want)
		}
		checkPosts(t, fmt.Sprintf("Posts(limit %d)", tc.limit), listPosts(t, l, q), fromModel)
	}
}

// testLinkPosts: LinkPosts sets the incident of the window's posts
// matching the filters, replacing another incident, and changes nothing
// else (a rating, an app version or the brand's mark included); it
// returns how many posts it changed: posts linked to that incident already
// do not count, so linking again returns 0. Linking to "" unlinks.
func testLinkPosts(t *testing.T, st earshot.Store) {
	l := st
	if n := link(t, l, wide, "inc-0"); n != 0 {
		t.Errorf("LinkPosts on an empty store: got %d, want 0", n)
	}
	posts := countData()
	for i, p := range posts {
		switch p.ID {
		case "twitter:i":
			posts[i].IncidentID = "inc-0"
			posts[i].Rating = 4
			posts[i].AppVersion = "7.0.3"
		case "twitter:b":
			posts[i].FromBrand = true
			posts[i].AppVersion = "7.1"
		}
	}
	save(t, st, posts...)
	want := byID(posts...)
	from, to := Base, Base.Add(time.Hour)
	for _, tc := range []struct {
		q        earshot.PostQuery
		incident string
		want     int64 // written out by hand; the model must agree
	}{
		// a, b and i (which moves from inc-0); e is at To, f before From,
		// hn:h is on another source.
		{earshot.PostQuery{From: from, To: to, Watch: "acme", Source: "twitter"}, "inc-1", 3},
		{earshot.PostQuery{From: from, To: to, Watch: "acme", Source: "twitter"}, "inc-1", 0},
		// b and i move to inc-2, c is linked; a, d, g and h lack the watch.
		{earshot.PostQuery{From: from, To: to, Watch: "acmecloud"}, "inc-2", 3},
		// A Limit does not limit what is linked.
		{earshot.PostQuery{From: from, To: to, Watch: "acmecloud", Limit: 1}, "inc-2", 0},
		// c is unlinked; d had no incident.
		{earshot.PostQuery{From: wide.From, To: wide.To, Source: "rss"}, "", 1},
		{earshot.PostQuery{From: to, To: to}, "inc-3", 0},
		{earshot.PostQuery{From: from, To: to, Source: "nope"}, "inc-3", 0},
		// Every post but b and i, now at inc-2.
		{wide, "inc-2", 7},
	} {
		if m := model.Link(want, tc.q, tc.incident); m != tc.want {
			t.Fatalf("storetest bug: model links %d posts for %s, want %d", m, showQuery(tc.q), tc.want)
		}
		what := fmt.Sprintf("LinkPosts(%s, %q)", showQuery(tc.q), tc.incident)
		if got := link(t, l, tc.q, tc.incident); got != tc.want {
			t.Errorf("%s: got %d, want %d", what, got, tc.want)
		}
		checkStored(t, st, "after "+what, want)
	}
	if n := count(t, st, wide); n != int64(len(posts)) {
		t.Errorf("CountPosts after linking: got %d, want %d", n, len(posts))
	}
	top, err := st.TopNegative(t.Context(), wide)
	if err != nil {
		t.Fatalf("TopNegative: %v", err)
	}
	all := make([]earshot.Post, 0, len(want))
	for _, id := range sortedKeys(want) {
		all = append(all, want[id])
	}
	checkPosts(t, "TopNegative after linking", top, model.TopNegative(all, wide))
}

// testLinkSurvivesRecollection: a link outlives the post being collected
// again. A version that wins with no incident keeps the stored version's
// (collected later, or at the same time and saved later); one with an
// incident of its own replaces it; an older version changes nothing.
// Versions within one SavePosts call are settled first (the latest
// collected wins), and the winner then meets the stored version.
func testLinkSurvivesRecollection(t *testing.T, st earshot.Store) {
	l := st
	b := NewPost("twitter", "1", Base).Watches("acme").Score(-0.5)
	v1 := b.Text("first").Post()
	other := NewPost("twitter", "2", Base.Add(time.Minute)).Watches("acme").Post()
	save(t, st, v1, other)
	if n := link(t, l, earshot.PostQuery{From: Base, To: Base.Add(time.Minute), Watch: "acme"}, "inc-1"); n != 1 {
		t.Errorf("LinkPosts: got %d, want 1", n)
	}

	v2 := b.Text("edited").Collected(Base.Add(time.Hour)).Watches("acme", "acmecloud").Score(0.2).Post()
	save(t, st, v2)
	want := v2
	want.IncidentID = "inc-1"
	checkPost(t, getPost(t, st, v1.ID), want)

	// Collected at the same time, saved later: it wins and keeps the link.
	same := b.Text("same time").Collected(v2.CollectedAt).Post()
	save(t, st, same)
	want = same
	want.IncidentID = "inc-1"
	checkPost(t, getPost(t, st, v1.ID), want)

	// An older version, linked or not, changes nothing.
	old := b.Text("older").Collected(Base.Add(30 * time.Minute)).Post()
	oldLinked := b.Text("older, linked").Collected(Base.Add(31 * time.Minute)).Incident("inc-old").Post()
	save(t, st, old)
	save(t, st, oldLinked)
	checkPost(t, getPost(t, st, v1.ID), want)

	// A version with an incident of its own replaces the link.
	v3 := b.Text("third").Collected(Base.Add(2 * time.Hour)).Incident("inc-9").Post()
	save(t, st, v3)
	checkPost(t, getPost(t, st, v1.ID), v3)

	// Within one call the latest collected wins before meeting the stored
	// version: its link is the stored one, not the one of the version it
	// beat in the call.
	v4 := b.Text("fourth").Collected(Base.Add(3 * time.Hour)).Incident("inc-in-batch").Post()
	v5 := b.Text("fifth").Collected(Base.Add(4 * time.Hour)).Post()
	save(t, st, v4, v5)
	want = v5
	want.IncidentID = "inc-9"
	checkPost(t, getPost(t, st, v1.ID), want)

	// The other post was never linked, and a new one comes unlinked.
	checkPost(t, getPost(t, st, other.ID), other)
	fresh := NewPost("twitter", "3", Base.Add(2*time.Minute)).Post()
	save(t, st, fresh)
	checkPost(t, getPost(t, st, fresh.ID), fresh)

	if n := count(t, st, wide); n != 3 {
		t.Errorf("CountPosts after re-collections: got %d, want 3", n)
	}
	ps := listPosts(t, st, earshot.PostQuery{From: Base, To: Base.Add(time.Minute), Watch: "acme"})
	checkPosts(t, "Posts after re-collections", ps, []earshot.Post{want})
}

// testLinkedPostHashes: a link is not part of the version's hash: after
// LinkPosts, and after the post comes again unchanged (keeping its link),
// PostHashes still answers the hash of the version as it was saved, so
// the pipeline skips it. A version with an incident of its own is hashed
// with it.
func testLinkedPostHashes(t *testing.T, st earshot.Store) {
	hs := st
	l := st
	p := NewPost("rss", "1", Base).Text("acme is down").Post()
	q := NewPost("rss", "2", Base.Add(time.Second)).Text("still down").Post()
	save(t, st, p, q)
	link(t, l, earshot.PostQuery{From: Base, To: Base.Add(time.Minute)}, "inc-1")
	checkHashes(t, "PostHashes after linking", postHashes(t, hs, []string{p.ID, q.ID}), hashesOf(p, q))

	again := p
	again.CollectedAt = p.CollectedAt.Add(time.Hour)
	save(t, st, again)
	if got := getPost(t, st, p.ID); got.IncidentID != "inc-1" {
		t.Errorf("post collected again: incident %q, want inc-1", got.IncidentID)
	}
	checkHashes(t, "PostHashes after collecting again", postHashes(t, hs, []string{p.ID, q.ID}), hashesOf(p, q))

	own := q
	own.CollectedAt = q.CollectedAt.Add(time.Hour)
	own.IncidentID = "inc-2"
	save(t, st, own)
	checkHashes(t, "PostHashes after a version with its own incident", postHashes(t, hs, []string{p.ID, q.ID}), hashesOf(p, own))
}
