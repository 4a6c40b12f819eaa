package customerapi

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot"
)

// WriteImported says what an import of the file name did: each line
// rejected on errw, the count of accounts imported, by kind, on w.
func WriteImported(w, errw io.Writer, name string, rep Report) {
	for _, le := range rep.Errors {
		fmt.Fprintf(errw, "%s: %s\n", name, le)
	}
	fmt.Fprintf(w, "Imported %d of %d accounts from %s", rep.Imported, rep.Read, name)
	for _, k := range []earshot.AccountKind{"customer", "media", "bot", "competitor", "brand"} {
		if n := rep.ByKind[k]; n > 0 {
			fmt.Fprintf(w, "; %d %s", n, k)
		}
	}
	fmt.Fprintln(w, ".")
}

// WriteAccounts writes accounts as a table people read.
func WriteAccounts(w io.Writer, accounts []earshot.SocialAccount) error {
	if len(accounts) == 0 {
		_, err := fmt.Fprintln(w, "No accounts imported.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tHANDLE\tKIND\tCUSTOMER ID\tNAME\tTIER\tOWNER")
	for _, a := range accounts {
		fmt.Fprintf(tw, "%s\t@%s\t%s\t%s\t%s\t%s\t%s\n", a.Source, a.Handle, a.Kind, dash(a.CustomerID), dash(a.Name), dash(a.Tier), dash(a.Owner))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteErasures writes the audit lines of erasures as a table people read.
func WriteErasures(w io.Writer, lines []earshot.Erasure) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AT\tBY\tAUTHOR\tPOSTS\tFOLLOW-UPS\tALERTS")
	for _, l := range lines {
		fmt.Fprintf(tw, "%s\t%s\t%s:%s\t%d\t%d\t%d\n", l.At.Format(time.RFC3339), l.Actor, l.Source, l.AuthorID, l.Posts, l.FollowUps, l.Alerts)
	}
	return tw.Flush()
}
