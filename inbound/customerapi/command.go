package customerapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/cli"
)

// What `earshot customers` and `earshot erase` do once their flags are
// read: each prints on out as JSON when asked, else for people. What is
// the input's fault is a *badinput.Error.

// ImportFile imports the account list r, read from the file name, into st
// and prints the report. A list that cannot be read names the file; lines
// rejected fail the command once the others are imported.
func ImportFile(ctx context.Context, st earshot.CustomerStore, r io.Reader, name, format string, now time.Time, asJSON bool, out, errw io.Writer) error {
	rep, err := Import(ctx, st, r, format, now)
	if err != nil {
		if errors.As(err, new(StoreError)) {
			return err
		}
		return badinput.Errorf("%s: %v", name, err)
	}
	if err := cli.Print(out, asJSON, rep, func() error {
		WriteImported(out, errw, name, rep)
		return nil
	}); err != nil {
		return err
	}
	if rep.Rejected > 0 {
		return badinput.Errorf("%d of %d lines rejected (listed above; the others were imported)", rep.Rejected, rep.Read)
	}
	return nil
}

// PrintAccounts prints the accounts st holds.
func PrintAccounts(ctx context.Context, st earshot.CustomerStore, asJSON bool, out io.Writer) error {
	accounts, err := st.SocialAccounts(ctx)
	if err != nil {
		return err
	}
	return cli.Print(out, asJSON, accounts, func() error { return WriteAccounts(out, accounts) })
}

// PrintErasures prints the audit lines of past erasures.
func PrintErasures(ctx context.Context, st earshot.AuthorEraser, asJSON bool, out io.Writer) error {
	lines, err := st.Erasures(ctx)
	if err != nil {
		return err
	}
	return cli.Print(out, asJSON, lines, func() error { return WriteErasures(out, lines) })
}

// EraseAuthor erases the author "SOURCE:ID" on behalf of actor, as Erase
// does, and prints the audit line.
func EraseAuthor(ctx context.Context, st earshot.AuthorEraser, author, actor string, now time.Time, asJSON bool, out io.Writer) error {
	line, err := Erase(ctx, st, author, actor, now)
	if err != nil {
		return err
	}
	return cli.Print(out, asJSON, line, func() error {
		fmt.Fprintf(out, "Erased %s: %d posts, %d follow-ups, sample posts cut from %d alerts (audit line %s).\n",
			author, line.Posts, line.FollowUps, line.Alerts, line.ID)
		return nil
	})
}
