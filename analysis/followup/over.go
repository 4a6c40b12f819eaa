package followup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
)

// Over returns a Flagger over st, which must list posts (a Store); a
// configuration refused is a *badinput.Error.
func Over(st earshot.Store, cfg Config, opts Options) (*Flagger, error) {
	fs, ok := st.(Store)
	if !ok {
		return nil, errors.New("the store cannot list posts, which flagging follow-ups needs")
	}
	f, err := New(fs, cfg, opts)
	if err != nil {
		return nil, &badinput.Error{Err: err}
	}
	return f, nil
}

// DryRun is st with its follow-ups never written: flagging over it says
// what it would do and changes nothing.
func DryRun(st earshot.Store) earshot.Store { return readOnly{st} }

type readOnly struct{ earshot.Store }

func (readOnly) SaveFollowUp(context.Context, earshot.FollowUp) error { return nil }

// WriteReport writes what flagging did as people read it: the counts, the
// follow-ups flagged and the authors held out.
func WriteReport(w io.Writer, rep Report, now time.Time) {
	fmt.Fprintf(w, "Read %d posts since %s: %d new follow-ups, %d updated, %d authors held out.\n\n",
		rep.Stats.Read, rep.From.Format(time.RFC3339), rep.Stats.Opened, rep.Stats.Updated, len(rep.Held))
	WriteFollowUps(w, rep.Flagged, now)
	if len(rep.Held) > 0 {
		fmt.Fprintln(w, "\nHeld out of the queue:")
		WriteHeld(w, rep.Held)
	}
}
