package main

import (
	"context"
	"fmt"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/linescore"
)

func runAnalyze(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("analyze", e)
	explain := fs.Bool("explain", false, `add "reason" (why a negative post is negative), "lang" (the detected language) and "parts" (how far each part, and the model's "bias", moved the log-odds of positive over negative) to each line`)
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	bad, err := linescore.Score(ctx, scorer, *explain, e.stdin, e.stdout)
	if err != nil {
		return err
	}
	if bad > 0 {
		return usagef("%d input line(s) could not be read; see their \"error\" fields", bad)
	}
	return nil
}
