package followup

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/cli"
)

// PrintFlagged runs serve's flagger (settings cfg) over st's posts created
// from from to now, as `earshot followups flag` does, and prints the
// report on w: as JSON, or for people. With heldOnly it flags over a
// DryRun of st, changing nothing, and prints only the authors held out of
// the queue, and why (`earshot followups list --held`).
func PrintFlagged(ctx context.Context, st earshot.Store, cfg Config, from, now time.Time, heldOnly, asJSON bool, w io.Writer) error {
	if heldOnly {
		st = DryRun(st)
	}
	f, err := Over(st, cfg, Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	rep, err := f.Flag(ctx, from, now)
	switch {
	case err != nil:
		return err
	case heldOnly:
		return cli.Print(w, asJSON, rep.Held, func() error {
			WriteHeld(w, rep.Held)
			return nil
		})
	}
	return cli.Print(w, asJSON, rep, func() error {
		WriteReport(w, rep, now)
		return nil
	})
}

// PrintQueue prints st's follow-ups in the states asked for (all when
// none is), as JSON or as a table of their age at now.
func PrintQueue(ctx context.Context, st earshot.FollowUpStore, states []earshot.FollowUpState, now time.Time, asJSON bool, w io.Writer) error {
	fus, err := st.FollowUps(ctx, states...)
	if err != nil {
		return err
	}
	return cli.Print(w, asJSON, fus, func() error {
		WriteFollowUps(w, fus, now)
		return nil
	})
}
