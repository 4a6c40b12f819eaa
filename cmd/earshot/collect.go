package main

import (
	"context"

	"github.com/earshot/earshot/internal/app"
)

func runCollect(ctx context.Context, args []string, e env) error {
	fs := newFlags("collect", e.stderr)
	cf := addConfigFlags(fs, "configuration file (see earshot.example.yaml)")
	once := fs.Bool("once", false, "run every configured collector once and print what each collected")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if !*once {
		return usagef("only --once is supported; `earshot serve` collects continuously")
	}
	cfg, err := cf.load(e)
	if err != nil {
		return err
	}
	return app.CollectOnce(ctx, cfg, newLogger(e, cfg.LogLevel), version, e.stdout)
}
