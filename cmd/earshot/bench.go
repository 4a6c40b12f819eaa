package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/earshot/earshot/internal/bench"
)

func runBench(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("bench", e)
	n := fs.Int("posts", 1_000_000, "posts to generate and import")
	days := fs.Int("days", 30, "days the posts are spread over (ending at the last post)")
	runs := fs.Int("runs", 9, "times each dashboard query is timed, for p50 and p95")
	chAddr := fs.String("clickhouse", "", "also import into a throwaway database on this ClickHouse server (host:port)")
	skipAnalyze := fs.Bool("skip-analyze", false, "do not time 'earshot analyze'")
	asJSON := fs.Bool("json", false, "print the results as JSON lines")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *n < 1000 || *n > 50_000_000 {
		return usagef("-posts %d: give 1000 to 50000000", *n)
	}
	if *days < 1 || *days > 366 {
		return usagef("-days %d: give 1 to 366", *days)
	}
	if *runs < 1 || *runs > 1000 {
		return usagef("-runs %d: give 1 to 1000", *runs)
	}
	rep, err := bench.Run(ctx, bench.Options{
		Posts: *n, Days: *days, Runs: *runs, ClickHouse: *chAddr, SkipAnalyze: *skipAnalyze,
		Command: func(ctx context.Context, args []string, stdin io.Reader) error {
			var errb bytes.Buffer
			if code := run(ctx, args, env{stdin: stdin, stdout: io.Discard, stderr: &errb, getenv: e.getenv}); code != 0 {
				return errors.New(strings.TrimSpace(errb.String()))
			}
			return nil
		},
		Open: openStore,
		Log:  e.stderr,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return rep.WriteJSON(e.stdout)
	}
	return rep.WriteTable(e.stdout)
}
