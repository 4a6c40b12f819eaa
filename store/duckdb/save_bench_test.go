package duckdb

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// benchPosts makes n scored posts like those import stores, IDs from
// first on.
func benchPosts(first, n int) []earshot.Post {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	out := make([]earshot.Post, n)
	for i := range out {
		k := first + i
		at := t0.Add(time.Duration(k%2_592_000) * time.Second)
		out[i] = earshot.Post{
			ID: fmt.Sprint("twitter:", k), Source: "twitter", Kind: earshot.KindPost,
			Author:    earshot.Author{ID: fmt.Sprint("u", k%50_000), Handle: fmt.Sprint("user", k%50_000), Followers: int64(k % 3000)},
			Text:      fmt.Sprintf("Acme cloud api is down again %d, login broken, support slow", k),
			CreatedAt: at, CollectedAt: at,
			Watches: []string{"acme"},
			Sentiment: earshot.Sentiment{Score: -0.4, Label: earshot.Negative, Reason: earshot.ReasonOutage,
				Parts: map[string]float64{"vader": -0.3, "domain": -0.5, "bayes": -0.4}},
		}
	}
	return out
}

// BenchmarkSaveImport saves 200,000 new posts in batches into a new
// database file per iteration, as import does.
func BenchmarkSaveImport(b *testing.B) {
	for _, batch := range []int{5000, 20_000, 122_880} {
		b.Run(fmt.Sprint(batch), func(b *testing.B) { benchSave(b, 200_000, batch) })
	}
}

func benchSave(b *testing.B, n, batch int) {
	posts := benchPosts(0, n)
	b.ResetTimer()
	for i := range b.N {
		st, err := Open(b.Context(), filepath.Join(b.TempDir(), fmt.Sprint(i, ".duckdb")))
		if err != nil {
			b.Fatal(err)
		}
		for lo := 0; lo < n; lo += batch {
			if err := st.SavePosts(b.Context(), posts[lo:min(n, lo+batch)]); err != nil {
				b.Fatal(err)
			}
		}
		st.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}
