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
	"github.com/earshot/earshot/internal/cli"
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

// silences is st's silences; a store keeping none is refused.
func silences(st earshot.Store) (earshot.SilenceStore, error) {
	ss, ok := st.(earshot.SilenceStore)
	if !ok {
		return nil, badinput.Errorf("this store keeps no silences")
	}
	return ss, nil
}

// AddSilence saves sl in st and prints its ID on w.
func AddSilence(ctx context.Context, st earshot.Store, sl earshot.Silence, w io.Writer) error {
	ss, err := silences(st)
	if err != nil {
		return err
	}
	if err := ss.SaveSilence(ctx, sl); err != nil {
		return fmt.Errorf("saving silence: %w", err)
	}
	fmt.Fprintln(w, sl.ID)
	return nil
}

// ListSilences prints the silences pending or active at now, or expired
// in the 7 days before, each with its state, as a table or a JSON array.
func ListSilences(ctx context.Context, st earshot.Store, now time.Time, asJSON bool, w io.Writer) error {
	ss, err := silences(st)
	if err != nil {
		return err
	}
	list, err := ss.Silences(ctx, now.Add(-7*24*time.Hour))
	if err != nil {
		return fmt.Errorf("listing silences: %w", err)
	}
	views := make([]engine.SilenceView, 0, len(list))
	for _, s := range list {
		views = append(views, engine.SilenceView{Silence: s, State: alerts.SilenceState(s, now)})
	}
	return cli.Print(w, asJSON, views, func() error { return WriteSilences(w, views) })
}

// Expire ends the silence id at now and says so on w; an unknown ID is
// refused.
func Expire(ctx context.Context, st earshot.Store, id string, now time.Time, w io.Writer) error {
	ss, err := silences(st)
	if err != nil {
		return err
	}
	sl, err := engine.ExpireSilence(ctx, ss, id, now)
	if errors.Is(err, alerts.ErrSilenceNotFound) {
		return &badinput.Error{Err: err}
	}
	if err != nil {
		return fmt.Errorf("expiring silence: %w", err)
	}
	fmt.Fprintf(w, "%s expired at %s\n", sl.ID, sl.EndsAt.UTC().Format(time.RFC3339))
	return nil
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
