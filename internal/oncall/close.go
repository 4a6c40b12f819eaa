package oncall

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/incidentapi"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/cli"
)

// CLIUser is who closes incidents from the command line: an admin named
// after the OS user, or "cli".
func CLIUser() earshot.User {
	name := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return earshot.User{Name: name, Role: earshot.RoleAdmin}
}

// Close closes incident id for comms as CLIUser, through the incident
// API's rules, reading follow-ups and posts from st, and prints the
// incident and the check as JSON, or who closed it and the override when
// there was one. An unknown incident, a closing refused (saying what
// stands in the way, and that --override REASON closes anyway) or a
// transition refused is a *badinput.Error.
func Close(ctx context.Context, st earshot.Store, id, override string, now time.Time, asJSON bool, w io.Writer) error {
	inc, check, err := incidentapi.Close(ctx, st, st, id, CLIUser(), override, now)
	var fe *incidentapi.FieldError
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		return badinput.Errorf("no incident %q", id)
	case errors.Is(err, earshot.ErrClosureRefused):
		return badinput.Errorf("incident %s not closed: %s; give --override REASON to close anyway", id, strings.Join(check.Refusals(), "; "))
	case errors.Is(err, earshot.ErrInvalidTransition), errors.As(err, &fe):
		return badinput.Errorf("%v", err)
	case err != nil:
		return err
	}
	res := incidentapi.CloseResult{Incident: inc, Check: check, Refusals: []string{}}
	return cli.Print(w, asJSON, res, func() error {
		fmt.Fprintf(w, "%s closed for comms by %s\n", inc.ID, inc.Closure.By)
		if c := inc.Closure; c.Override != "" {
			fmt.Fprintf(w, "override: %s\noverridden: %s\n", c.Override, strings.Join(c.Overridden, "; "))
		}
		return nil
	})
}
