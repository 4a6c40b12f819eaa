package nab

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// Costs weights the outcomes of a profile (NAB's cost matrix).
type Costs struct {
	TP float64 `json:"tpWeight"`
	FP float64 `json:"fpWeight"`
	FN float64 `json:"fnWeight"`
	TN float64 `json:"tnWeight"` // unused by NAB's scoring; kept for completeness
}

// Profile is a named cost matrix.
type Profile struct {
	Name  string
	Costs Costs
}

// The three profiles NAB publishes, with NAB's weights.
var (
	Standard        = Profile{"standard", Costs{TP: 1, FP: 0.11, FN: 1, TN: 1}}
	RewardLowFPRate = Profile{"reward_low_FP_rate", Costs{TP: 1, FP: 0.22, FN: 1, TN: 1}}
	RewardLowFNRate = Profile{"reward_low_FN_rate", Costs{TP: 1, FP: 0.11, FN: 2, TN: 1}}
)

// Profiles returns the three NAB profiles in NAB's usual order.
func Profiles() []Profile { return []Profile{Standard, RewardLowFPRate, RewardLowFNRate} }

// Window is a labelled anomaly window, both ends included.
type Window struct {
	Start, End time.Time
}

// ProbationPercent is the share of each file (at most 750 rows) that is
// not scored.
const ProbationPercent = 0.15

// ProbationLength is the number of leading rows of an n-row file that NAB
// does not score.
func ProbationLength(n int) int {
	return int(math.Min(math.Floor(ProbationPercent*float64(n)), ProbationPercent*5000))
}

// row is one scored row of the corpus.
type row struct {
	score float64 // the detector's anomaly score
	// unweighted is the scaled sigmoid of the row's position: positive in
	// a window, negative outside.
	unweighted float64
	window     int // corpus-wide window index, -1 outside windows
}

// Corpus is a set of files scored together: one detector's scores on every
// file. The zero value is empty and ready to use.
type Corpus struct {
	rows    []row // scorable rows (probation excluded), in file then row order
	windows int
	files   []fileSpan
	sorted  []int // rows indexes, by score descending, stable; nil when stale
}

type fileSpan struct {
	name       string
	start, end int // rows[start:end]
	windows    []int
}

// Windows is the number of windows in the corpus.
func (c *Corpus) Windows() int { return c.windows }

// Files lists the names of the files added, in order.
func (c *Corpus) Files() []string {
	names := make([]string, len(c.files))
	for i, f := range c.files {
		names[i] = f.name
	}
	return names
}

