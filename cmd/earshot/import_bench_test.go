package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// writePosts writes n posts in the import format to a file: generated
// tweet-like texts about a brand, spread over a month.
func writePosts(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "posts.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	words := []string{"acme", "cloud", "api", "down", "again", "login", "broken", "great", "love", "thanks", "dashboard",
		"slow", "error", "outage", "support", "refund", "billing", "fast", "works", "fine", "today", "deploy"}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		text := "Acme"
		for k := range 6 + i%14 {
			text += " " + words[(i*7+k*13+k*k)%len(words)]
		}
		enc.Encode(earshot.PostRecord{
			ID: fmt.Sprint(i), Source: "twitter", Text: &text,
			CreatedAt: t0.Add(time.Duration(i) * 13 * time.Second).Format(time.RFC3339),
			Author:    earshot.RecordAuthor{ID: fmt.Sprint("u", i%5000), Handle: fmt.Sprint("h", i%5000), Followers: int64(i % 1000)},
		})
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	return path
}

// BenchmarkImportDuckDB imports 100,000 posts into a new DuckDB file per
// iteration, end to end: parse, normalize, match, score, store.
func BenchmarkImportDuckDB(b *testing.B) {
	const n = 100_000
	file := writePosts(b, n)
	b.ResetTimer()
	for i := range b.N {
		store := "duckdb://" + filepath.Join(b.TempDir(), fmt.Sprint(i, ".duckdb"))
		e, _, errb := testEnv("")
		if code := run(b.Context(), []string{"import", "--store", store, file}, e); code != 0 {
			b.Fatalf("import exited %d: %s", code, errb)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}
