package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"time"

	"github.com/earshot/earshot"
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
	return f.withStore(ctx, e, func(st earshot.Store) error {
		rep, err := customerapi.Import(ctx, st, file, *format, time.Now())
		if err != nil {
			if errors.As(err, new(customerapi.StoreError)) {
				return err
			}
			return usagef("%s: %v", f.id, err)
		}
		if *asJSON {
			if err := json.NewEncoder(e.stdout).Encode(rep); err != nil {
				return err
			}
		} else {
			customerapi.WriteImported(e.stdout, e.stderr, f.id, rep)
		}
		if rep.Rejected > 0 {
			return usagef("%d of %d lines rejected (listed above; the others were imported)", rep.Rejected, rep.Read)
		}
		return nil
	})
}

func customersList(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("customers list", e)
	asJSON := f.fs.Bool("json", false, "print a JSON array")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		accounts, err := st.SocialAccounts(ctx)
		switch {
		case err != nil:
			return err
		case *asJSON && accounts == nil:
			return json.NewEncoder(e.stdout).Encode([]any{})
		case *asJSON:
			return json.NewEncoder(e.stdout).Encode(accounts)
		}
		return customerapi.WriteAccounts(e.stdout, accounts)
	})
}
