package nab

import (
	"math"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)

// file returns n rows 5 minutes apart, all scored 0, and a window over
// rows [left, right].
func file(n, left, right int) ([]time.Time, []float64, []Window) {
	times := make([]time.Time, n)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * 5 * time.Minute)
	}
	return times, make([]float64, n), []Window{{times[left], times[right]}}
}

// ss is NAB's scaled sigmoid written another way: 2*sigmoid(-5y)-1 =
// tanh(-5y/2).
func ss(y float64) float64 { return math.Tanh(-5 * y / 2) }

func TestHandMadeScores(t *testing.T) {
	// 100 rows: rows 0-14 are probation; one window over rows 40-49.
	const n, left, right = 100, 40, 49
	tests := []struct {
		name   string
		detect []int // rows scored 1
		want   float64
	}{
		{"null", nil, -1},
		{"left edge", []int{40}, 1},
		{"right edge", []int{49}, ss(-0.1) / ss(-1)},
		{"middle", []int{45}, ss(-0.5) / ss(-1)},
		{"only the earliest detection in a window counts", []int{45, 41, 48}, ss(-0.9) / ss(-1)},
		{"false positive before any window", []int{20}, -1 - 0.11},
		{"false positives in probation are ignored", []int{3, 14}, -1},
		{"false positive after a window", []int{40, 60}, 1 + 0.11*ss(11.0/9)},
		{"far false positive", []int{40, 99}, 1 - 0.11},
		{"every false positive counts", []int{20, 21, 22}, -1 - 3*0.11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			times, scores, windows := file(n, left, right)
			for _, i := range tt.detect {
				scores[i] = 1
			}
			var c Corpus
			if err := c.Add("f.csv", times, scores, windows); err != nil {
				t.Fatal(err)
			}
			r := c.At(Standard.Costs, 0.5)
			if math.Abs(r.Raw-tt.want) > 1e-12 {
				t.Errorf("raw %.15f, want %.15f", r.Raw, tt.want)
			}
			if want := 100 * (tt.want + 1) / 2; math.Abs(r.Normalized-want) > 1e-9 {
				t.Errorf("normalised %.6f, want %.6f", r.Normalized, want)
			}
		})
	}
}

func TestNormalizeProfiles(t *testing.T) {
	tests := []struct {
		p         Profile
		raw, want float64
	}{
		{Standard, -3, 0}, {Standard, 3, 100}, {Standard, 0, 50},
		{RewardLowFNRate, -6, 0}, {RewardLowFNRate, 3, 100}, {RewardLowFNRate, 0, 100 * 6.0 / 9},
		{RewardLowFPRate, -4, -100.0 / 6},
	}
	for _, tt := range tests {
		if got := Normalize(tt.raw, 3, tt.p.Costs); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: Normalize(%v, 3 windows) = %v, want %v", tt.p.Name, tt.raw, got, tt.want)
		}
	}
}

func TestOptimizeAndThresholds(t *testing.T) {
	times, scores, windows := file(100, 40, 49)
	scores[20] = 0.95 // a false positive scored above the true one
	scores[40] = 0.9
	var c Corpus
	if err := c.Add("f.csv", times, scores, windows); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ threshold, want float64 }{
		{1.1, -1}, {0.96, -1}, {0.95, -1.11}, {0.92, -1.11}, {0.9, 0.89}, {0.5, 0.89},
		// At 0 every row is a detection: the window counts once, and each
		// row outside it costs: 25 before it at -0.11, 50 after it on the
		// sigmoid of their distance (-1 beyond 3 widths).
		{0, 1 - 25*0.11 + 0.11*sum(func(i int) float64 {
			if y := float64(i-49) / 9; y <= 3 {
				return ss(y)
			}
			return -1
		}, 50, 100)},
	} {
		if got := c.At(Standard.Costs, tt.threshold).Raw; math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("threshold %v: raw %.12f, want %.12f", tt.threshold, got, tt.want)
		}
	}
	best := c.Optimize(Standard.Costs)
	if best.Threshold != 0.9 || math.Abs(best.Raw-0.89) > 1e-12 || best.Detected != 1 || best.FP != 1 || best.TP != 1 {
		t.Errorf("optimum %+v, want threshold 0.9, raw 0.89, 1 TP row, 1 FP row", best)
	}
	// With false positives twice as costly, detecting nothing is better.
	if low := c.Optimize(RewardLowFPRate.Costs); low.Raw != 1-0.22 {
		t.Errorf("low-FP optimum %+v, want raw 0.78", low)
	}
	sweep := c.Sweep(Standard.Costs)
	if len(sweep) != 4 || sweep[0].Threshold != 1.1 || sweep[3].Threshold != 0 {
		t.Errorf("sweep thresholds %+v, want 1.1, 0.95, 0.9, 0", sweep)
	}
}

func sum(f func(int) float64, from, to int) float64 {
	s := 0.0
	for i := from; i < to; i++ {
		s += f(i)
	}
	return s
}

func TestProbationLength(t *testing.T) {
	for n, want := range map[int]int{100: 15, 1000: 150, 5000: 750, 15902: 750} {
		if got := ProbationLength(n); got != want {
			t.Errorf("ProbationLength(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestAddErrors(t *testing.T) {
	times, scores, _ := file(100, 40, 49)
	tests := []struct {
		name    string
		scores  []float64
		windows []Window
		want    string
	}{
		{"lengths", scores[:10], nil, "timestamps but"},
		{"nan", append(append([]float64(nil), scores[:99]...), math.NaN()), nil, "NaN"},
		{"empty window", scores, []Window{{t0.Add(-time.Hour), t0.Add(-time.Minute)}}, "holds no row"},
		{"overlap", scores, []Window{{times[10], times[20]}, {times[20], times[30]}}, "overlaps"},
	}
	for _, tt := range tests {
		var c Corpus
		if err := c.Add("f.csv", times, tt.scores, tt.windows); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
