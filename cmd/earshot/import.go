package main

import (
	"context"
	"errors"
	"flag"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest/importfile"
	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/cli"
	"github.com/earshot/earshot/internal/config"
)

func runImport(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("import", e)
	cf := addConfigFlags(fs, "configuration file: its store and watches are used")
	asJSON := fs.Bool("json", false, `print the summary as one JSON object {"read":N,"stored":N,"duplicates":N,"rejected":N}`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	files := fs.Args()
	if len(files) == 0 {
		return usagef("name at least one file to import (or - for standard input)")
	}
	if err := importfile.Check(files); err != nil {
		return err
	}
	return cf.withStore(ctx, e, func(cfg config.Config, st earshot.Store) error {
		return app.Import(ctx, cfg, st, files, app.ImportOptions{Stdin: e.stdin, Out: e.stdout, Stderr: e.stderr,
			JSON: *asJSON, Progress: cli.IsTerminal(e.stderr), Getenv: e.getenv})
	})
}
