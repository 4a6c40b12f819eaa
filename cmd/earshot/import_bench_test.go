package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// writePosts writes n generated posts to a file, as earshot bench does.
func writePosts(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "posts.jsonl")
	if err := writeBenchFile(path, n); err != nil {
		tb.Fatal(err)
	}
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

func TestBench(t *testing.T) {
	e, out, errb := testEnv("")
	if code := run(t.Context(), []string{"bench", "-posts", "2000", "-json"}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var steps []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r benchResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if r.Posts != 2000 || r.Seconds <= 0 || r.PerSec <= 0 {
			t.Errorf("result %+v", r)
		}
		steps = append(steps, r.Step)
	}
	if len(steps) != 2 {
		t.Errorf("steps %v, want analyze and the DuckDB import", steps)
	}
	if code := run(t.Context(), []string{"bench", "-posts", "5"}, e); code != 2 {
		t.Errorf("-posts 5: exit %d, want 2", code)
	}
}
