package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/csvseries"
)

func runDetect(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("detect", e)
	input := fs.String("input", "", "CSV file of timestamp,value rows with a header (- for stdin)")
	metric := fs.String("metric", string(earshot.MetricVolume), "what the values are: volume (counts), negative_share, net_sentiment, or value (any measurement)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *input == "" {
		return usagef("--input is required (- reads stdin)")
	}
	var cfg spikes.Config
	switch m := earshot.Metric(*metric); m {
	case earshot.MetricVolume, earshot.MetricNegativeShare, earshot.MetricNetSentiment:
		cfg = spikes.ConfigFor(m)
	case "value":
		cfg = spikes.GenericConfig()
	default:
		return usagef("--metric %q: want volume, negative_share, net_sentiment or value", *metric)
	}
	r := e.stdin
	if *input != "-" {
		f, err := os.Open(*input)
		if err != nil {
			return usagef("opening --input: %v", err)
		}
		defer f.Close()
		r = f
	}
	skipped, err := csvseries.Score(ctx, cfg, r, e.stdout)
	if err != nil {
		return err
	}
	if skipped.Rows > 0 {
		fmt.Fprintf(e.stderr, "earshot detect: %d row(s) not scored (written with score 0): %s\n", skipped.Rows, strings.Join(skipped.First, "; "))
	}
	return nil
}
