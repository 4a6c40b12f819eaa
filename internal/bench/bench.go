package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/clickhouse"
)

// Result is one timed step, a line of `earshot bench`.
type Result struct {
	Step    string  `json:"step"`
	Posts   int64   `json:"posts"`
	Seconds float64 `json:"seconds"`
	PerSec  float64 `json:"posts_per_second"`
}

// Options says what to measure and how to run the commands it times.
type Options struct {
	// Posts is how many posts to generate and import; Days the days they
	// are spread over (ending at the last post); Runs how many times each
	// dashboard query is timed, for p50 and p95.
	Posts, Days, Runs int
	// ClickHouse, when set (host:port), adds an import into a throwaway
	// database on that server, dropped at the end.
	ClickHouse string
	// SkipAnalyze leaves out timing `earshot analyze`.
	SkipAnalyze bool
	// Command runs an earshot command, args as on the command line after
	// "earshot", with stdin as its standard input; its error says why it
	// failed.
	Command func(ctx context.Context, args []string, stdin io.Reader) error
	// Open opens the store a DSN names.
	Open func(ctx context.Context, dsn string) (earshot.Store, error)
	// Log receives a line as each step starts.
	Log io.Writer
}

// Report is what a run measured.
type Report struct {
	Days    int
	Results []Result
	Queries []Query
}

// run is one bench run's state.
type run struct {
	Options
	file    string
	end     time.Time
	report  Report
	cfgFile string
}

// Run generates the posts in a scratch folder, times the steps and the
// dashboard queries, and removes the folder.
func Run(ctx context.Context, o Options) (*Report, error) {
	dir, err := os.MkdirTemp("", "earshot-bench-")
	if err != nil {
		return nil, fmt.Errorf("making a scratch folder: %w", err)
	}
	defer os.RemoveAll(dir)

	r := &run{Options: o, file: filepath.Join(dir, "posts.jsonl"), cfgFile: filepath.Join(dir, "earshot.yaml")}
	r.report.Days = o.Days
	fmt.Fprintf(o.Log, "earshot bench: generating %d posts over %d days\n", o.Posts, o.Days)
	if r.end, err = WritePostsFile(r.file, o.Posts, r.span()); err != nil {
		return nil, err
	}
	if err := os.WriteFile(r.cfgFile, []byte(Config), 0o600); err != nil {
		return nil, fmt.Errorf("writing the bench config: %w", err)
	}
	if !o.SkipAnalyze {
		if err := r.measure(ctx, "analyze (score, JSON in and out)", []string{"analyze"}); err != nil {
			return nil, err
		}
	}
	duck := "duckdb://" + filepath.Join(dir, "bench.duckdb")
	if err := r.measure(ctx, "import into DuckDB", []string{"import", "--config", r.cfgFile, "--store", duck, r.file}); err != nil {
		return nil, err
	}
	if err := r.query(ctx, "DuckDB", duck); err != nil {
		return nil, err
	}
	if o.ClickHouse != "" {
		if err := r.clickHouse(ctx); err != nil {
			return nil, err
		}
	}
	return &r.report, nil
}

func (r *run) span() time.Duration { return time.Duration(r.Days) * 24 * time.Hour }

// measure times one command over the generated posts.
func (r *run) measure(ctx context.Context, step string, args []string) error {
	fmt.Fprintf(r.Log, "earshot bench: %s\n", step)
	in, err := os.Open(r.file)
	if err != nil {
		return err
	}
	defer in.Close()
	start := time.Now()
	if err := r.Command(ctx, args, in); err != nil {
		return fmt.Errorf("%s failed: %s", step, err)
	}
	secs := time.Since(start).Seconds()
	r.report.Results = append(r.report.Results, Result{Step: step, Posts: int64(r.Posts), Seconds: secs, PerSec: float64(r.Posts) / secs})
	return nil
}

// query times the dashboard's queries on the store at dsn, named name.
func (r *run) query(ctx context.Context, name, dsn string) error {
	fmt.Fprintf(r.Log, "earshot bench: dashboard queries on %s\n", name)
	st, err := r.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	qs, err := TimeDashboard(ctx, st, r.end, r.span(), r.Runs)
	for i := range qs {
		qs[i].Store = name
	}
	r.report.Queries = append(r.report.Queries, qs...)
	return err
}

// clickHouse imports into a new database on the ClickHouse server, times
// the queries there and drops the database.
func (r *run) clickHouse(ctx context.Context) error {
	db := fmt.Sprintf("earshot_bench_%d", time.Now().UnixNano())
	dsn := "clickhouse://" + r.ClickHouse + "/" + db
	err := r.measure(ctx, "import into ClickHouse", []string{"import", "--config", r.cfgFile, "--store", dsn, r.file})
	if err == nil {
		err = r.query(ctx, "ClickHouse", dsn)
	}
	if cfg, perr := clickhouse.ParseDSN(dsn); perr == nil {
		if st, oerr := clickhouse.Open(ctx, cfg); oerr == nil {
			if derr := st.DropDatabase(ctx); derr != nil {
				fmt.Fprintf(r.Log, "earshot bench: %v (drop it by hand)\n", derr)
			}
			st.Close()
		}
	}
	return err
}

// WriteJSON writes the results, then the queries, one JSON line each.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, r := range rep.Results {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	for _, q := range rep.Queries {
		if err := enc.Encode(q); err != nil {
			return err
		}
	}
	return nil
}

// WriteTable writes the results and the queries as two aligned tables.
func (rep *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "STEP\tPOSTS\tSECONDS\tPOSTS/S\t")
	for _, r := range rep.Results {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.0f\t\n", r.Step, r.Posts, r.Seconds, r.PerSec)
	}
	fmt.Fprintln(tw, "\t\t\t\t")
	fmt.Fprintf(tw, "STORE\tQUERY (%d DAYS)\tP50 MS\tP95 MS\t\n", rep.Days)
	for _, q := range rep.Queries {
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.1f\t\n", q.Store, q.Query, q.P50, q.P95)
	}
	return tw.Flush()
}
