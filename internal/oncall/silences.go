package oncall

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/internal/badinput"
)

// NewSilence makes the silence req asks for at now, or says why it
// cannot, naming the flag at fault.
func NewSilence(req engine.SilenceRequest, now time.Time) (earshot.Silence, error) {
	sl, err := engine.NewSilence(req, now)
	if err != nil {
		msg := err.Error()
		for field, flag := range map[string]string{"matchers": "--match", "ends_at:": "--until/--for:", "duration:": "--for:"} {
			if rest, ok := strings.CutPrefix(msg, field); ok {
				msg = flag + rest
			}
		}
		return sl, badinput.Errorf("%s", msg)
	}
	return sl, nil
}

// Silences returns the silences pending or active at now, or expired in
// the 7 days before, each with its state.
func Silences(ctx context.Context, ss earshot.SilenceStore, now time.Time) ([]engine.SilenceView, error) {
	list, err := ss.Silences(ctx, now.Add(-7*24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("listing silences: %w", err)
	}
	views := make([]engine.SilenceView, 0, len(list))
	for _, s := range list {
		views = append(views, engine.SilenceView{Silence: s, State: alerts.SilenceState(s, now)})
	}
	return views, nil
}

// Expire ends the silence id at now; an unknown ID is refused.
func Expire(ctx context.Context, ss earshot.SilenceStore, id string, now time.Time) (earshot.Silence, error) {
	sl, err := engine.ExpireSilence(ctx, ss, id, now)
	if errors.Is(err, alerts.ErrSilenceNotFound) {
		return sl, &badinput.Error{Err: err}
	}
	if err != nil {
		return sl, fmt.Errorf("expiring silence: %w", err)
	}
	return sl, nil
}

// WriteSilences prints silences as a table.
func WriteSilences(w io.Writer, views []engine.SilenceView) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tSTARTS\tENDS\tAUTHOR\tMATCHERS\tCOMMENT")
	for _, v := range views {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(v.ID), v.State, v.StartsAt.UTC().Format("2006-01-02 15:04"),
			v.EndsAt.UTC().Format("2006-01-02 15:04"), or(cell(v.CreatedBy), "-"), cell(strings.Join(v.Matchers, ", ")), cell(v.Comment))
	}
	return tw.Flush()
}
