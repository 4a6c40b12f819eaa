package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
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
	chAddr := fs.String("clickhouse", "", "also import into a throwaway database on this ClickHouse server (host:port)")
	asJSON := fs.Bool("json", false, "print the results as JSON lines")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot bench [flags]

Measures Earshot end to end on this machine: generates posts in the import
format, times 'earshot analyze' over them (scoring, JSON in and out) and
'earshot import' into a new DuckDB file (and into ClickHouse with
-clickhouse), through the whole pipeline: parse, normalize, match, score,
store. Speeds are posts per second of wall time.

Flags:`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *n < 1000 || *n > 50_000_000 {
		return usagef("-posts %d: give 1000 to 50000000", *n)
	}
	dir, err := os.MkdirTemp("", "earshot-bench-")
	if err != nil {
		return fmt.Errorf("making a scratch folder: %w", err)
	}
	defer os.RemoveAll(dir)

	file := filepath.Join(dir, "posts.jsonl")
	fmt.Fprintf(e.stderr, "earshot bench: generating %d posts\n", *n)
	if err := writeBenchFile(file, *n); err != nil {
		return err
	}

	var results []benchResult
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
		results = append(results, benchResult{step, int64(*n), secs, float64(*n) / secs})
		return nil
	}
	if err := measure("analyze (score, JSON in and out)", []string{"analyze"}); err != nil {
		return err
	}
	if err := measure("import into DuckDB", []string{"import", "--store", "duckdb://" + filepath.Join(dir, "bench.duckdb"), file}); err != nil {
		return err
	}
	if *chAddr != "" {
		db := fmt.Sprintf("earshot_bench_%d", time.Now().UnixNano())
		dsn := "clickhouse://" + *chAddr + "/" + db
		err := measure("import into ClickHouse", []string{"import", "--store", dsn, file})
		if cfg, perr := clickhouse.ParseDSN(dsn); perr == nil {
			if st, oerr := clickhouse.Open(ctx, cfg); oerr == nil {
				if derr := st.DropDatabase(ctx); derr != nil {
					fmt.Fprintf(e.stderr, "earshot bench: %v (drop it by hand)\n", derr)
				}
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
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "STEP\tPOSTS\tSECONDS\tPOSTS/S\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.0f\t\n", r.Step, r.Posts, r.Seconds, r.PerSec)
	}
	return tw.Flush()
}

// writeBenchFile writes n generated posts in the import format.
func writeBenchFile(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing posts: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := writeBenchPosts(w, n); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing posts: %w", err)
	}
	return f.Close()
}

// writeBenchPosts writes n tweet-like posts about a brand, spread over a
// month, from a fixed vocabulary: deterministic, so runs compare.
func writeBenchPosts(w io.Writer, n int) error {
	enc := json.NewEncoder(w)
	words := []string{"acme", "cloud", "api", "down", "again", "login", "broken", "great", "love", "thanks", "dashboard",
		"slow", "error", "outage", "support", "refund", "billing", "fast", "works", "fine", "today", "deploy",
		"can't", "not", "working", "the", "is", "so", "really", "new", "feature", "@acmecloud", "#devops"}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		var b strings.Builder
		b.WriteString("Acme")
		for k := range 6 + i%14 {
			b.WriteByte(' ')
			b.WriteString(words[(i*7+k*13+k*k*3+i/97)%len(words)])
		}
		text := b.String()
		err := enc.Encode(earshot.PostRecord{
			ID: fmt.Sprint(i), Source: "twitter", Text: &text,
			CreatedAt: t0.Add(time.Duration(i%2_592_000) * time.Second).Format(time.RFC3339),
			Author:    earshot.RecordAuthor{ID: fmt.Sprint("u", i%50_000), Handle: fmt.Sprint("user", i%50_000), Followers: int64(i % 3000)},
		})
		if err != nil {
			return fmt.Errorf("writing posts: %w", err)
		}
	}
	return nil
}
