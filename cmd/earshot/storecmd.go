package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/earshot/earshot"
)

func runStoreCommand(ctx context.Context, args []string, e env) error {
	return runSubcommand(ctx, args, e, "store", []subcommand{{"rebuild-rollups", storeRebuildRollups}})
}

func storeRebuildRollups(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("store rebuild-rollups", e)
	f.fs.Usage = usageFunc(f.fs, helpText("store"), e)
	fromStr := f.fs.String("from", "", "rebuild from this time (RFC 3339 or YYYY-MM-DD); default the first post")
	toStr := f.fs.String("to", "", "rebuild up to this time, excluded; default the last post")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	from, err := parseFlagTime("from", *fromStr)
	if err != nil {
		return err
	}
	to, err := parseFlagTime("to", *toStr)
	if err != nil {
		return err
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return usagef("--from %s is not before --to %s", *fromStr, *toStr)
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		return rebuildRollups(ctx, st, from, to, e)
	})
}

// rebuildRollups rebuilds st's rollups over [from, to), drawing progress
// on a terminal.
func rebuildRollups(ctx context.Context, st earshot.Store, from, to time.Time, e env) error {
	rb, ok := st.(earshot.RollupRebuilder)
	if !ok {
		return fmt.Errorf("rebuilding rollups: this store keeps none")
	}
	var progress func(earshot.RebuildProgress)
	if isTerminal(e.stderr) {
		progress = func(p earshot.RebuildProgress) { printRebuildProgress(e.stderr, p) }
	}
	p, err := rb.RebuildRollups(ctx, from, to, progress)
	if progress != nil && !p.From.IsZero() {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	if p.From.IsZero() {
		fmt.Fprintln(e.stdout, "Nothing to rebuild: no posts and no rollup rows in that span.")
		return nil
	}
	fmt.Fprintf(e.stdout, "Rebuilt the rollups from %s to %s: %d posts counted, %d rollup rows changed.\n",
		p.From.Format(time.RFC3339), p.To.Format(time.RFC3339), p.Posts, p.Fixed)
	return nil
}

// printRebuildProgress rewrites the progress line of a terminal.
func printRebuildProgress(w io.Writer, p earshot.RebuildProgress) {
	total := p.To.Sub(p.From)
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(p.Done.Sub(p.From)) / float64(total)
	}
	fmt.Fprintf(w, "\rrebuilding rollups: %5.1f%% (up to %s), %d posts, %d rows changed ",
		pct, p.Done.Format("2006-01-02 15:04"), p.Posts, p.Fixed)
}

// parseFlagTime reads a time flag: RFC 3339, or a date at midnight UTC;
// "" is the zero time.
func parseFlagTime(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--%s %q: want RFC 3339 (2026-03-02T10:00:00Z) or a date (2026-03-02)", name, s)
}
