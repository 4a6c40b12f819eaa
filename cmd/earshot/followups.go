package main

import (
	"context"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/internal/config"
)

func followupsFlag(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("followups flag", e)
	since := f.fs.String("since", "", "flag the posts created since this long ago (96h) or this RFC 3339 time (default: followups.window)")
	asJSON := f.fs.Bool("json", false, "print one JSON object: stats, flagged follow-ups, held-out authors")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	return flagFollowups(ctx, f, e, *since, false, *asJSON)
}

// flagFollowups runs serve's flagger over the posts created since --since
// (default: the config's followups.window) and prints the report, or with
// heldOnly only who it holds out.
func flagFollowups(ctx context.Context, f *storeFlags, e env, since string, heldOnly, asJSON bool) error {
	return f.configFlags.withStore(ctx, e, func(cfg config.Config, st earshot.Store) error {
		now := time.Now().UTC()
		from, err := sinceFlag(since, cfg.Followups.Window, now)
		if err != nil {
			return err
		}
		return followup.PrintFlagged(ctx, st, cfg.Followups, from, now, heldOnly, asJSON, e.stdout)
	})
}

func followupsList(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("followups list", e)
	states := f.fs.String("state", "open,assigned,contacted", "states to list, comma-separated: open, assigned, contacted, resolved, dismissed, or all")
	held := f.fs.Bool("held", false, "list the authors held out of the queue instead, and why (flags nothing)")
	since := f.fs.String("since", "", "with --held: look at the posts since this long ago or this RFC 3339 time (default: followups.window)")
	asJSON := f.fs.Bool("json", false, "print a JSON array")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	var want []earshot.FollowUpState
	if *states != "all" {
		for _, s := range commaList(*states) {
			st := earshot.FollowUpState(s)
			if !st.Valid() {
				return usagef("--state: %q is not open, assigned, contacted, resolved, dismissed or all", s)
			}
			want = append(want, st)
		}
	}
	if *held {
		return flagFollowups(ctx, f, e, *since, true, *asJSON)
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		return followup.PrintQueue(ctx, st, want, time.Now().UTC(), *asJSON, e.stdout)
	})
}
