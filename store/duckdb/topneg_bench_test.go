package duckdb

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// BenchmarkTopNegative asks for the 200 most negative posts of 30 days in
// a store of 1,000,000 posts (made in SQL, scores spread over [-1, 1],
// texts and JSON parts of import's size), as the comms dashboard does.
func BenchmarkTopNegative(b *testing.B) {
	st, err := Open(b.Context(), filepath.Join(b.TempDir(), "top.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, err := st.db.ExecContext(b.Context(), `INSERT INTO posts (`+postTableColumns+`)
		SELECT 'twitter:' || i, 'twitter', 'post', 'https://example.com/' || i, 'u' || (i % 50000),
			'user' || (i % 50000), 'User ' || (i % 50000), i % 3000,
			'Acme cloud api is down again ' || i || ', login broken, support slow, nothing loads', 'en',
			? + to_seconds(i * 2.592), ? + to_seconds(i * 2.592), ['acme'],
			((i * 7919) % 20001) / 10000.0 - 1, 'negative', '{"vader":-0.3,"domain":-0.5,"bayes":-0.4}', '',
			'', 'outage', 0, 0, false, ''
		FROM range(1000000) r(i)`, t0, t0); err != nil {
		b.Fatal(err)
	}
	q := earshot.PostQuery{From: t0, To: t0.Add(30 * 24 * time.Hour), Limit: 200}
	for b.Loop() {
		ps, err := st.TopNegative(b.Context(), q)
		if err != nil || len(ps) != 200 {
			b.Fatalf("TopNegative: %d posts, %v", len(ps), err)
		}
	}
}
