package app

import (
	"context"
	"io"
	"runtime/debug"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest/importfile"
	"github.com/earshot/earshot/internal/cli"
	"github.com/earshot/earshot/internal/config"
)

// ImportOptions are what `earshot import` reads and writes besides its
// files.
type ImportOptions struct {
	// Stdin is read for the file "-".
	Stdin io.Reader
	// Out gets the summary, as one JSON object with JSON; Stderr the lines
	// rejected and, with Progress, a progress bar.
	Out, Stderr io.Writer
	JSON        bool
	Progress    bool
	// Getenv reads GOGC: unset, the import collects garbage half as often.
	Getenv func(string) string
}

// Import runs files through cfg's pipeline (its watches, text bound and
// unmatched setting, its scorer) into st and prints a summary.
func Import(ctx context.Context, cfg config.Config, st earshot.Store, files []string, o ImportOptions) error {
	scorer, err := NewScorer(cfg, nil)
	if err != nil {
		return err
	}
	if o.Getenv("GOGC") == "" {
		// A bulk load allocates fast while holding little: collecting
		// half as often saves about 5% of its time, for more memory.
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	start := time.Now()
	sum, err := importfile.Run(ctx, files, importfile.Options{Store: st, Scorer: scorer, Watches: cfg.Watches,
		MaxTextBytes: cfg.Pipeline.MaxTextBytes, DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		Stdin: o.Stdin, Stderr: o.Stderr, Progress: o.Progress})
	if err != nil {
		return err
	}
	return cli.Print(o.Out, o.JSON, sum, func() error {
		sum.Write(o.Out, time.Since(start))
		return nil
	})
}
