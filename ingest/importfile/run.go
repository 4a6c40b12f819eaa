package importfile

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
)

// Summary is what an import did; `earshot import --json` prints exactly
// these four fields. Read counts every record (non-blank line) read:
// stored + duplicates + rejected, plus any that matched no watch when the
// configuration drops those (Unmatched).
type Summary struct {
	Read       int64 `json:"read"`
	Stored     int64 `json:"stored"`
	Duplicates int64 `json:"duplicates"`
	Rejected   int64 `json:"rejected"`
	Unmatched  int64 `json:"-"`
}

// BatchSize is how many posts an import scores and stores at once: one
// DuckDB row group (122,880 rows). DuckDB writes the full row groups of a
// transaction straight to the database file and the rest to its
// write-ahead log, to be written again at the next checkpoint: a batch of
// 20,000 posts put 4 MB in the log, one of 122,880 none, and saving 200,000
// posts took 1.5 times as long in batches of 20,000 (BenchmarkSaveImport
// in store/duckdb). ClickHouse gets it as INSERTs of at most 50,000 rows.
const BatchSize = 122_880

// Options are what Run imports into and how.
type Options struct {
	Store         earshot.Store
	Scorer        earshot.Scorer
	Watches       []earshot.Watch
	MaxTextBytes  int  // pipeline.max_text_bytes
	DropUnmatched bool // pipeline.unmatched: drop
	// Stdin is read for the file "-"; Stderr gets the rejected lines and,
	// with Progress, a progress bar.
	Stdin    io.Reader
	Stderr   io.Writer
	Progress bool
}

// Run imports files into o.Store through the pipeline, as collected posts
// go (normalize, dedupe, match watches, score, store), in big batches:
// each costs the store a transaction and a look-up of the stored hashes (a
// scan in DuckDB). Overlap scores a batch while the one before is stored.
//
// Into a store holding no posts, the look-up of stored posts asks only
// about the IDs the import itself stored (ingest.PipelineOptions
// FreshStore): a post another process stores meanwhile is then saved
// again rather than counted a duplicate (the store keeps one version).
func Run(ctx context.Context, files []string, o Options) (Summary, error) {
	fresh, err := holdsNoPosts(ctx, o.Store)
	if err != nil {
		return Summary{}, err
	}
	pipe := ingest.NewPipeline(o.Store, o.Scorer, o.Watches, ingest.PipelineOptions{
		BatchSize:     BatchSize,
		MaxTextBytes:  o.MaxTextBytes,
		DropUnmatched: o.DropUnmatched,
		DedupeWindow:  1 << 20,
		Overlap:       true,
		FreshStore:    fresh,
	})
	defer pipe.Wait() // no save under way when the store closes
	imp := &Importer{Add: pipe.Add, Stdin: o.Stdin, Stderr: o.Stderr, Progress: o.Progress}
	if err := imp.Import(ctx, files); err != nil {
		return Summary{}, err
	}
	if err := pipe.Flush(ctx); err != nil {
		return Summary{}, fmt.Errorf("storing posts: %w", err)
	}
	imp.ClearProgress()
	s := pipe.Stats()
	return Summary{Read: imp.Read(), Stored: s.Stored, Duplicates: s.Duplicates, Rejected: imp.Rejected() + s.Rejected, Unmatched: s.Unmatched}, nil
}

// holdsNoPosts reports whether st holds no posts: none created from 1990
// (earshot.Validate refuses a post created before) to 2262 (where
// ClickHouse's times end).
func holdsNoPosts(ctx context.Context, st earshot.PostStore) (bool, error) {
	n, err := st.CountPosts(ctx, earshot.PostQuery{
		From: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		To:   time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		return false, fmt.Errorf("counting stored posts: %w", err)
	}
	return n == 0, nil
}

// Write prints s on one line, with the import's rate over elapsed.
func (s Summary) Write(w io.Writer, elapsed time.Duration) {
	secs := elapsed.Seconds()
	fmt.Fprintf(w, "read %d, stored %d, duplicates %d, rejected %d", s.Read, s.Stored, s.Duplicates, s.Rejected)
	if s.Unmatched > 0 {
		fmt.Fprintf(w, ", matched no watch %d", s.Unmatched)
	}
	fmt.Fprintf(w, " in %.1fs (%.0f posts/s)\n", secs, float64(s.Read)/max(secs, 1e-9))
}
