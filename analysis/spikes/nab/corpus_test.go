package nab

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// sharedCorpus is the whole NAB corpus but the realTweets files kept aside,
// outside the repository.
const sharedCorpus = "../../../../shared/eval/nab-corpus"

// TestCorpusLoadsAndPublishedScores reads the nested corpus (categories,
// files whose timestamps repeat or step back) and sums the published
// detectors' raw scores over it: the totals must be those the corpus's
// README quotes (standard profile, their own thresholds).
func TestCorpusLoadsAndPublishedScores(t *testing.T) {
	if _, err := os.Stat(filepath.Join(sharedCorpus, "windows.json")); err != nil {
		t.Skipf("NAB corpus not found at %s (the shared evaluation folder); skipping", sharedCorpus)
	}
	ds, err := LoadDir(sharedCorpus)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Files) != 53 {
		t.Fatalf("read %d files, want 53", len(ds.Files))
	}
	categories, windows := map[string]int{}, 0
	for _, f := range ds.Files {
		categories[f.Category]++
		windows += len(f.Windows)
		if len(f.Times) != len(f.Values) || len(f.Times) == 0 {
			t.Errorf("%s: %d times, %d values", f.Name, len(f.Times), len(f.Values))
		}
	}
	if len(categories) != 7 || categories["realAWSCloudwatch"] != 17 || windows != 99 {
		t.Errorf("categories %v, %d windows; want 7 categories (17 AWS files) and 99 windows", categories, windows)
	}
	ps, err := ReadPublishedScores(filepath.Join(sharedCorpus, "published_raw_scores.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for det, want := range map[string]float64{"ARTime": 74.1, "numenta": 72.1, "contextOSE": 70.4, "windowedGaussian": 38.3} {
		got, ok := ps.Score(det, Standard, ds.Files)
		if !ok || math.Abs(got-want) > 0.05 {
			t.Errorf("%s: standard %.2f (ok %v), want %.1f", det, got, ok, want)
		}
	}
	// Every file's rows fall in its windows as NAB counts them: the
	// published null detector scores -fnWeight per window on each file.
	var c Corpus
	for _, f := range ds.Files {
		if err := c.Add(f.Name, f.Times, make([]float64, len(f.Times)), f.Windows); err != nil {
			t.Fatal(err)
		}
	}
	if res := c.At(Standard.Costs, 0.5); res.Raw != -float64(windows) || res.Normalized != 0 {
		t.Errorf("null detector: raw %v, normalised %v; want %d, 0", res.Raw, res.Normalized, -windows)
	}
}
