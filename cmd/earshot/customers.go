package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/earshot/earshot/inbound/customerapi"
)

const customersUsage = `Usage: earshot customers COMMAND [flags]

Imports and lists the accounts flagging knows, in the store the
configuration names (--store, else $EARSHOT_STORE, else the --config file's).

  earshot customers import FILE [--format csv|json] [--json]
      imports accounts: CSV with a header (source,handle,kind,customer_id,
      name,tier,owner) or JSON (an array, or one object a line). kind is
      customer (default), media, bot, competitor or brand; those last four
      are never flagged. Bad lines are reported with their number and left
      out; the good ones are imported. The same source and handle again
      replaces the account.
  earshot customers list [--json]

Exit status: 0 ok, 2 bad usage or rejected lines (the good ones imported),
1 when the store fails.`

func runCustomers(ctx context.Context, args []string, e env) error {
	return runSubcommand(ctx, args, e, customersUsage, []subcommand{
		{"import", customersImport},
		{"list", customersList},
	})
}

func customersImport(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("customers import", e)
	format := f.fs.String("format", "", "csv or json (default: from the file name; csv)")
	asJSON := f.fs.Bool("json", false, "print the report as JSON")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	if *format == "" {
		*format = customerapi.FormatOf(f.id)
	}
	if *format != customerapi.FormatCSV && *format != customerapi.FormatJSON {
		return usagef("--format: %q is not csv or json", *format)
	}
	file, err := os.Open(f.id)
	if err != nil {
		return usagef("%v", err)
	}
	defer file.Close()
	st, err := f.openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := customerapi.Import(ctx, st, file, *format, time.Now())
	if err != nil {
		var se customerapi.StoreError
		if errorsAs(err, &se) {
			return err
		}
		return usagef("%s: %v", f.id, err)
	}
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(rep); err != nil {
			return err
		}
	} else {
		for _, le := range rep.Errors {
			fmt.Fprintf(e.stderr, "%s: %s\n", f.id, le)
		}
		fmt.Fprintf(e.stdout, "Imported %d of %d accounts from %s", rep.Imported, rep.Read, f.id)
		for _, k := range []string{"customer", "media", "bot", "competitor", "brand"} {
			if n := rep.ByKind[accountKind(k)]; n > 0 {
				fmt.Fprintf(e.stdout, "; %d %s", n, k)
			}
		}
		fmt.Fprintln(e.stdout, ".")
	}
	if rep.Rejected > 0 {
		return usagef("%d of %d lines rejected (listed above; the others were imported)", rep.Rejected, rep.Read)
	}
	return nil
}

func customersList(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("customers list", e)
	asJSON := f.fs.Bool("json", false, "print a JSON array")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	st, err := f.openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	accounts, err := st.SocialAccounts(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if accounts == nil {
			return json.NewEncoder(e.stdout).Encode([]any{})
		}
		return json.NewEncoder(e.stdout).Encode(accounts)
	}
	if len(accounts) == 0 {
		fmt.Fprintln(e.stdout, "No accounts imported.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
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
