package nabeval

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
)

// Row is one detector's scores, one per profile of the dataset,
// overall and per category (standard profile).
type Row struct {
	Detector   string
	Results    []nab.Result
	Categories map[string]float64
	// How says how its threshold was set.
	How string
}

// Report is the evaluation of every detector on one dataset, as `earshot
// eval spikes` prints it.
type Report struct {
	// Metric names the detector's settings, for the heading.
	Metric string

	ds   *nab.Dataset
	rows []Row
	ours *nab.Corpus
	cv   []nab.CV // per profile
	cvBy string
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

// CrossValidate adds the cross-validated figure of earshot's threshold,
// per profile: by "category" (leave one category out) or "file" (leave one
// file out), each part scored at the threshold chosen on all the others.
func (rep *Report) CrossValidate(by string) error {
	part := func(name string) string { return name }
	if by == "category" {
		part = path.Dir
	}
	for _, p := range rep.ds.Profiles {
		res, err := nab.CrossValidate([]*nab.Corpus{rep.ours}, p.Costs, part)
		if err != nil {
			return err
		}
		rep.cv = append(rep.cv, res)
	}
	rep.cvBy = by
	return nil
}

// Evaluate scores the detector with cfg and every published detector.
// Earshot's threshold, and a published detector's with result files, is
// the one that maximises each profile's score on ds, or, for published
// detectors, published[detector][profile] when given. A detector known only
// by its published raw scores is summed as published.
func Evaluate(ctx context.Context, ds *nab.Dataset, cfg spikes.Config, published map[string]map[string]float64, scores nab.PublishedScores) (*Report, error) {
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
	score := func(name string, c *nab.Corpus, how string) Row {
		row := Row{Detector: name, How: how}
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
	rep := &Report{ds: ds, ours: &ours}
	rep.rows = append(rep.rows, score("earshot", &ours, "in-sample"))
	spikeRow := Row{Detector: "earshot spikes opened", How: "fixed"}
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
			row := Row{Detector: det, How: "published", Categories: map[string]float64{}}
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
	slices.SortStableFunc(rep.rows, func(a, b Row) int {
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

// Write prints the report: the cross-validated figures if any, every
// detector ranked, and the per-category table when there are categories.
func (rep *Report) Write(w io.Writer) error {
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
	fmt.Fprintf(w, "); earshot with --metric %s settings, one threshold for every file.\n", rep.Metric)
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
