package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
)

// runEvalSpikes is `earshot eval spikes`: the spike detector on NAB-style
// labelled series, next to NAB's published detectors.
func runEvalSpikes(ctx context.Context, args []string, e env) error {
	fs := newFlags("eval spikes", e.stderr)
	data := fs.String("data", "", "folder with data/*.csv or data/CATEGORY/*.csv, windows.json, and the published detectors' results/DETECTOR/ files or published_raw_scores.csv (e.g. ../shared/eval/nab-corpus)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot eval spikes --data DIR [--cv category|file] [--metric value]

Runs the spike detector (streaming, one configuration for every file) over
every data file, scores it as the Numenta Anomaly Benchmark does (windows,
scaled sigmoid, one threshold for all files) and prints the normalised
standard, reward-low-FP and reward-low-FN scores (null detector 0, perfect
100), overall and per category, next to every published detector on the
same files.

  earshot                its anomaly score (Rarity), at the threshold
                         that maximises each profile over these files:
                         in-sample, the threshold is chosen on the files
                         it is scored on
  earshot spikes opened  the buckets where the Tracker opens a spike (what
                         alerts follow), a 0/1 detector: nothing tuned
  published detectors    from DIR/results (threshold optimised here the
                         same way, or --thresholds published) or from
                         DIR/published_raw_scores.csv (NAB's thresholds)

--cv category or file adds the cross-validated figure: each category (or
file) is scored at the threshold chosen on all the others, so no choice
made from data sees the part it is scored on.

Flags:`)
		fs.PrintDefaults()
	}
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
	rep, err := evalSpikes(ctx, ds, cfg, published, scores)
	if err != nil {
		return err
	}
	rep.metric = *metric
	if *cv != "" {
		part := func(name string) string { return name }
		if *cv == "category" {
			part = path.Dir
		}
		for _, p := range ds.Profiles {
			res, err := nab.CrossValidate([]*nab.Corpus{rep.ours}, p.Costs, part)
			if err != nil {
				return usagef("--cv %s: %v", *cv, err)
			}
			rep.cv = append(rep.cv, res)
		}
		rep.cvBy = *cv
	}
	return rep.print(e.stdout)
}

// evalSpikesRow is one detector's scores, one per profile of the dataset,
// overall and per category (standard profile).
type evalSpikesRow struct {
	Detector   string
	Results    []nab.Result
	Categories map[string]float64
	// How says how its threshold was set.
	How string
}

// spikesReport is what `earshot eval spikes` prints.
type spikesReport struct {
	ds     *nab.Dataset
	rows   []evalSpikesRow
	ours   *nab.Corpus
	metric string
	cv     []nab.CV // per profile
	cvBy   string
}

// categories returns the dataset's categories in order ("" for a flat
// folder).
func categories(ds *nab.Dataset) []string {
	var out []string
	for _, f := range ds.Files {
		if !slices.Contains(out, f.Category) {
			out = append(out, f.Category)
		}
	}
	return out
}

// evalSpikes scores the detector with cfg and every published detector.
// Earshot's threshold, and a published detector's with result files, is
// the one that maximises each profile's score on ds, or, for published
// detectors, published[detector][profile] when given. A detector known only
// by its published raw scores is summed as published.
func evalSpikes(ctx context.Context, ds *nab.Dataset, cfg spikes.Config, published map[string]map[string]float64, scores nab.PublishedScores) (*spikesReport, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// ours is the detector's Rarity; opened marks the buckets where the
	// Tracker opens a spike (what alerts follow), as a 0/1 detector.
	var ours, opened nab.Corpus
	for _, f := range ds.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d := spikes.NewDetector(cfg)
		tr := spikes.NewTracker(earshot.Scope{Kind: earshot.ScopeAll}, earshot.MetricVolume, 0, cfg)
		rarity := make([]float64, len(f.Values))
		opens := make([]float64, len(f.Values))
		for i, v := range f.Values {
			p := d.Observe(f.Times[i], v, -1)
			rarity[i] = p.Rarity
			if ev, ok := tr.Observe(p); ok && ev.Kind == spikes.Opened {
				opens[i] = 1
			}
		}
		if err := ours.Add(f.Name, f.Times, rarity, f.Windows); err != nil {
			return nil, err
		}
		if err := opened.Add(f.Name, f.Times, opens, f.Windows); err != nil {
			return nil, err
		}
	}
	cats := categories(ds)
	// byCategory scores c per category at the standard threshold th.
	byCategory := func(c *nab.Corpus, th float64) map[string]float64 {
		out := map[string]float64{}
		for _, cat := range cats {
			sub := c.Subset(func(name string) bool { return path.Dir(name) == cat || (cat == "" && !strings.Contains(name, "/")) })
			r := sub.At(nab.Standard.Costs, th)
			out[cat] = nab.Normalize(r.Raw, sub.Windows(), nab.Standard.Costs)
		}
		return out
	}
	score := func(name string, c *nab.Corpus, how string) evalSpikesRow {
		row := evalSpikesRow{Detector: name, How: how}
		for _, p := range ds.Profiles {
			if th, ok := published[name][p.Name]; ok {
				row.Results = append(row.Results, c.At(p.Costs, th))
				continue
			}
			row.Results = append(row.Results, c.Optimize(p.Costs))
		}
		row.Categories = byCategory(c, row.Results[0].Threshold)
		return row
	}
	rep := &spikesReport{ds: ds, ours: &ours}
	rep.rows = append(rep.rows, score("earshot", &ours, "in-sample"))
	spikeRow := evalSpikesRow{Detector: "earshot spikes opened", How: "fixed"}
	for _, p := range ds.Profiles {
		spikeRow.Results = append(spikeRow.Results, opened.At(p.Costs, 0.5))
	}
	spikeRow.Categories = byCategory(&opened, 0.5)
	rep.rows = append(rep.rows, spikeRow)
	for _, det := range ds.Detectors {
		c, err := ds.Results(det)
		if err != nil {
			return nil, fmt.Errorf("reading %s's results: %w", det, err)
		}
		how := "in-sample"
		if published != nil {
			how = "published"
		}
		rep.rows = append(rep.rows, score(det, c, how))
	}
	if len(ds.Detectors) == 0 {
		for _, det := range scores.Detectors() {
			row := evalSpikesRow{Detector: det, How: "published", Categories: map[string]float64{}}
			ok := true
			for _, p := range ds.Profiles {
				norm, found := scores.Score(det, p, ds.Files)
				ok = ok && found
				row.Results = append(row.Results, nab.Result{Normalized: norm, Threshold: -1, Detected: -1})
			}
			for _, cat := range cats {
				var files []nab.File
				for _, f := range ds.Files {
					if f.Category == cat {
						files = append(files, f)
					}
				}
				row.Categories[cat], _ = scores.Score(det, nab.Standard, files)
			}
			if ok {
				rep.rows = append(rep.rows, row)
			}
		}
	}
	slices.SortStableFunc(rep.rows, func(a, b evalSpikesRow) int {
		return -cmpFloat(a.Results[0].Normalized, b.Results[0].Normalized)
	})
	return rep, nil
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

func (rep *spikesReport) print(w io.Writer) error {
	ds := rep.ds
	windows := 0
	for _, f := range ds.Files {
		windows += len(f.Windows)
	}
	cats := categories(ds)
	fmt.Fprintf(w, "NAB scores on %d files (%d windows", len(ds.Files), windows)
	if len(cats) > 1 {
		fmt.Fprintf(w, ", %d categories", len(cats))
	}
	fmt.Fprintf(w, "); earshot with --metric %s settings, one threshold for every file.\n", rep.metric)
	if len(rep.cv) > 0 {
		what := "category"
		if rep.cvBy == "file" {
			what = "file"
		}
		fmt.Fprintf(w, "\nCross-validated (leave one %s out: each scored at the threshold chosen on the others):\n", what)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "detector\t")
		for _, p := range ds.Profiles {
			fmt.Fprintf(tw, "%s\t", p.Name)
		}
		fmt.Fprint(tw, "windows found (standard)\t\n")
		fmt.Fprint(tw, "earshot (cross-validated)\t")
		for _, c := range rep.cv {
			fmt.Fprintf(tw, "%.2f\t", c.Normalized)
		}
		fmt.Fprintf(tw, "%d/%d\t\n", rep.cv[0].Detected, windows)
		if err := tw.Flush(); err != nil {
			return err
		}
		if rep.cvBy == "category" {
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprint(tw, "left out\tthreshold (standard)\tstandard\t\n")
			for _, f := range rep.cv[0].Folds {
				sub := rep.ours.Subset(func(name string) bool { return slices.Contains(f.Files, name) })
				fmt.Fprintf(tw, "%s\t%.4f\t%.2f\t\n", f.Name, f.Threshold, nab.Normalize(f.Result.Raw, sub.Windows(), nab.Standard.Costs))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(w, "\nAll files (earshot's threshold in-sample; published detectors as marked):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "rank\tdetector\t")
	for _, p := range ds.Profiles {
		fmt.Fprintf(tw, "%s\t", p.Name)
	}
	fmt.Fprint(tw, "windows found (standard)\tthreshold (standard)\tthreshold\t\n")
	for i, r := range rep.rows {
		fmt.Fprintf(tw, "%d\t%s\t", i+1, r.Detector)
		for _, res := range r.Results {
			fmt.Fprintf(tw, "%.2f\t", res.Normalized)
		}
		found, th := "", ""
		if r.Results[0].Detected >= 0 {
			found = fmt.Sprintf("%d/%d", r.Results[0].Detected, windows)
		}
		if r.Results[0].Threshold >= 0 {
			th = fmt.Sprintf("%.4f", r.Results[0].Threshold)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", found, th, r.How)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(cats) < 2 {
		return nil
	}
	fmt.Fprintln(w, "\nPer category, standard profile (each detector at its threshold above):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "detector\t")
	for _, c := range cats {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprint(tw, "\n")
	for _, r := range rep.rows {
		fmt.Fprintf(tw, "%s\t", r.Detector)
		for _, c := range cats {
			fmt.Fprintf(tw, "%.1f\t", r.Categories[c])
		}
		fmt.Fprint(tw, "\n")
	}
	return tw.Flush()
}