// Add adds one file: its rows' timestamps (in file order), the detector's
// anomaly score for each row, and the file's windows (in order, not
// overlapping). A window starts at the first row at or after its Start and
// ends at the last row at or before its End.
func (c *Corpus) Add(name string, times []time.Time, scores []float64, windows []Window) error {
	if len(times) != len(scores) {
		return fmt.Errorf("%s: %d timestamps but %d scores", name, len(times), len(scores))
	}
	for i, s := range scores {
		if math.IsNaN(s) {
			return fmt.Errorf("%s: row %d: anomaly score is NaN", name, i+1)
		}
	}
	type span struct{ left, right int }
	spans := make([]span, 0, len(windows))
	for k, w := range windows {
		// By scanning, not searching: real files repeat timestamps and
		// now and then step back. A window runs from the first row at or
		// after its start to the last row at or before its end.
		left, right := len(times), -1
		for i, t := range times {
			if left == len(times) && !t.Before(w.Start) {
				left = i
			}
			if !t.After(w.End) {
				right = i
			}
		}
		if left > right {
			return fmt.Errorf("%s: window %d (%s to %s) holds no row", name, k+1, w.Start, w.End)
		}
		if len(spans) > 0 && left <= spans[len(spans)-1].right {
			return fmt.Errorf("%s: window %d overlaps the one before", name, k+1)
		}
		spans = append(spans, span{left, right})
	}

	f := fileSpan{name: name, start: len(c.rows)}
	probation := ProbationLength(len(times))
	next := 0 // next window
	cur := -1 // current window index in spans, -1 outside
	prev := -1
	for i, s := range scores {
		if cur < 0 && next < len(spans) && i == spans[next].left {
			cur = next
			next++
		}
		var r row
		r.score = s
		r.window = -1
		if cur >= 0 {
			width := float64(spans[cur].right - spans[cur].left + 1)
			r.unweighted = scaledSigmoid(-float64(spans[cur].right-i+1) / width)
			r.window = c.windows + cur
		} else if prev < 0 {
			r.unweighted = -1
		} else {
			width := float64(spans[prev].right - spans[prev].left + 1)
			r.unweighted = scaledSigmoid(math.Abs(float64(spans[prev].right-i)) / (width - 1))
		}
		if i >= probation {
			c.rows = append(c.rows, r)
		}
		if cur >= 0 && i == spans[cur].right {
			prev, cur = cur, -1
		}
	}
	for k := range spans {
		f.windows = append(f.windows, c.windows+k)
	}
	c.windows += len(spans)
	f.end = len(c.rows)
	c.files = append(c.files, f)
	c.sorted = nil
	return nil
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// scaledSigmoid is NAB's weight for a row at relative position y: about 1
// at a window's left edge (y = -1), 0 at its right edge, about -1 one
// width past it, and -1 beyond 3 widths.
func scaledSigmoid(y float64) float64 {
	if y > 3 {
		return -1
	}
	return 2*sigmoid(-5*y) - 1
}

// Result is the score at one threshold.
type Result struct {
	Threshold float64
	// Raw is the sum of the rows' weighted scores; Normalized maps it so
	// that null = 0 and perfect = 100.
	Raw, Normalized float64
	// TP and FP count detected rows in and out of windows; TN and FN the
	// undetected ones (NAB's counts: rows, not windows).
	TP, TN, FP, FN int
	// Detected is the number of windows with at least one detection.
	Detected int
}

// Normalize maps a raw score over windows windows so that the null detector
// scores 0 and the perfect one 100.
func Normalize(raw float64, windows int, c Costs) float64 {
	null := -c.FN * float64(windows)
	perfect := c.TP * float64(windows)
	if perfect == null {
		return 0
	}
	return 100 * (raw - null) / (perfect - null)
}

// ErrEmpty is returned when a corpus has no scorable row.
var ErrEmpty = errors.New("nab: no scorable rows")

// Sweep returns the score at every distinct anomaly score of the corpus,
// from the highest threshold down. The first entry, at threshold 1.1, has
// no detection.
func (c *Corpus) Sweep(costs Costs) []Result {
	return sweep(c.rows, c.order(), c.windows, costs, nil)
}

// At scores the corpus at one threshold: rows with a score at or above it
// are detections.
func (c *Corpus) At(costs Costs, threshold float64) Result {
	var res Result
	first := true
	sweep(c.rows, c.order(), c.windows, costs, func(r Result) bool {
		if !first && r.Threshold < threshold {
			return false
		}
		first = false
		res = r
		res.Threshold = threshold
		return true
	})
	return res
}

// Optimize returns the threshold with the highest raw score (the highest
// such threshold on ties), as NAB's optimizer does.
func (c *Corpus) Optimize(costs Costs) Result {
	var best Result
	first := true
	sweep(c.rows, c.order(), c.windows, costs, func(r Result) bool {
		if first || r.Raw > best.Raw {
			best, first = r, false
		}
		return true
	})
	return best
}

// FileResult is one file's score at a threshold.
type FileResult struct {
	File string
	Result
	// RawV1 is Raw summed in the order NAB 1.0's scorer used (true
	// positives, then false positives in row order, then misses) rather
	// than its sweeper's. The two agree but for the last bits; NAB's older
	// published result rows (those whose Total_Count includes the
	// probation rows) were summed this way.
	RawV1 float64
}

// PerFile scores each file alone at threshold, as NAB's per-file
// *_scores.csv rows do.
func (c *Corpus) PerFile(costs Costs, threshold float64) []FileResult {
	out := make([]FileResult, 0, len(c.files))
	for _, f := range c.files {
		sub := Corpus{rows: c.rows[f.start:f.end]}
		// Renumber windows from 0 for the file alone.
		base := 0
		if len(f.windows) > 0 {
			base = f.windows[0]
		}
		rows := make([]row, len(sub.rows))
		for i, r := range sub.rows {
			if r.window >= 0 {
				r.window -= base
			}
			rows[i] = r
		}
		sub.rows, sub.windows = rows, len(f.windows)
		out = append(out, FileResult{File: f.name, Result: sub.At(costs, threshold), RawV1: rawV1(rows, len(f.windows), costs, threshold)})
	}
	return out
}

// rawV1 sums a file's score at threshold in NAB 1.0's order.
func rawV1(rows []row, windows int, costs Costs, threshold float64) float64 {
	maxTP := scaledSigmoid(-1)
	first := make([]float64, windows)
	seen := make([]bool, windows)
	present := make([]bool, windows)
	fp := 0.0
	for _, r := range rows {
		if r.window >= 0 {
			present[r.window] = true
		}
		if r.score < threshold {
			continue
		}
		if r.window < 0 {
			fp += r.unweighted * costs.FP
		} else if !seen[r.window] {
			seen[r.window] = true
			first[r.window] = r.unweighted * costs.TP / maxTP
		}
	}
	tp, fn := 0.0, 0.0
	for w := range windows {
		switch {
		case seen[w]:
			tp += first[w]
		case present[w]:
			fn += -costs.FN
		}
	}
	return tp + fp + fn
}

// order returns the rows sorted by score, highest first, ties in row order.
func (c *Corpus) order() []int {
	if c.sorted == nil || len(c.sorted) != len(c.rows) {
		c.sorted = make([]int, len(c.rows))
		for i := range c.sorted {
			c.sorted[i] = i
		}
		sort.SliceStable(c.sorted, func(a, b int) bool {
			return c.rows[c.sorted[a]].score > c.rows[c.sorted[b]].score
		})
	}
	return c.sorted
}

// sweep walks the thresholds from the top down, calling visit with the
// result at each one until visit returns false, and returns them all when
// visit is nil. It follows NAB's calcScoreByThreshold step by step,
// including the order in which the parts are summed, so that raw scores
// match NAB's to the last bit.
func sweep(rows []row, order []int, windows int, costs Costs, visit func(Result) bool) []Result {
	maxTP := scaledSigmoid(-1)
	// parts[0] is the false-positive sum; parts[1+k] is the best score of
	// the k-th window in the order windows first appear in the sorted
	// rows (the insertion order of NAB's dict).
	slot := make([]int, windows)
	for i := range slot {
		slot[i] = -1
	}
	parts := []float64{0}
	for _, i := range order {
		if w := rows[i].window; w >= 0 && slot[w] < 0 {
			slot[w] = len(parts)
			parts = append(parts, -costs.FN)
		}
	}
	// Windows whose every row is in the probation period never appear:
	// NAB does not count them either.
	var (
		out       []Result
		tp, fp    int
		tn, fn    int
		detected  int
		hit       = make([]bool, windows)
		threshold = 1.1
	)
	for _, r := range rows {
		if r.window >= 0 {
			fn++
		} else {
			tn++
		}
	}
	emit := func() bool {
		sum := 0.0
		for _, p := range parts {
			sum += p
		}
		res := Result{Threshold: threshold, Raw: sum, TP: tp, TN: tn, FP: fp, FN: fn, Detected: detected}
		res.Normalized = Normalize(sum, len(parts)-1, costs)
		if visit != nil {
			return visit(res)
		}
		out = append(out, res)
		return true
	}
	for _, i := range order {
		r := rows[i]
		if r.score != threshold {
			if !emit() {
				return out
			}
			threshold = r.score
		}
		if r.window >= 0 {
			tp++
			fn--
			weighted := r.unweighted * costs.TP / maxTP
			if s := slot[r.window]; weighted > parts[s] {
				parts[s] = weighted
			}
			if !hit[r.window] {
				hit[r.window] = true
				detected++
			}
		} else {
			fp++
			tn--
			parts[0] += r.unweighted * costs.FP
		}
	}
	emit()
	return out
}
