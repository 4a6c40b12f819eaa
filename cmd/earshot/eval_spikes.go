package main

import (
	"context"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nabeval"
)

// runEvalSpikes is `earshot eval spikes`: the spike detector on NAB-style
// labelled series, next to NAB's published detectors.
func runEvalSpikes(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("eval spikes", e)
	data := fs.String("data", "", "folder with data/*.csv or data/CATEGORY/*.csv, windows.json, and the published detectors' results/DETECTOR/ files or published_raw_scores.csv (e.g. ../shared/eval/nab-corpus)")
	thresholds := fs.String("thresholds", "optimised", "for published detectors with result files: optimised (tuned on these files) or published (DIR/thresholds.json)")
	cv := fs.String("cv", "", "cross-validate earshot's threshold: category (leave one category out) or file (leave one file out)")
	metric := fs.String("metric", "value", "the detector's settings: value (any measurement) or volume (mention counts)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *thresholds != "optimised" && *thresholds != "published" {
		return usagef("--thresholds %q: want optimised or published", *thresholds)
	}
	if *cv != "" && *cv != "category" && *cv != "file" {
		return usagef("--cv %q: want category or file", *cv)
	}
	var cfg spikes.Config
	switch *metric {
	case "value":
		cfg = spikes.GenericConfig()
	case string(earshot.MetricVolume):
		cfg = spikes.DefaultConfig()
	default:
		return usagef("--metric %q: want value or volume", *metric)
	}
	if *data == "" {
		return usagef("--data is required")
	}
	return nabeval.Print(ctx, nabeval.Options{Data: *data, Config: cfg, Metric: *metric,
		Published: *thresholds == "published", CV: *cv}, e.stdout)
}
