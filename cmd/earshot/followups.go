package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/internal/config"
)

func runFollowups(ctx context.Context, args []string, e env) error {
	return runSubcommand(ctx, args, e, "followups", []subcommand{
		{"flag", followupsFlag},
		{"list", followupsList},
	})
}

// flagOver runs serve's flagger (cfg's followups settings) over st's posts
// created since --since.
func flagOver(ctx context.Context, st earshot.Store, fc followup.Config, since string, now time.Time) (followup.Report, error) {
	from, err := sinceFlag(since, fc.Window, now)
	if err != nil {
		return followup.Report{}, err
	}
	f, err := followup.Over(st, fc, followup.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return followup.Report{}, err
	}
	return f.Flag(ctx, from, now)
}

func followupsFlag(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("followups flag", e)
	since := f.fs.String("since", "", "flag the posts created since this long ago (96h) or this RFC 3339 time (default: followups.window)")
	asJSON := f.fs.Bool("json", false, "print one JSON object: stats, flagged follow-ups, held-out authors")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	return f.configFlags.withStore(ctx, e, func(cfg config.Config, st earshot.Store) error {
		now := time.Now().UTC()
		rep, err := flagOver(ctx, st, cfg.Followups, *since, now)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e.stdout, rep)
		}
		followup.WriteReport(e.stdout, rep, now)
		return nil
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
	return f.configFlags.withStore(ctx, e, func(cfg config.Config, st earshot.Store) error {
		now := time.Now().UTC()
		if *held {
			rep, err := flagOver(ctx, followup.DryRun(st), cfg.Followups, *since, now)
			if err != nil {
				return err
			}
			if *asJSON {
				return json.NewEncoder(e.stdout).Encode(rep.Held)
			}
			followup.WriteHeld(e.stdout, rep.Held)
			return nil
		}
		fus, err := st.FollowUps(ctx, want...)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(e.stdout, fus)
		}
		followup.WriteFollowUps(e.stdout, fus, now)
		return nil
	})
}
