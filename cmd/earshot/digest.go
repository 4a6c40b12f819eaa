package main

import (
	"context"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/dashboards/digest"
	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/config"
)

func runDigest(ctx context.Context, args []string, e env) error {
	if len(args) > 0 && args[0] == "send" {
		return runDigestSend(ctx, args[1:], e)
	}
	fs := newCommandFlags("digest", e)
	periodStr := fs.String("period", "7d", "the digest's length: 7d, 30d, 24h (compared with the period before it)")
	endStr := fs.String("end", "", "end of the period, RFC 3339 (default now)")
	watch := fs.String("watch", "", "only this watch's posts and spikes")
	format := fs.String("format", "md", "html or md")
	cf := addConfigFlags(fs, "configuration file: its store is used")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	period, err := digest.ParsePeriod(*periodStr)
	if err != nil {
		return usagef("--period: %v", err)
	}
	end, err := timeFlag("end", *endStr, "2026-03-09T00:00:00Z")
	if err != nil {
		return err
	}
	render := digest.Renderer(*format)
	if render == nil {
		return usagef("--format: %q is not html or md", *format)
	}
	return cf.withStore(ctx, e, func(cfg config.Config, st earshot.Store) error {
		opts := digest.Options{Period: period, End: end, Watch: strings.TrimSpace(*watch)}
		return app.WriteDigest(ctx, cfg, st, opts, render, e.stdout)
	})
}
