package main

import (
	"context"
	"path/filepath"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
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
	ds, err := nab.LoadDir(*data)
	if err != nil {
		return usagef("reading --data: %v", err)
	}
	var published map[string]map[string]float64
	if *thresholds == "published" {
		if published, err = nab.ReadThresholds(filepath.Join(*data, "thresholds.json")); err != nil {
			return usagef("reading --data: %v", err)
		}
	}
	scores, err := nab.ReadPublishedScores(filepath.Join(*data, "published_raw_scores.csv"))
	if err != nil {
		return usagef("reading --data: %v", err)
	}
	rep, err := nabeval.Evaluate(ctx, ds, cfg, published, scores)
	if err != nil {
		return err
	}
	rep.Metric = *metric
	if *cv != "" {
		if err := rep.CrossValidate(*cv); err != nil {
			return usagef("--cv %s: %v", *cv, err)
		}
	}
	return rep.Write(e.stdout)
}
