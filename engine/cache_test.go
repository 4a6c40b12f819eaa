package engine

import (
	"context"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// countingPosts lists one post per query and counts queries and links.
type countingPosts struct{ queries, links int }

func (c *countingPosts) Posts(_ context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	c.queries++
	return []earshot.Post{{ID: "p", CreatedAt: q.From, IncidentID: ""}}, nil
}

func (c *countingPosts) LinkPosts(context.Context, earshot.PostQuery, string) (int64, error) {
	c.links++
	return 1, nil
}

func TestPostsCache(t *testing.T) {
	ctx := t.Context()
	st := &countingPosts{}
	c := &PostsCache{Lister: st, Linker: st, Max: 2}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	q := func(h int) earshot.PostQuery {
		return earshot.PostQuery{From: t0.Add(time.Duration(h) * time.Hour), To: t0.Add(time.Duration(h+1) * time.Hour), Limit: 10}
	}
	ask := func(h int) []earshot.Post {
		t.Helper()
		posts, err := c.Posts(ctx, q(h))
		if err != nil || len(posts) != 1 {
			t.Fatalf("Posts: %v, %v", posts, err)
		}
		return posts
	}
	got := ask(0)
	got[0].ID = "changed by the caller"
	if again := ask(0); again[0].ID != "p" || st.queries != 1 {
		t.Errorf("asked again: %+v after %d queries; want the cached answer, unchanged", again, st.queries)
	}
	// The same instant in another zone is the same query.
	cet := q(0)
	cet.From, cet.To = cet.From.In(time.FixedZone("CET", 3600)), cet.To.In(time.FixedZone("CET", 3600))
	if _, err := c.Posts(ctx, cet); err != nil || st.queries != 1 {
		t.Errorf("the query in CET went to the store (%d queries, %v)", st.queries, err)
	}
	ask(1)
	ask(2) // over Max: the cache starts afresh
	ask(0)
	if st.queries != 4 {
		t.Errorf("%d queries, want 4", st.queries)
	}
	// A link empties the cache.
	if _, err := c.LinkPosts(ctx, q(0), "inc"); err != nil || st.links != 1 {
		t.Fatalf("LinkPosts: %v, %d links", err, st.links)
	}
	ask(0)
	if st.queries != 5 {
		t.Errorf("%d queries after a link, want 5", st.queries)
	}
}
