package main

import (
	"context"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/customerapi"
)

func runErase(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("erase", e)
	f.fs.Usage = usageFunc(f.fs, helpText("erase"), e)
	author := f.fs.String("author", "", "the author, as SOURCE:ID (twitter:12345; the ID as the source gives it)")
	audit := f.fs.Bool("audit", false, "list the audit lines of past erasures instead")
	asJSON := f.fs.Bool("json", false, "print JSON")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	if *audit == (*author != "") {
		return usagef("give --author SOURCE:ID, or --audit")
	}
	if *author != "" {
		if _, _, err := customerapi.ParseAuthor(*author); err != nil {
			return usageError{err}
		}
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		if *audit {
			return customerapi.PrintErasures(ctx, st, *asJSON, e.stdout)
		}
		actor := "cli"
		if u := e.getenv("USER"); u != "" {
			actor = "cli:" + u
		}
		return customerapi.EraseAuthor(ctx, st, *author, actor, time.Now(), *asJSON, e.stdout)
	})
}
