package spikes

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// binomialTail is -log10 P(X >= k) for X ~ Binomial(n, p), summed exactly.
func binomialTail(n, k int, p float64) float64 {
	lp, lq := math.Log(p), math.Log1p(-p)
	lf := func(x int) float64 { v, _ := math.Lgamma(float64(x) + 1); return v }
	var terms []float64
	top := math.Inf(-1)
	for i := k; i <= n; i++ {
		t := lf(n) - lf(i) - lf(n-i) + float64(i)*lp + float64(n-i)*lq
		terms = append(terms, t)
		top = max(top, t)
	}
	var s float64
	for _, t := range terms {
		s += math.Exp(t - top)
	}
	return -(top + math.Log(s)) / math.Ln10
}

// TestCountSurprise: the count test never claims more surprise than the
// exact binomial tail (it is a bound), is close to it for large
// deviations, and is 0 at or under the expected count.
func TestCountSurprise(t *testing.T) {
	for _, c := range []struct {
		n, k int
		p    float64
	}{{43, 16, 0.043}, {23, 4, 0.047}, {10, 3, 0.05}, {200, 30, 0.05}, {60, 60, 0.1}, {30, 5, 0.05}} {
		got, exact := countSurprise(float64(c.n), float64(c.k), c.p*float64(c.n)), binomialTail(c.n, c.k, c.p)
		if got > exact+1e-9 || got < exact-max(1.5, 0.25*exact) {
			t.Errorf("%d of %d at %.3f: %.2f decades, exact tail %.2f", c.k, c.n, c.p, got, exact)
		}
	}
	if u := countSurprise(40, 2, 2); u != 0 {
		t.Errorf("the expected count scores %v, want 0", u)
	}
	if u := countSurprise(0, 0, 0); u != 0 {
		t.Errorf("no posts score %v, want 0", u)
	}
}

// shareDay is a fortnight of negative shares: volume with a daily rhythm,
// about 5% negative with day-to-day wobble beyond binomial noise, and
// outages (complaints at twice the usual volume, 90% negative, for 100
// minutes, fading over an hour).
func shareDay(seed uint64, outages ...time.Time) (times []time.Time, shares, counts []float64) {
	r := rand.New(rand.NewPCG(seed, 11))
	n := 14 * 24 * int(time.Hour/bucket)
	for i := range n {
		at := t0.Add(time.Duration(i) * bucket)
		base := poisson(r, rhythm(at, 40))
		neg := 0.0
		p := 0.05 * math.Exp(0.3*r.NormFloat64())
		for range int(base) {
			if r.Float64() < p {
				neg++
			}
		}
		for _, o := range outages {
			d := at.Sub(o)
			rate := 0.0
			switch {
			case d < 0:
			case d < 15*time.Minute:
				rate = 2 * (0.3 + 0.7*d.Minutes()/15)
			case d < 100*time.Minute:
				rate = 2
			case d < 160*time.Minute:
				rate = 0.6 * math.Exp(-(d.Minutes()-100)/20)
			}
			if rate > 0 {
				c := poisson(r, rhythm(at, 40)*rate)
				base += c
				neg += math.Round(0.9 * c)
			}
		}
		times = append(times, at)
		counts = append(counts, base)
		if base > 0 {
			shares = append(shares, neg/base)
		} else {
			shares = append(shares, 0)
		}
	}
	return times, shares, counts
}

// TestShareSecondOutage: an outage three days after another is flagged
// in its first two buckets, the first one's day not numbing the series, and
// the hours after each outage (from an hour after the last complaints to
// 12 hours after it began) seldom raise anything: a bucket slightly up
// does not borrow the outage's long-span evidence, and a few more negative
// posts among a handful are chance. Over eight generated fortnights, each
// against the same detector without the count test and the clipped daily
// maxima (Proportion false), which flags the second outage later and
// raises the hours after far more often.
func TestShareSecondOutage(t *testing.T) {
	night, day := at(9, 3, 0), at(12, 14, 0)
	cfg := ConfigFor(earshot.MetricNegativeShare)
	cfg.Bucket = bucket
	old := cfg
	old.Proportion = false
	run := func(cfg Config, times []time.Time, shares, counts []float64) (first time.Duration, after int) {
		d := NewDetector(cfg)
		first = -1
		for i := range times {
			p := d.Observe(times[i], shares[i], counts[i])
			if p.Severity < cfg.Threshold {
				continue
			}
			if s := times[i].Sub(day); s >= 0 && s < time.Hour && first < 0 {
				first = s
			}
			for _, o := range []time.Time{night, day} {
				if s := times[i].Sub(o); s >= 220*time.Minute && s < 12*time.Hour {
					after++
				}
			}
		}
		return first, after
	}
	var after, oldAfter int
	var oldLater int
	for seed := uint64(1); seed <= 8; seed++ {
		times, shares, counts := shareDay(seed, night, day)
		first, a := run(cfg, times, shares, counts)
		f0, a0 := run(old, times, shares, counts)
		t.Logf("seed %d: second outage first flagged %v in (%v without), %d buckets over the threshold after the outages (%d without)", seed, first, f0, a, a0)
		if first < 0 || first > bucket {
			t.Errorf("seed %d: the second outage first flagged %v after it began, want one of its first two buckets", seed, first)
		}
		if a > 1 {
			t.Errorf("seed %d: %d buckets over the threshold in the hours after the outages, want at most 1", seed, a)
		}
		after += a
		oldAfter += a0
		if f0 < 0 || f0 > first {
			oldLater++
		}
	}
	if oldAfter < 4*max(after, 1) || oldLater < 4 {
		t.Errorf("without the count test and clipped maxima: %d buckets after the outages (with: %d), the second outage later on %d of 8; the test no longer tests them", oldAfter, after, oldLater)
	}
}
