package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/customerapi"
)

func runCustomers(ctx context.Context, args []string, e env) error {
	return runSubcommand(ctx, args, e, "customers", []subcommand{
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
			if err := printJSON(e.stdout, rep); err != nil {
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
		case *asJSON:
			return printJSON(e.stdout, accounts)
		}
		return customerapi.WriteAccounts(e.stdout, accounts)
	})
}
