package spikes

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func newHist(bands int, memory float64) *histogram {
	return &histogram{nb: bands, keep: math.Exp2(-1 / memory)}
}

// TestHistogramRarity: values in the bulk of a series' history are common,
// its tails rarer, and a value beyond anything held scores 1; widening the
// range keeps every value's weight.
func TestHistogramRarity(t *testing.T) {
	h := newHist(32, 3000)
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		h.rarity(100 + 10*r.NormFloat64())
	}
	bulk := h.rarity(100)
	tail := h.rarity(125)
	if bulk > 0.5 || tail <= bulk {
		t.Errorf("rarity of the mean %.2f, of 2.5 sigmas %.2f; want the mean common and the tail rarer", bulk, tail)
	}
	before := 0.0
	for _, w := range h.bands[:h.nb] {
		before += float64(w)
	}
	if got := h.rarity(1000); got != 1 {
		t.Errorf("a value ten times the range scores %.2f, want 1", got)
	}
	after := 0.0
	for _, w := range h.bands[:h.nb] {
		after += float64(w)
	}
	// After widening, the weights moved plus the new value, faded once.
	if want := before*h.keep + 1; math.Abs(after-want) > 1e-3*want {
		t.Errorf("weight %.2f after widening, want %.2f", after, want)
	}
	// The bulk is still common after the range grew tenfold.
	if got := h.rarity(100); got > 0.5 {
		t.Errorf("the mean scores %.2f after the range widened", got)
	}
	// A repeat of the new value is no longer news.
	if got := h.rarity(1000); got >= 0.97 {
		t.Errorf("the second visit to a new value scores %.2f", got)
	}
}

// TestHistogramExtremes: huge, tiny, negative and constant values neither
// panic nor give NaN.
func TestHistogramExtremes(t *testing.T) {
	for _, vals := range [][]float64{
		{0, 0, 0, 0, 1},
		{5, 5, 5, 5, 5},
		{-1e300, 1e300, 0, 1e-300, -5},
		{1e9, 2e9, 1e9, 3e12},
	} {
		h := newHist(32, 100)
		for _, v := range vals {
			if got := h.rarity(v); math.IsNaN(got) || got < 0 || got > 1 {
				t.Errorf("%v: rarity of %g is %v", vals, v, got)
			}
		}
	}
}

// TestRarityBothWays: in the generic settings a drop far below anything
// seen is as rare as a rise, and neither is scored in the warm-up.
func TestRarityBothWays(t *testing.T) {
	times, values := series(3, 10, func(t time.Time) float64 { return rhythm(t, 40) })
	values[index(at(8, 12, 0))] = 500
	values[index(at(9, 12, 0))] = -200
	pts := observeAll(GenericConfig(), times, values)
	for _, when := range []time.Time{at(8, 12, 0), at(9, 12, 0)} {
		if p := pts[index(when)]; p.Rarity < 0.97 {
			t.Errorf("%s: rarity %.2f, want at least 0.97", when.Format("Mon 15:04"), p.Rarity)
		}
	}
	for i, p := range pts[:index(at(1, 0, 0))] {
		if p.Rarity != 0 {
			t.Fatalf("bucket %d in the warm-up has rarity %.2f", i, p.Rarity)
		}
	}
	// Plain rhythm in the second week is rarely rare.
	high := 0
	for _, p := range pts[index(at(7, 0, 0)):index(at(8, 0, 0))] {
		if p.Rarity >= 0.97 {
			high++
		}
	}
	if high > 2 {
		t.Errorf("%d buckets of a plain day score 0.97 or more", high)
	}
}
