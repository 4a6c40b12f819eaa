package ingest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// discardStore takes every post and keeps none.
type discardStore struct{ earshot.PostStore }

func (discardStore) SavePosts(context.Context, []earshot.Post) error { return nil }

// BenchmarkAddImport runs 200,000 posts through Add as an import does (batches
// of 1,000, overlapped saves of 122,880), unscored into a store that keeps
// nothing: the pipeline's own cost per post (normalize, validate, dedupe,
// match, buffer).
func BenchmarkAddImport(b *testing.B) {
	const n = 200_000
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	posts := make([]earshot.Post, n)
	for i := range posts {
		posts[i] = earshot.Post{ID: fmt.Sprint("twitter:", i), Source: "twitter", Kind: earshot.KindPost,
			Author: earshot.Author{ID: fmt.Sprint("u", i%5000)}, CreatedAt: t0.Add(time.Duration(i) * time.Second),
			CollectedAt: t0.Add(time.Duration(i) * time.Second),
			Text:        fmt.Sprintf("Acme cloud api is down again %d, login broken, support slow", i)}
	}
	watches := []earshot.Watch{{Name: "acme", Keywords: []string{"acme"}}}
	b.ReportAllocs()
	for b.Loop() {
		p := NewPipeline(discardStore{}, nil, watches, PipelineOptions{BatchSize: 122_880, DedupeWindow: 1 << 20, Overlap: true})
		for lo := 0; lo < n; lo += 1000 {
			if err := p.Add(b.Context(), posts[lo:lo+1000]...); err != nil {
				b.Fatal(err)
			}
		}
		if err := p.Flush(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}
