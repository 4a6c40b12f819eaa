package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest/importfile"
	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/config"
)

func runImport(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("import", e)
	cf := addConfigFlags(fs, "configuration file: its store and watches are used")
	asJSON := fs.Bool("json", false, `print the summary as one JSON object {"read":N,"stored":N,"duplicates":N,"rejected":N}`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	files := fs.Args()
	if len(files) == 0 {
		return usagef("name at least one file to import (or - for standard input)")
	}
	if err := importfile.Check(files); err != nil {
		return err
	}
	return cf.withStore(ctx, e, func(cfg config.Config, st earshot.Store) error {
		scorer, err := app.NewScorer(cfg, nil)
		if err != nil {
			return err
		}
		if e.getenv("GOGC") == "" {
			// A bulk load allocates fast while holding little: collecting
			// half as often saves about 5% of its time, for more memory.
			defer debug.SetGCPercent(debug.SetGCPercent(200))
		}
		start := time.Now()
		sum, err := importfile.Run(ctx, files, importfile.Options{Store: st, Scorer: scorer, Watches: cfg.Watches,
			MaxTextBytes: cfg.Pipeline.MaxTextBytes, DropUnmatched: cfg.Pipeline.Unmatched == "drop",
			Stdin: e.stdin, Stderr: e.stderr, Progress: isTerminal(e.stderr)})
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e.stdout, sum)
		}
		sum.Write(e.stdout, time.Since(start))
		return nil
	})
}

// readJSONLines reads posts in the import format's JSON lines; replay
// reads its posts with it too.
var readJSONLines = importfile.ReadJSONLines

// isTerminal reports whether w is a terminal, for progress bars.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
