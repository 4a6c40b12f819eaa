package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// countingStore is the in-memory store, counting the posts queries and
// the links asked of it.
type countingStore struct {
	*memstore.Store
	queries, links int
}

func (c *countingStore) Posts(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	c.queries++
	return c.Store.Posts(ctx, q)
}

func (c *countingStore) LinkPosts(ctx context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	c.links++
	return c.Store.LinkPosts(ctx, q, incidentID)
}

func TestPostsCache(t *testing.T) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	st := &countingStore{Store: memstore.New()}
	// One post in each of the first three hours: p0, p1, p2.
	for h := range 3 {
		p := earshot.Post{ID: fmt.Sprintf("p%d", h), Source: "test", Text: "a post", CreatedAt: t0.Add(time.Duration(h)*time.Hour + time.Minute)}
		if err := st.SavePosts(ctx, []earshot.Post{p}); err != nil {
			t.Fatal(err)
		}
	}
	c := &PostsCache{Lister: st, Linker: st, Max: 2}
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
	if again := ask(0); again[0].ID != "p0" || st.queries != 1 {
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
	if n, err := c.LinkPosts(ctx, q(0), "inc"); err != nil || n != 1 || st.links != 1 {
		t.Fatalf("LinkPosts: %d linked, %v, %d links", n, err, st.links)
	}
	if got := ask(0); got[0].IncidentID != "inc" || st.queries != 5 {
		t.Errorf("after a link: %+v after %d queries, want the linked post from a fifth query", got[0], st.queries)
	}
}
