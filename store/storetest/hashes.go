package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

func postHashes(t *testing.T, hs earshot.PostHashStore, ids []string) map[string]uint64 {
	t.Helper()
	return got(hs.PostHashes(t.Context(), ids)).or(t, "PostHashes(%d IDs)", len(ids))
}

// hashesOf is what PostHashes must answer when posts are the stored
// versions: each one's ContentHash, by ID.
func hashesOf(posts ...earshot.Post) map[string]uint64 {
	out := make(map[string]uint64, len(posts))
	for _, p := range posts {
		out[p.ID] = earshot.ContentHash(p)
	}
	return out
}

// testPostHashes: PostHashes answers, for each asked ID that is stored,
// the ContentHash of the stored version, and nothing for IDs not stored
// (nor for a repeated ID twice). The version that wins in SavePosts is
// the one hashed: the latest collected, of equally recent ones the one
// saved last, also within one call; an older version saved later changes
// nothing. Fields outside the hash (sentiment, watches, collection time)
// change the version stored, not its hash. Erased posts are not stored.
func testPostHashes(t *testing.T, st earshot.Store) {
	hs := st
	checkHashes(t, "PostHashes(nil) on an empty store", postHashes(t, hs, nil), nil)
	checkHashes(t, "PostHashes(empty) on an empty store", postHashes(t, hs, []string{}), nil)
	checkHashes(t, "PostHashes on an empty store", postHashes(t, hs, []string{"twitter:1", ""}), nil)

	b := NewPost("rss", "7", Base).Author("u7", 70)
	v1 := b.Text("v1").Collected(Base.Add(1 * time.Minute)).Post()
	v2 := b.Text("v2").Collected(Base.Add(2 * time.Minute)).Score(-0.5).Post()
	v3 := b.Text("v3").Collected(Base.Add(3 * time.Minute)).Parent("rss:6").Post()
	full := NewPost("twitter", "1", Base.Add(123*time.Millisecond)).Kind(earshot.KindReply).
		URL("https://example.com/1?a=b").AuthorFull(earshot.Author{ID: "9", Handle: "zoë", Name: "Zoë 🦊", Followers: 1 << 40}).
		Text("Acme est en panne 😡\n'quoted' \"double\" back\\slash").Lang("fr-CA").Incident("statuspage:inc-1").
		Parent("twitter:0").Watches("acme").Score(-0.9).Reason(earshot.ReasonOutage).Post()
	// Same instant in another zone: the hash is of the instant.
	zoned := NewPost("mastodon", "z", Base).Post()
	zoned.CreatedAt = Base.Add(time.Hour).In(time.FixedZone("CET", 3600))
	zoned.CollectedAt = Base.Add(2 * time.Hour).In(time.FixedZone("PST", -8*3600))
	// Two posts differing only in their IDs hash alike.
	twinA := NewPost("hn", "a", Base).Text("same").Post()
	twinB := NewPost("hn", "b", Base).Text("same").Post()
	twinB.ID = twinA.ID + "-twin"
	erased := NewPost("rss", "gone", Base).Author("spam", 1).Post()

	save(t, st, v1, full, v3, zoned, v2, twinA, twinB, erased)
	ids := []string{v1.ID, full.ID, "twitter:2", zoned.ID, twinA.ID, twinB.ID, erased.ID, "", "rss", full.ID}
	want := hashesOf(v3, full, zoned, twinA, twinB, erased)
	if h1, h3 := earshot.ContentHash(v1), earshot.ContentHash(v3); h1 == h3 {
		t.Fatalf("storetest bug: versions v1 and v3 hash alike (%#x)", h1)
	}
	checkHashes(t, "storetest bug: model disagrees", model.PostHashes([]earshot.Post{v3, full, zoned, twinA, twinB, erased}, ids), want)
	checkHashes(t, "PostHashes after the first batch", postHashes(t, hs, ids), want)

	// Older versions saved later change nothing.
	save(t, st, v2)
	save(t, st, v1, v2)
	checkHashes(t, "PostHashes after older versions were saved again", postHashes(t, hs, ids), want)

	// A version collected at the same time as the stored one, saved later,
	// wins; so does a newer one. Scores, watches and collection times are
	// not part of the hash, the text is.
	same := b.Text("v3, edited").Collected(v3.CollectedAt).Post()
	save(t, st, same)
	want[v1.ID] = earshot.ContentHash(same)
	checkHashes(t, "PostHashes after a version collected at the same time", postHashes(t, hs, ids), want)
	rescored := full
	rescored.CollectedAt = full.CollectedAt.Add(time.Hour)
	rescored.Sentiment = earshot.Sentiment{Score: 0.5, Label: earshot.Positive}
	rescored.Watches = nil
	save(t, st, rescored)
	checkHashes(t, "PostHashes after rescoring", postHashes(t, hs, ids), want)
	edited := rescored
	edited.CollectedAt = rescored.CollectedAt.Add(time.Minute)
	edited.Text += " (edited)"
	save(t, st, edited)
	want[full.ID] = earshot.ContentHash(edited)
	checkHashes(t, "PostHashes after an edit", postHashes(t, hs, ids), want)

	if _, err := st.EraseAuthor(t.Context(), erased.Source, erased.Author.ID); err != nil {
		t.Fatalf("EraseAuthor: %v", err)
	}
	delete(want, erased.ID)
	checkHashes(t, "PostHashes after erasing an author", postHashes(t, hs, ids), want)
	checkHashes(t, "PostHashes of one ID", postHashes(t, hs, []string{zoned.ID}), hashesOf(zoned))
	checkHashes(t, "PostHashes of a missing ID", postHashes(t, hs, []string{"mastodon:zz"}), nil)
}

// testPostHashesLargeBatch: PostHashes answers thousands of IDs at once,
// long ones, of posts saved in several batches and some saved again.
func testPostHashesLargeBatch(t *testing.T, st earshot.Store) {
	hs := st
	const stored, asked = 2500, 3000
	// IDs as long as a Mastodon status URI: asking for them all takes some
	// 300 kB of IDs.
	id := func(i int) string {
		return fmt.Sprintf("https://social.example.org/users/someone-%04d/statuses/%018d/%s", i%97, i, strings.Repeat("x", 20))
	}
	posts := make([]earshot.Post, stored)
	for i := range posts {
		posts[i] = NewPost("mastodon", id(i), Base.Add(time.Duration(i)*time.Second)).
			Author(fmt.Sprintf("u%d", i%37), int64(i)).Text(fmt.Sprintf("post %d", i)).Post()
	}
	for chunk := range 5 {
		save(t, st, posts[chunk*stored/5:(chunk+1)*stored/5]...)
	}
	// Every seventh post is edited, and saved again in one batch.
	var edits []earshot.Post
	for i := 0; i < stored; i += 7 {
		p := posts[i]
		p.Text += " (edited)"
		p.CollectedAt = p.CollectedAt.Add(time.Hour)
		posts[i] = p
		edits = append(edits, p)
	}
	save(t, st, edits...)

	ids := make([]string, 0, asked)
	for i := range asked {
		// Asked in an order of their own: from the end, missing ones among
		// the stored.
		ids = append(ids, earshot.PostID("mastodon", id(asked-1-i)))
	}
	want := hashesOf(posts...)
	checkHashes(t, "storetest bug: model disagrees", model.PostHashes(posts, ids), want)
	checkHashes(t, fmt.Sprintf("PostHashes of %d IDs", asked), postHashes(t, hs, ids), want)
}
