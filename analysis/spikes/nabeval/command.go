package nabeval

import (
	"context"
	"io"
	"path/filepath"

	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
	"github.com/earshot/earshot/internal/badinput"
)

// Options are what `earshot eval spikes` measures.
type Options struct {
	// Data is the folder of the labelled series, their windows and the
	// published detectors' results (see nab.LoadDir).
	Data string
	// Config is the detector's settings; Metric names them in the report.
	Config spikes.Config
	Metric string
	// Published takes the published detectors' thresholds from
	// Data/thresholds.json instead of optimising them on these files.
	Published bool
	// CV, "category" or "file", adds the cross-validated figure.
	CV string
}

// Print scores the detector and the published ones over the files of
// o.Data and prints the report on w. Data that cannot be read is a
// *badinput.Error.
func Print(ctx context.Context, o Options, w io.Writer) error {
	ds, err := nab.LoadDir(o.Data)
	if err != nil {
		return badinput.Errorf("reading --data: %v", err)
	}
	var published map[string]map[string]float64
	if o.Published {
		if published, err = nab.ReadThresholds(filepath.Join(o.Data, "thresholds.json")); err != nil {
			return badinput.Errorf("reading --data: %v", err)
		}
	}
	scores, err := nab.ReadPublishedScores(filepath.Join(o.Data, "published_raw_scores.csv"))
	if err != nil {
		return badinput.Errorf("reading --data: %v", err)
	}
	rep, err := Evaluate(ctx, ds, o.Config, published, scores)
	if err != nil {
		return err
	}
	rep.Metric = o.Metric
	if o.CV != "" {
		if err := rep.CrossValidate(o.CV); err != nil {
			return badinput.Errorf("--cv %s: %v", o.CV, err)
		}
	}
	return rep.Write(w)
}
