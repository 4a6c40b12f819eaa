package main

import (
	"context"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/cli"
)

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
		return app.RebuildRollups(ctx, st, from, to, cli.IsTerminal(e.stderr), e.stdout, e.stderr)
	})
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
