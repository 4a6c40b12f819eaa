package main

import (
	"context"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/dashboards/digest/deliver"
	"github.com/earshot/earshot/internal/app"
)

// runDigestSend is `earshot digest send --now NAME`: the configured digest
// NAME, for the period ending now, sent to its recipients at once.
func runDigestSend(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("digest send", e)
	name := fs.String("now", "", "the digest to send now (its name under digests: in the config)")
	cf := addConfigFlags(fs, "configuration file with the digests: section")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usagef("digest send: give --now NAME")
	}
	cfg, err := cf.load(e)
	if err != nil {
		return err
	}
	jobs, err := app.DigestJobs(cfg, e.getenv)
	if err != nil {
		return err
	}
	job, err := deliver.Named(jobs, *name)
	if err != nil {
		return usagef("digest send: %v", err)
	}
	return withStoreOf(ctx, cfg, func(st earshot.Store) error {
		return app.SendDigest(ctx, cfg, st, job, newLogger(e, cfg.LogLevel), e.stdout)
	})
}
