package engine

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// SeriesCache is a PostStore whose Series answers the monitor's queries
// (minute buckets, no filter) from chunks of a day read at once, and
// passes everything else to the store. It is only right for posts that no
// longer change, as in replay, where every post is stored before the
// clock starts: a cached bucket never gains a post. Live, read the store.
type SeriesCache struct {
	earshot.PostStore
	// Chunk is how much is read at once (24h when 0).
	Chunk time.Duration

	mu     sync.Mutex
	chunks map[earshot.GroupBy]*seriesChunk
}

type seriesChunk struct {
	from, to time.Time
	buckets  []earshot.Bucket
}

// NewSeriesCache returns a cache in front of ps.
func NewSeriesCache(ps earshot.PostStore) *SeriesCache {
	return &SeriesCache{PostStore: ps, chunks: map[earshot.GroupBy]*seriesChunk{}}
}

// Series answers from the cache when it can, else from the store.
func (c *SeriesCache) Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	if q.Bucket != time.Minute || q.Watch != "" || q.Source != "" || !q.From.Before(q.To) {
		return c.PostStore.Series(ctx, q)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := c.chunks[q.GroupBy]
	if ch == nil || q.From.Before(ch.from) || q.To.After(ch.to) {
		chunk := c.Chunk
		if chunk <= 0 {
			chunk = 24 * time.Hour
		}
		to := q.To
		if t := q.From.Add(chunk); t.After(to) {
			to = t
		}
		rq := q
		rq.To = to
		buckets, err := c.PostStore.Series(ctx, rq)
		if err != nil {
			return nil, err
		}
		ch = &seriesChunk{from: q.From, to: to, buckets: buckets}
		c.chunks[q.GroupBy] = ch
	}
	lo := sort.Search(len(ch.buckets), func(i int) bool { return !ch.buckets[i].Start.Before(q.From) })
	hi := sort.Search(len(ch.buckets), func(i int) bool { return !ch.buckets[i].Start.Before(q.To) })
	return append([]earshot.Bucket(nil), ch.buckets[lo:hi]...), nil
}

// PostsCache is a PostLister and PostLinker in front of a store that
// answers a query it has answered before from memory, as the linker asks
// for a spike's baseline again at each of the spike's events. Like
// SeriesCache it is only right for posts that no longer change, as in
// replay, apart from links: LinkPosts goes to the store and empties the
// cache. It keeps the answers to at most Max queries (64 when 0).
type PostsCache struct {
	Lister earshot.PostLister
	Linker earshot.PostLinker
	Max    int

	mu      sync.Mutex
	answers map[earshot.PostQuery][]earshot.Post
}

var (
	_ earshot.PostLister = (*PostsCache)(nil)
	_ earshot.PostLinker = (*PostsCache)(nil)
)

// Posts answers from the cache when it can, else from the store.
func (c *PostsCache) Posts(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	q.From, q.To = q.From.UTC(), q.To.UTC()
	c.mu.Lock()
	defer c.mu.Unlock()
	if posts, ok := c.answers[q]; ok {
		return slices.Clone(posts), nil
	}
	posts, err := c.Lister.Posts(ctx, q)
	if err != nil {
		return nil, err
	}
	max := c.Max
	if max <= 0 {
		max = 64
	}
	if c.answers == nil || len(c.answers) >= max {
		c.answers = map[earshot.PostQuery][]earshot.Post{}
	}
	c.answers[q] = slices.Clone(posts)
	return posts, nil
}

// LinkPosts links posts in the store and forgets every cached answer.
func (c *PostsCache) LinkPosts(ctx context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answers = nil
	return c.Linker.LinkPosts(ctx, q, incidentID)
}
