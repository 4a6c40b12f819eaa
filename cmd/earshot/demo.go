package main

import (
	"context"
	"net"

	"github.com/earshot/earshot/internal/app"
)

func runDemo(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("demo", e)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the dashboard on")
	store := fs.String("store", "duckdb://:memory:", "store to fill (duckdb:///path/demo.duckdb keeps it)")
	days := fs.Int("days", 14, "days of history to generate")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same scenario")
	scale := fs.Float64("scale", 1, "volume multiplier")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *days < 1 || *days > 90 {
		return usagef("-days %d: give 1 to 90", *days)
	}
	if *scale <= 0 || *scale > 20 {
		return usagef("-scale %g: give a number above 0 and at most 20", *scale)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("cannot listen on %s: %v (pick another with -addr)", *addr, err)
	}
	defer ln.Close()
	return app.Demo(ctx, ln, app.DemoOptions{Store: *store, Days: *days, Seed: *seed, Scale: *scale, Stderr: e.stderr, Getenv: e.getenv})
}
