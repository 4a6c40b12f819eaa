package spikes_test

import (
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
)

const (
	sharedNAB    = "../../../shared/eval/nab"
	sharedCorpus = "../../../shared/eval/nab-corpus"
)

func loadNAB(t testing.TB, dir string) *nab.Dataset {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "windows.json")); err != nil {
		t.Skipf("NAB data not found at %s (the shared evaluation folder); skipping", dir)
	}
	ds, err := nab.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// runNAB runs a detector with cfg over every file of ds, streaming, and
// returns the corpus of the points' field.
func runNAB(t testing.TB, ds *nab.Dataset, cfg spikes.Config, field func(spikes.Point) float64) *nab.Corpus {
	var c nab.Corpus
	for _, f := range ds.Files {
		d := spikes.NewDetector(cfg)
		scores := make([]float64, len(f.Values))
		for i, v := range f.Values {
			scores[i] = field(d.Observe(f.Times[i], v, -1))
		}
		if err := c.Add(f.Name, f.Times, scores, f.Windows); err != nil {
			t.Fatal(err)
		}
	}
	return &c
}

func rarity(p spikes.Point) float64  { return p.Rarity }
func episode(p spikes.Point) float64 { return p.Score }
func itself(name string) string      { return name }

// cvFloor fails t when a cross-validated score falls under floor.
func cvFloor(t *testing.T, label string, cv nab.CV, floor float64) {
	t.Helper()
	t.Logf("%s: %.2f (%d/%d windows)", label, cv.Normalized, cv.Detected, cv.Windows)
	if cv.Normalized < floor {
		t.Errorf("%s: %.2f, under %v", label, cv.Normalized, floor)
	}
}

// TestNAB scores the detector on the five realTweets files, leaving one
// file out: each file is scored at the threshold chosen on the other four.
// It guards the cross-validated figures of docs/spikes.md, for the anomaly
// score (Rarity, mention-count settings) and for the alerting Score; the
// in-sample figures (threshold chosen on the files scored) are logged as
// such.
func TestNAB(t *testing.T) {
	ds := loadNAB(t, sharedNAB)
	for _, tc := range []struct {
		name  string
		field func(spikes.Point) float64
		floor float64
	}{
		{"rarity", rarity, 77},
		{"episode score", episode, 80},
	} {
		c := runNAB(t, ds, spikes.DefaultConfig(), tc.field)
		in := c.Optimize(nab.Standard.Costs)
		t.Logf("%s, in-sample (threshold chosen on these files): %.2f", tc.name, in.Normalized)
		cv, err := nab.CrossValidate([]*nab.Corpus{c}, nab.Standard.Costs, itself)
		if err != nil {
			t.Fatal(err)
		}
		cvFloor(t, tc.name+", leave one file out", cv, tc.floor)
	}
}

// TestNABCorpus scores the anomaly score on the whole NAB corpus but the
// five realTweets files kept aside (53 files, 7 categories), with one
// configuration and one threshold for every file, and guards the
// cross-validated figures of docs/spikes.md: leave one category out (the
// threshold, and the number of histogram bands among 24, 32 and 48, chosen
// without the category scored), and leave one file out on realTweets.
func TestNABCorpus(t *testing.T) {
	ds := loadNAB(t, sharedCorpus)
	category := path.Dir
	var candidates []*nab.Corpus
	for _, bands := range []int{32, 24, 48} {
		cfg := spikes.GenericConfig()
		cfg.RarityBands = bands
		candidates = append(candidates, runNAB(t, ds, cfg, rarity))
	}
	in := candidates[0].Optimize(nab.Standard.Costs)
	t.Logf("in-sample (32 bands, threshold chosen on all 53 files): %.2f", in.Normalized)
	cv, err := nab.CrossValidate(candidates[:1], nab.Standard.Costs, category)
	if err != nil {
		t.Fatal(err)
	}
	cvFloor(t, "leave one category out, threshold", cv, 69)
	cv, err = nab.CrossValidate(candidates, nab.Standard.Costs, category)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range cv.Folds {
		t.Logf("  %s: bands %d, threshold %.4f", f.Name, []int{32, 24, 48}[f.Chosen], f.Threshold)
	}
	cvFloor(t, "leave one category out, threshold and bands", cv, 69)

	tweets := candidates[0].Subset(func(name string) bool { return category(name) == "realTweets" })
	cv, err = nab.CrossValidate([]*nab.Corpus{tweets}, nab.Standard.Costs, itself)
	if err != nil {
		t.Fatal(err)
	}
	cvFloor(t, "realTweets, leave one file out", cv, 78)
}
