package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/earshot/earshot/ingest/importfile"
	"github.com/earshot/earshot/internal/app"
)

var importUsage = helpText("import")

func runImport(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("import", importUsage, e)
	cfgPath := fs.String("config", "", "configuration file: its store and watches are used")
	storeDSN := fs.String("store", "", "store address (default: $EARSHOT_STORE, the config's, or duckdb://earshot.duckdb)")
	asJSON := fs.Bool("json", false, `print the summary as one JSON object {"read":N,"stored":N,"duplicates":N,"rejected":N}`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flagErrHelp) {
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
	cfg, err := loadConfig(*cfgPath, *storeDSN, e)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
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
		return json.NewEncoder(e.stdout).Encode(sum)
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(e.stdout, "read %d, stored %d, duplicates %d, rejected %d", sum.Read, sum.Stored, sum.Duplicates, sum.Rejected)
	if sum.Unmatched > 0 {
		fmt.Fprintf(e.stdout, ", matched no watch %d", sum.Unmatched)
	}
	fmt.Fprintf(e.stdout, " in %.1fs (%.0f posts/s)\n", secs, float64(sum.Read)/max(secs, 1e-9))
	return nil
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
