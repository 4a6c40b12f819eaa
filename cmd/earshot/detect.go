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

const detectUsage = `Usage: earshot detect --input series.csv > scores.csv

Reads a CSV with a header and rows timestamp,value (RFC 3339 or
"2006-01-02 15:04:05" in UTC; an optional third column is the volume behind
a ratio metric) and writes timestamp,value,anomaly_score, one row per input
row, in order. The score, in [0, 1], is computed as in production:
streaming, from that row and the rows before it only; about 0.97 and above
is an anomaly on any series. The bucket width is the gap between the first
two rows.

Real exports are read as they are: a timestamp repeated or going back (an
hour told twice when clocks go back, a duplicated row) is taken as the next
bucket; a blank or unreadable row is written back with score 0 and not
learned from, and counted on stderr. Only an empty input or a header that
is not two or three columns stops the run (exit 2).

Flags:`

func runDetect(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("detect", detectUsage, e)
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
