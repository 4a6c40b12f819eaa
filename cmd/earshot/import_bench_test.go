package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/internal/bench"
	"github.com/earshot/earshot/store/clickhouse/chtest"
)

// writePosts writes n generated posts to a file, as earshot bench does.
func writePosts(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "posts.jsonl")
	if _, err := bench.WritePostsFile(path, n, 30*24*time.Hour); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkImportDuckDB imports 100,000 posts (see benchImport) into a new DuckDB file per
// iteration, end to end: parse, normalize, match, score, store.
func BenchmarkImportDuckDB(b *testing.B) {
	benchImport(b, func(i int) string {
		return "duckdb://" + filepath.Join(b.TempDir(), fmt.Sprint(i, ".duckdb"))
	})
}

// BenchmarkImportClickHouse imports 100,000 posts (see benchImport) into a new database on
// the server EARSHOT_TEST_CLICKHOUSE names per iteration, end to end.
func BenchmarkImportClickHouse(b *testing.B) {
	addr, prefix := chtest.Fresh(b, "earshot_bench")
	benchImport(b, func(i int) string {
		db := fmt.Sprint(prefix, "_", i)
		b.Cleanup(func() { chtest.Drop(b, addr, db) })
		return "clickhouse://" + addr + "/" + db
	})
}

// benchImport imports generated posts per iteration into the store
// storeAt(iteration) names, with earshot bench's configuration (one
// watch): 100,000, or as many as EARSHOT_BENCH_IMPORT_POSTS says (at
// 100,000 the fixed costs, a new database's migrations and the models'
// loading, weigh; the import's figures are of 1,000,000).
func benchImport(b *testing.B, storeAt func(int) string) {
	n := 100_000
	if v := os.Getenv("EARSHOT_BENCH_IMPORT_POSTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("EARSHOT_BENCH_IMPORT_POSTS=%q: want a number of posts", v)
		}
	}
	file := writePosts(b, n)
	cfg := filepath.Join(b.TempDir(), "earshot.yaml")
	if err := os.WriteFile(cfg, []byte(bench.Config), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		e, _, errb := testEnv("")
		if code := run(b.Context(), []string{"import", "--config", cfg, "--store", storeAt(i), file}, e); code != 0 {
			b.Fatalf("import exited %d: %s", code, errb)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}

func TestBench(t *testing.T) {
	e, out, errb := testEnv("")
	if code := run(t.Context(), []string{"bench", "-posts", "2000", "-days", "3", "-runs", "3", "-json"}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var steps, queries, calls []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.Contains(line, `"query"`) {
			var q bench.Query
			if err := json.Unmarshal([]byte(line), &q); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			if q.Store != "DuckDB" || q.Runs != 3 || q.P50 <= 0 || q.P95 < q.P50 {
				t.Errorf("query %+v", q)
			}
			if strings.HasPrefix(q.Query, "store: ") {
				calls = append(calls, q.Query)
			} else {
				queries = append(queries, q.Query)
			}
			continue
		}
		var r bench.Result
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
	if len(queries) != 4 {
		t.Errorf("queries %v, want the page, two series and the negative posts", queries)
	}
	if !slices.Contains(calls, "store: TopNegative 200") || !slices.Contains(calls, "store: Series 1h") {
		t.Errorf("store calls %v, want each call the page makes timed, the most negative posts and the hourly series among them", calls)
	}
	for _, bad := range [][]string{{"-posts", "5"}, {"-days", "0"}, {"-runs", "0"}} {
		if code := run(t.Context(), append([]string{"bench"}, bad...), e); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
