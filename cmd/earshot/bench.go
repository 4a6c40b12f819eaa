package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/store/clickhouse"
)

// benchResult is one line of `earshot bench`.
type benchResult struct {
	Step    string  `json:"step"`
	Posts   int64   `json:"posts"`
	Seconds float64 `json:"seconds"`
	PerSec  float64 `json:"posts_per_second"`
}

func runBench(ctx context.Context, args []string, e env) error {
	fs := newFlags("bench", e.stderr)
	n := fs.Int("posts", 1_000_000, "posts to generate and import")
	days := fs.Int("days", 30, "days the posts are spread over (ending at the last post)")
	runs := fs.Int("runs", 9, "times each dashboard query is timed, for p50 and p95")
	chAddr := fs.String("clickhouse", "", "also import into a throwaway database on this ClickHouse server (host:port)")
	skipAnalyze := fs.Bool("skip-analyze", false, "do not time 'earshot analyze'")
	asJSON := fs.Bool("json", false, "print the results as JSON lines")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot bench [flags]

Measures Earshot end to end on this machine: generates posts in the import
format (four sources, one watch, spread over -days), times 'earshot
analyze' over them (scoring, JSON in and out) and 'earshot import' into a
new DuckDB file (and into ClickHouse with -clickhouse), through the whole
pipeline: parse, normalize, match, score, store. Speeds are posts per
second of wall time. Then, on each store, it times what the comms
dashboard asks for over the whole span (the page, /api/series by hour,
/api/posts/negative), in process, -runs times each: p50 and p95.

Flags:`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *n < 1000 || *n > 50_000_000 {
		return usagef("-posts %d: give 1000 to 50000000", *n)
	}
	if *days < 1 || *days > 366 {
		return usagef("-days %d: give 1 to 366", *days)
	}
	if *runs < 1 || *runs > 1000 {
		return usagef("-runs %d: give 1 to 1000", *runs)
	}
	dir, err := os.MkdirTemp("", "earshot-bench-")
	if err != nil {
		return fmt.Errorf("making a scratch folder: %w", err)
	}
	defer os.RemoveAll(dir)

	file := filepath.Join(dir, "posts.jsonl")
	cfgFile := filepath.Join(dir, "earshot.yaml")
	fmt.Fprintf(e.stderr, "earshot bench: generating %d posts over %d days\n", *n, *days)
	end, err := writeBenchFile(file, *n, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	if err := os.WriteFile(cfgFile, []byte(benchConfig), 0o600); err != nil {
		return fmt.Errorf("writing the bench config: %w", err)
	}

	var (
		results []benchResult
		queries []benchQuery
	)
	measure := func(step string, args []string) error {
		fmt.Fprintf(e.stderr, "earshot bench: %s\n", step)
		in, err := os.Open(file)
		if err != nil {
			return err
		}
		defer in.Close()
		var errb bytes.Buffer
		sub := env{stdin: in, stdout: io.Discard, stderr: &errb, getenv: e.getenv}
		start := time.Now()
		if code := run(ctx, args, sub); code != 0 {
			return fmt.Errorf("%s failed: %s", step, strings.TrimSpace(errb.String()))
		}
		secs := time.Since(start).Seconds()
		results = append(results, benchResult{Step: step, Posts: int64(*n), Seconds: secs, PerSec: float64(*n) / secs})
		return nil
	}
	query := func(name, dsn string) error {
		fmt.Fprintf(e.stderr, "earshot bench: dashboard queries on %s\n", name)
		st, err := openStore(ctx, dsn)
		if err != nil {
			return err
		}
		defer st.Close()
		qs, err := timeDashboard(ctx, st, end, time.Duration(*days)*24*time.Hour, *runs)
		for i := range qs {
			qs[i].Store = name
		}
		queries = append(queries, qs...)
		return err
	}
	if !*skipAnalyze {
		if err := measure("analyze (score, JSON in and out)", []string{"analyze"}); err != nil {
			return err
		}
	}
	duck := "duckdb://" + filepath.Join(dir, "bench.duckdb")
	if err := measure("import into DuckDB", []string{"import", "--config", cfgFile, "--store", duck, file}); err != nil {
		return err
	}
	if err := query("DuckDB", duck); err != nil {
		return err
	}
	if *chAddr != "" {
		db := fmt.Sprintf("earshot_bench_%d", time.Now().UnixNano())
		dsn := "clickhouse://" + *chAddr + "/" + db
		err := measure("import into ClickHouse", []string{"import", "--config", cfgFile, "--store", dsn, file})
		if err == nil {
			err = query("ClickHouse", dsn)
		}
		if cfg, perr := clickhouse.ParseDSN(dsn); perr == nil {
			if st, oerr := clickhouse.Open(ctx, cfg); oerr == nil {
				if derr := st.DropDatabase(ctx); derr != nil {
					fmt.Fprintf(e.stderr, "earshot bench: %v (drop it by hand)\n", derr)
				}
				st.Close()
			}
		}
		if err != nil {
			return err
		}
	}

	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		for _, q := range queries {
			if err := enc.Encode(q); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "STEP\tPOSTS\tSECONDS\tPOSTS/S\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.0f\t\n", r.Step, r.Posts, r.Seconds, r.PerSec)
	}
	fmt.Fprintln(tw, "\t\t\t\t")
	fmt.Fprintf(tw, "STORE\tQUERY (%d DAYS)\tP50 MS\tP95 MS\t\n", *days)
	for _, q := range queries {
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.1f\t\n", q.Store, q.Query, q.P50, q.P95)
	}
	return tw.Flush()
}

// benchConfig is the configuration the bench imports with: one watch.
const benchConfig = `watches:
  - name: acme
    keywords: [acme]
`

// benchQuery is one dashboard query's timings in `earshot bench`.
type benchQuery struct {
	Store string  `json:"store"`
	Query string  `json:"query"`
	Runs  int     `json:"runs"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
}

