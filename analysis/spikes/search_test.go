package spikes_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
)

// searchRes is one configuration's scores, whole and leave one out.
type searchRes struct {
	name string
	std  float64
	prof [3]float64
	sub  [5]nab.Result // best on the other 4 files
	held [5]float64    // raw on held-out file at sub threshold
	cfg  spikes.Config
}

func searchEval(t *testing.T, ds *nab.Dataset, cfg spikes.Config) searchRes {
	scores := make([][]float64, len(ds.Files))
	for fi, f := range ds.Files {
		d := spikes.NewDetector(cfg)
		scores[fi] = make([]float64, len(f.Values))
		for i, v := range f.Values {
			scores[fi][i] = d.Observe(f.Times[i], v, -1).Score
		}
	}
	var r searchRes
	r.cfg = cfg
	var all nab.Corpus
	for fi, f := range ds.Files {
		all.Add(f.Name, f.Times, scores[fi], f.Windows)
	}
	for k, p := range ds.Profiles {
		r.prof[k] = all.Optimize(p.Costs).Normalized
	}
	r.std = r.prof[0]
	for h := range ds.Files {
		var c nab.Corpus
		for fi, f := range ds.Files {
			if fi != h {
				c.Add(f.Name, f.Times, scores[fi], f.Windows)
			}
		}
		r.sub[h] = c.Optimize(nab.Standard.Costs)
		var one nab.Corpus
		f := ds.Files[h]
		one.Add(f.Name, f.Times, scores[h], f.Windows)
		r.held[h] = one.At(nab.Standard.Costs, r.sub[h].Threshold).Raw
	}
	return r
}

// TestNABSearchLeaveOneOut replays the random search the defaults came
// from (EARSHOT_NAB_SEARCH=200: the default and 199 random configurations)
// and scores it leave one file out: for each file, the configuration and
// threshold best on the other four, scored on it. See docs/spikes.md.
func TestNABSearchLeaveOneOut(t *testing.T) {
	if os.Getenv("EARSHOT_NAB_SEARCH") == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(os.Getenv("EARSHOT_NAB_SEARCH"))
	ds, _ := nab.LoadDir(sharedNAB)
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(n int) int { return rng.IntN(n) }
	scales := [][]time.Duration{nil, {30 * time.Minute}, {2 * time.Hour}, {30 * time.Minute, 2 * time.Hour}, {time.Hour}, {30 * time.Minute, 2 * time.Hour, 6 * time.Hour}}
	var res []searchRes
	for i := 0; i < n; i++ {
		c := spikes.DefaultConfig()
		name := "default"
		if i > 0 {
			c.Calibration = []spikes.Calibration{"exceedances", "daily_max"}[pick(2)]
			c.Scales = scales[pick(len(scales))]
			c.Refractory = []time.Duration{12, 24, 48, 72, 120, 168}[pick(6)] * time.Hour
			c.Novelty = []float64{0.5, 0.7, 0.8, 0.9, 1}[pick(5)]
			c.LogOffset = []float64{2, 5, 10, 20}[pick(4)]
			c.Clip = []float64{1, 1.5, 2.5}[pick(3)]
			c.TailHalfLife = []time.Duration{7, 14, 28, 56}[pick(4)] * 24 * time.Hour
			c.NoiseHalfLife = []time.Duration{1, 3, 7}[pick(3)] * 24 * time.Hour
			c.LevelHalfLife = []time.Duration{2, 6, 24}[pick(3)] * time.Hour
			c.MinExcess = []float64{3, 5, 10}[pick(3)]
			name = fmt.Sprintf("cal=%s sc=%v ref=%v nov=%v off=%v clip=%v tail=%v noise=%v lvl=%v mex=%v", c.Calibration, c.Scales, c.Refractory, c.Novelty, c.LogOffset, c.Clip, c.TailHalfLife, c.NoiseHalfLife, c.LevelHalfLife, c.MinExcess)
		}
		r := searchEval(t, ds, c)
		r.name = name
		res = append(res, r)
	}
	// LOO: for each held-out file, the config best on the other 4
	loo := 0.0
	for h := range ds.Files {
		best := 0
		for i := range res {
			if res[i].sub[h].Raw > res[best].sub[h].Raw {
				best = i
			}
		}
		loo += res[best].held[h]
		fmt.Printf("LOO held %s: best-on-4 #%d (%s) raw %.2f\n", ds.Files[h].Name, best, res[best].name, res[best].held[h])
	}
	fmt.Printf("LOO normalised %.2f\n", nab.Normalize(loo, 16, nab.Standard.Costs))
	sort.SliceStable(res, func(a, b int) bool { return res[a].std > res[b].std })
	for i := range min(20, len(res)) {
		fmt.Printf("%6.2f %6.2f %6.2f  %s\n", res[i].prof[0], res[i].prof[1], res[i].prof[2], res[i].name)
	}
}

// TestNABLeaveOneOutThreshold scores the default configuration leave one
// file out with only the threshold chosen on the other four files: the
// honest figure for the design as it stands (docs/spikes.md), guarded
// against regressions.
func TestNABLeaveOneOutThreshold(t *testing.T) {
	ds, err := nab.LoadDir(sharedNAB)
	if err != nil {
		t.Skipf("NAB data not found at %s: %v", sharedNAB, err)
	}
	r := searchEval(t, ds, spikes.DefaultConfig())
	loo := 0.0
	for h, f := range ds.Files {
		loo += r.held[h]
		t.Logf("held out %s: threshold %.4f from the other files, raw %.2f", f.Name, r.sub[h].Threshold, r.held[h])
	}
	score := nab.Normalize(loo, 16, nab.Standard.Costs)
	t.Logf("leave one file out (threshold only): %.2f", score)
	const floor = 80 // docs/spikes.md: 82.54, less a margin
	if score < floor {
		t.Errorf("leave-one-file-out score %.2f, under %v", score, floor)
	}
}

// TestNABEpisodeGrid scores the grid of report_at × episode_gap behind the
// episode defaults, whole and leave one file out (EARSHOT_NAB_GRID=1; a few
// seconds). See docs/spikes.md.
func TestNABEpisodeGrid(t *testing.T) {
	if os.Getenv("EARSHOT_NAB_GRID") == "" {
		t.Skip("set EARSHOT_NAB_GRID=1")
	}
	ds, err := nab.LoadDir(sharedNAB)
	if err != nil {
		t.Fatal(err)
	}
	var res []searchRes
	for _, at := range []float64{0, 0.15, 0.18, 0.2, 0.22, 0.25, 0.28, 0.3, 0.35, 0.4} {
		for _, gap := range []time.Duration{0, 3, 6, 9, 12, 18, 24, 36, 48} {
			cfg := spikes.DefaultConfig()
			cfg.ReportAt, cfg.EpisodeGap = at, gap*time.Hour
			r := searchEval(t, ds, cfg)
			r.name = fmt.Sprintf("report_at %.2f episode_gap %v", at, gap*time.Hour)
			res = append(res, r)
			fmt.Printf("%6.2f %6.2f %6.2f  %s\n", r.prof[0], r.prof[1], r.prof[2], r.name)
		}
	}
	loo := 0.0
	for h, f := range ds.Files {
		best := 0
		for i := range res {
			if res[i].sub[h].Raw > res[best].sub[h].Raw {
				best = i
			}
		}
		loo += res[best].held[h]
		fmt.Printf("held out %s: best on the others %s, raw %.2f\n", f.Name, res[best].name, res[best].held[h])
	}
	fmt.Printf("leave one file out over %d settings: %.2f\n", len(res), nab.Normalize(loo, 16, nab.Standard.Costs))
}
