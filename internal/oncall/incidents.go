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
	"github.com/earshot/earshot/inbound/incidentapi"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/cli"
)

// flagNames maps the fields incidentapi names to the flags that set them.
var flagNames = map[string]string{"started_at": "at", "services": "services", "watches": "watches"}

// refused turns a change incidentapi refused into a badinput.Error naming
// the flag, in plain words.
func refused(err error) error {
	var fe *incidentapi.FieldError
	if errors.As(err, &fe) {
		field, _, _ := strings.Cut(fe.Field, "[")
		if f, ok := flagNames[field]; ok {
			field = f
		}
		return badinput.Errorf("--%s: %s", field, fe.Problem)
	}
	if errors.Is(err, earshot.ErrInvalidTransition) {
		return badinput.Errorf("%s", strings.TrimSuffix(err.Error(), ": "+earshot.ErrInvalidTransition.Error()))
	}
	return &badinput.Error{Err: err}
}

// NewIncident makes the incident req opens at now, or says why it cannot.
func NewIncident(req incidentapi.OpenRequest, now time.Time) (earshot.Incident, error) {
	inc, err := incidentapi.Open(req, now)
	if err != nil {
		return inc, refused(err)
	}
	return inc, nil
}

// Create saves a new incident and prints its ID on w; one with its ID
// already stored is refused.
func Create(ctx context.Context, st earshot.IncidentStore, inc earshot.Incident, w io.Writer) error {
	switch _, err := st.Incident(ctx, inc.ID); {
	case err == nil:
		return badinput.Errorf("incident %s already exists", inc.ID)
	case !errors.Is(err, earshot.ErrNotFound):
		return fmt.Errorf("reading incident %s: %w", inc.ID, err)
	}
	if err := st.SaveIncident(ctx, inc); err != nil {
		return fmt.Errorf("saving incident: %w", err)
	}
	fmt.Fprintln(w, inc.ID)
	return nil
}

// Update applies req at now to the stored incident id, saves it and
// prints its ID and status on w.
func Update(ctx context.Context, st earshot.IncidentStore, id string, req incidentapi.UpdateRequest, now time.Time, w io.Writer) error {
	inc, err := st.Incident(ctx, id)
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		return badinput.Errorf("no incident %q (earshot incident list shows them)", id)
	case err != nil:
		return fmt.Errorf("reading incident %s: %w", id, err)
	}
	inc, err = incidentapi.Update(inc, req, now)
	if err != nil {
		return refused(err)
	}
	if err := st.SaveIncident(ctx, inc); err != nil {
		return fmt.Errorf("saving incident %s: %w", inc.ID, err)
	}
	fmt.Fprintf(w, "%s %s\n", inc.ID, inc.Status)
	return nil
}

// List prints the incidents open at now (active), or else open at any
// time in since before now, as a table or a JSON array.
func List(ctx context.Context, st earshot.IncidentStore, active bool, since time.Duration, now time.Time, asJSON bool, w io.Writer) error {
	var incidents []earshot.Incident
	var err error
	if active {
		incidents, err = st.ActiveIncidents(ctx, now)
	} else {
		incidents, err = st.Incidents(ctx, now.Add(-since), now.Add(time.Second))
	}
	if err != nil {
		return fmt.Errorf("listing incidents: %w", err)
	}
	return cli.Print(w, asJSON, incidents, func() error {
		WriteIncidents(w, incidents)
		return nil
	})
}

// WriteIncidents prints incidents as a table.
func WriteIncidents(w io.Writer, incidents []earshot.Incident) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tSEVERITY\tSTARTED\tRESOLVED\tSERVICES\tWATCHES\tTITLE")
	for _, inc := range incidents {
		resolved := "-"
		if !inc.ResolvedAt.IsZero() {
			resolved = inc.ResolvedAt.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(inc.ID), inc.Status, or(cell(inc.Severity), "-"),
			inc.StartedAt.UTC().Format("2006-01-02 15:04"), resolved, or(cell(strings.Join(inc.Services, ",")), "-"),
			or(cell(strings.Join(inc.Watches, ",")), "-"), cell(inc.Title))
	}
	tw.Flush()
}

// cell keeps a table cell on one line and free of terminal controls:
// incidents come from status pages and webhooks too.
func cell(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