// timeDashboard times the comms dashboard's requests over span ending at
// end, served in process from st, runs times each.
func timeDashboard(ctx context.Context, st earshot.Store, end time.Time, span time.Duration, runs int) ([]benchQuery, error) {
	srv := web.New(st, web.Options{Now: func() time.Time { return end }, DefaultRange: 30 * 24 * time.Hour})
	from, to := end.Add(-span).Format(time.RFC3339), end.Format(time.RFC3339)
	targets := []struct{ name, path string }{
		{"page /?range=30d", "/?range=30d"},
		{"/api/series bucket=1h", "/api/series?bucket=1h&from=" + from + "&to=" + to},
		{"/api/series by source", "/api/series?bucket=1h&group=source&from=" + from + "&to=" + to},
		{"/api/posts/negative", "/api/posts/negative?from=" + from + "&to=" + to},
	}
	var out []benchQuery
	for _, tg := range targets {
		took := make([]float64, 0, runs)
		for range runs {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, tg.path, nil)
			rec := httptest.NewRecorder()
			start := time.Now()
			srv.ServeHTTP(rec, req)
			took = append(took, float64(time.Since(start).Microseconds())/1000)
			if rec.Code != http.StatusOK {
				return out, fmt.Errorf("%s: HTTP %d: %s", tg.path, rec.Code, strings.TrimSpace(rec.Body.String()))
			}
		}
		sort.Float64s(took)
		out = append(out, benchQuery{Query: tg.name, Runs: runs, P50: quantile(took, 0.5), P95: quantile(took, 0.95)})
	}
	return out, nil
}

// quantile returns the q-quantile of sorted xs (nearest rank).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(xs)))) - 1
	return xs[max(0, min(len(xs)-1, i))]
}

// writeBenchFile writes n generated posts in the import format, spread
// over span, and returns the end of the span.
func writeBenchFile(path string, n int, span time.Duration) (time.Time, error) {
	f, err := os.Create(path)
	if err != nil {
		return time.Time{}, fmt.Errorf("writing posts: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := writeBenchPosts(w, n, span); err != nil {
		f.Close()
		return time.Time{}, err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return time.Time{}, fmt.Errorf("writing posts: %w", err)
	}
	return benchStart.Add(span), f.Close()
}

// benchStart is when the generated posts begin.
var benchStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// benchSources are the sources the generated posts come from.
var benchSources = []string{"twitter", "reddit", "mastodon", "hackernews"}

// writeBenchPosts writes n tweet-like posts about a brand from four
// sources, spread evenly over span, from a fixed vocabulary: deterministic,
// so runs compare.
func writeBenchPosts(w io.Writer, n int, span time.Duration) error {
	enc := json.NewEncoder(w)
	words := []string{"acme", "cloud", "api", "down", "again", "login", "broken", "great", "love", "thanks", "dashboard",
		"slow", "error", "outage", "support", "refund", "billing", "fast", "works", "fine", "today", "deploy",
		"can't", "not", "working", "the", "is", "so", "really", "new", "feature", "@acmecloud", "#devops"}
	step := span / time.Duration(n)
	for i := range n {
		var b strings.Builder
		b.WriteString("Acme")
		for k := range 6 + i%14 {
			b.WriteByte(' ')
			b.WriteString(words[(i*7+k*13+k*k*3+i/97)%len(words)])
		}
		text := b.String()
		err := enc.Encode(earshot.PostRecord{
			ID: fmt.Sprint(i), Source: benchSources[i%len(benchSources)], Text: &text,
			CreatedAt: benchStart.Add(time.Duration(i) * step).Format(time.RFC3339Nano),
			Author:    earshot.RecordAuthor{ID: fmt.Sprint("u", i%50_000), Handle: fmt.Sprint("user", i%50_000), Followers: int64(i % 3000)},
		})
		if err != nil {
			return fmt.Errorf("writing posts: %w", err)
		}
	}
	return nil
}
