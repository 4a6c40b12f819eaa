package engine

import (
	"context"
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
