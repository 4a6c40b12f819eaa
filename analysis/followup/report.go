package followup

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
)

// Report is what flagging over a span did: the follow-ups it opened or
// changed, and who it held out.
type Report struct {
	From    time.Time          `json:"from"`
	To      time.Time          `json:"to"`
	Stats   Stats              `json:"stats"`
	Flagged []earshot.FollowUp `json:"flagged"`
	Held    []Held             `json:"held"`
}

// maxSteps bounds the steps of Flag over a long span.
const maxSteps = 2000

// Flag runs the flagging over the posts created in [from, to) as serve
// does, stepping every Config.Interval (or longer, for at most 2,000
// steps) on the data's clock, and reports what it flagged and held.
func (f *Flagger) Flag(ctx context.Context, from, to time.Time) (Report, error) {
	rep := Report{From: from.UTC(), To: to.UTC(), Flagged: []earshot.FollowUp{}, Held: []Held{}}
	if !from.Before(to) {
		return rep, fmt.Errorf("flagging: the span [%s, %s) is empty", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	before, err := f.store.FollowUps(ctx)
	if err != nil {
		return rep, fmt.Errorf("loading follow-ups: %w", err)
	}
	seen := map[string]time.Time{}
	for _, fu := range before {
		seen[fu.ID] = fu.UpdatedAt
	}
	step := max(f.cfg.Interval, to.Sub(from)/maxSteps)
	if rep.Stats, err = f.Replay(ctx, from, to, step); err != nil {
		return rep, err
	}
	after, err := f.store.FollowUps(ctx)
	if err != nil {
		return rep, fmt.Errorf("loading follow-ups: %w", err)
	}
	for _, fu := range after {
		if at, ok := seen[fu.ID]; !ok || !at.Equal(fu.UpdatedAt) {
			rep.Flagged = append(rep.Flagged, fu)
		}
	}
	rep.Held = append(rep.Held, f.Held()...)
	return rep, nil
}

// WriteFollowUps writes follow-ups as a table people read.
func WriteFollowUps(w io.Writer, fus []earshot.FollowUp, now time.Time) {
	if len(fus) == 0 {
		fmt.Fprintln(w, "No follow-ups.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tP\tSTATE\tSOURCE\tAUTHOR ID\tHANDLE\tCUSTOMER\tDUE\tREASON")
	for _, fu := range fus {
		due := "-"
		if !fu.Due.IsZero() {
			due = fu.Due.UTC().Format("2006-01-02 15:04")
			if !fu.State.Final() && fu.Due.Before(now) {
				due += " (overdue)"
			}
		}
		cust := "-"
		if !fu.Customer.IsZero() {
			cust = strings.TrimSpace(fu.Customer.Name + " " + paren(fu.Customer.Tier))
		}
		fmt.Fprintf(tw, "%s\tP%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", fu.ID, fu.Priority, fu.State, fu.Source,
			plain(fu.Author.ID), plain(handle(fu.Author.Handle)), plain(cust), due, plain(fu.Reason))
	}
	tw.Flush()
}

// WriteHeld writes the authors held out as a table.
func WriteHeld(w io.Writer, held []Held) {
	if len(held) == 0 {
		fmt.Fprintln(w, "No one held out.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tAUTHOR ID\tHANDLE\tNAME\tPOSTS\tWHY")
	for _, h := range held {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", h.Source, plain(h.Author.ID), plain(handle(h.Author.Handle)),
			plain(h.Author.Name), h.Posts, plain(h.Reason))
	}
	tw.Flush()
}

func handle(h string) string {
	if h == "" {
		return "-"
	}
	return "@" + h
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// plain keeps a terminal safe from what authors write: control characters
// (escape sequences, tabs, new lines) become spaces.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}
