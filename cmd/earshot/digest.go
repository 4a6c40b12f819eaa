package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/dashboards/digest"
	"github.com/earshot/earshot/internal/app"
)

var digestUsage = helpText("digest")

func runDigest(ctx context.Context, args []string, e env) error {
	if len(args) > 0 && args[0] == "send" {
		return runDigestSend(ctx, args[1:], e)
	}
	fs := newCommandFlags("digest", digestUsage, e)
	periodStr := fs.String("period", "7d", "the digest's length: 7d, 30d, 24h (compared with the period before it)")
	endStr := fs.String("end", "", "end of the period, RFC 3339 (default now)")
	watch := fs.String("watch", "", "only this watch's posts and spikes")
	format := fs.String("format", "md", "html or md")
	config := fs.String("config", "", "configuration file: its store is used")
	store := fs.String("store", "", "store address (default: $EARSHOT_STORE, the config's, or duckdb://earshot.duckdb)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	period, err := digest.ParsePeriod(*periodStr)
	if err != nil {
		return usagef("--period: %v", err)
	}
	var end time.Time
	if *endStr != "" {
		if end, err = time.Parse(time.RFC3339, *endStr); err != nil {
			return usagef("--end: %q is not an RFC 3339 time such as 2026-03-09T00:00:00Z", *endStr)
		}
	}
	render := digest.Renderer(*format)
	if render == nil {
		return usagef("--format: %q is not html or md", *format)
	}
	cfg, err := loadConfig(*config, *store, e)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := digest.Build(ctx, st, digest.Options{Period: period, End: end, Watch: strings.TrimSpace(*watch),
		Quiet: app.QuietAdvisor(cfg.WarRoom.QuietPeriod, st)})
	if err != nil {
		return fmt.Errorf("building the digest: %w", err)
	}
	w := bufio.NewWriter(e.stdout)
	if err := render(w, d); err != nil {
		return fmt.Errorf("writing the digest: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing the digest: %w", err)
	}
	return nil
}
