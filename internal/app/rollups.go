package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/earshot/earshot"
)

// RebuildRollups rebuilds st's rollups over [from, to) (a zero bound: the
// first or the last post), as `earshot store rebuild-rollups` does: with
// progress, it rewrites a progress line on errw while it works; then it
// says on out what it did.
func RebuildRollups(ctx context.Context, st earshot.Store, from, to time.Time, progress bool, out, errw io.Writer) error {
	rb, ok := st.(earshot.RollupRebuilder)
	if !ok {
		return fmt.Errorf("rebuilding rollups: this store keeps none")
	}
	var show func(earshot.RebuildProgress)
	if progress {
		show = func(p earshot.RebuildProgress) { printRebuildProgress(errw, p) }
	}
	p, err := rb.RebuildRollups(ctx, from, to, show)
	if show != nil && !p.From.IsZero() {
		fmt.Fprintln(errw)
	}
	if err != nil {
		return err
	}
	if p.From.IsZero() {
		fmt.Fprintln(out, "Nothing to rebuild: no posts and no rollup rows in that span.")
		return nil
	}
	fmt.Fprintf(out, "Rebuilt the rollups from %s to %s: %d posts counted, %d rollup rows changed.\n",
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
