package main

import (
	"context"
	"os"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/customerapi"
)

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
		return customerapi.ImportFile(ctx, st, file, f.id, *format, time.Now(), *asJSON, e.stdout, e.stderr)
	})
}

func customersList(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("customers list", e)
	asJSON := f.fs.Bool("json", false, "print a JSON array")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error { return customerapi.PrintAccounts(ctx, st, *asJSON, e.stdout) })
}
