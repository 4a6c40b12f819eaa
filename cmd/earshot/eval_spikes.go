package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"text/tabwriter"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
)

// runEvalSpikes is `earshot eval spikes`: the spike detector on NAB-style
// labelled series, next to NAB's published detectors.
func runEvalSpikes(ctx context.Context, args []string, e env) error {
	fs := newFlags("eval spikes", e.stderr)
	data := fs.String("data", "", "folder with data/*.csv, windows.json, profiles.json and results/DETECTOR/*.csv (e.g. ../shared/eval/nab)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot eval spikes --data DIR

Runs the spike detector (default volume configuration, streaming) over every
DIR/data/*.csv, scores it as the Numenta Anomaly Benchmark does (windows,
scaled sigmoid, the threshold that maximises each profile's score over all
files) and prints the normalised standard, reward-low-FP and reward-low-FN
scores (null detector 0, perfect 100), with the same scores for every
published detector in DIR/results, scored the same way, best first. The
row "earshot spikes opened" scores the buckets where the Tracker opens a
spike (what alerts follow) as a detector of its own.

Flags:`)
		fs.PrintDefaults()
	}
	thresholds := fs.String("thresholds", "optimised", "optimised: tune every detector's threshold on these files; published: use DIR/thresholds.json for the published detectors (NAB's tuning over its whole corpus)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *thresholds != "optimised" && *thresholds != "published" {
		return usagef("--thresholds %q: want optimised or published", *thresholds)
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
	rows, err := evalSpikes(ctx, ds, spikes.DefaultConfig(), published)
	if err != nil {
		return err
	}
	return printEvalSpikes(e.stdout, ds, rows, published != nil)
}

// evalSpikesRow is one detector's scores, one per profile of the dataset.
type evalSpikesRow struct {
	Detector string
	Results  []nab.Result
}

// evalSpikes scores the detector with cfg and every published detector,
// at the threshold that maximises each profile's score on ds, or, for the
// published detectors, at published[detector][profile] when given.
func evalSpikes(ctx context.Context, ds *nab.Dataset, cfg spikes.Config, published map[string]map[string]float64) ([]evalSpikesRow, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// ours is the detector's Score; opened marks the buckets where the
	// Tracker opens a spike (what alerts follow), as a 0/1 detector.
	var ours, opened nab.Corpus
	for _, f := range ds.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d := spikes.NewDetector(cfg)
		tr := spikes.NewTracker(earshot.Scope{Kind: earshot.ScopeAll}, earshot.MetricVolume, 0, cfg)
		scores := make([]float64, len(f.Values))
		opens := make([]float64, len(f.Values))
		for i, v := range f.Values {
			p := d.Observe(f.Times[i], v, -1)
			scores[i] = p.Score
			if ev, ok := tr.Observe(p); ok && ev.Kind == spikes.Opened {
				opens[i] = 1
			}
		}
		if err := ours.Add(f.Name, f.Times, scores, f.Windows); err != nil {
			return nil, err
		}
		if err := opened.Add(f.Name, f.Times, opens, f.Windows); err != nil {
			return nil, err
		}
	}
	score := func(name string, c *nab.Corpus) evalSpikesRow {
		row := evalSpikesRow{Detector: name}
		for _, p := range ds.Profiles {
			if th, ok := published[name][p.Name]; ok {
				row.Results = append(row.Results, c.At(p.Costs, th))
				continue
			}
			row.Results = append(row.Results, c.Optimize(p.Costs))
		}
		return row
	}
	rows := []evalSpikesRow{score("earshot", &ours)}
	spikeRow := evalSpikesRow{Detector: "earshot spikes opened"}
	for _, p := range ds.Profiles {
		spikeRow.Results = append(spikeRow.Results, opened.At(p.Costs, 0.5))
	}
	rows = append(rows, spikeRow)
	for _, det := range ds.Detectors {
		c, err := ds.Results(det)
		if err != nil {
			return nil, fmt.Errorf("reading %s's results: %w", det, err)
		}
		rows = append(rows, score(det, c))
	}
	slices.SortStableFunc(rows, func(a, b evalSpikesRow) int {
		return -cmpFloat(a.Results[0].Normalized, b.Results[0].Normalized)
	})
	return rows, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func printEvalSpikes(w io.Writer, ds *nab.Dataset, rows []evalSpikesRow, published bool) error {
	windows := 0
	for _, f := range ds.Files {
		windows += len(f.Windows)
	}
	how := "each detector's threshold optimised per profile over these files"
	if published {
		how = "published detectors at their published thresholds (thresholds.json), earshot's optimised over these files"
	}
	fmt.Fprintf(w, "NAB scores on %d files (%d windows); %s\n\n", len(ds.Files), windows, how)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "rank\tdetector\t")
	for _, p := range ds.Profiles {
		fmt.Fprintf(tw, "%s\t", p.Name)
	}
	fmt.Fprint(tw, "windows found (standard)\tthreshold (standard)\t\n")
	for i, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t", i+1, r.Detector)
		for _, res := range r.Results {
			fmt.Fprintf(tw, "%.2f\t", res.Normalized)
		}
		fmt.Fprintf(tw, "%d/%d\t%.4f\t\n", r.Results[0].Detected, windows, r.Results[0].Threshold)
	}
	return tw.Flush()
}
