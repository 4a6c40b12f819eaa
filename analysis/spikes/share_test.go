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

// TestShareFirstVisitPooled: a share's daily slot starts from every post of
// its hour's first visit, not from the one bucket that passes the volume
// guard. On the first day, 05:00 holds one bucket of 12 posts with no
// negative one and eleven of 8 posts at the usual quarter; the next day the
// hour is expected at about the quarter (its hundred posts hold 22%), not at
// none, and an ordinary 05:00 bucket raises little.
func TestShareFirstVisitPooled(t *testing.T) {
	cfg := ConfigFor(earshot.MetricNegativeShare)
	cfg.Bucket = bucket
	d := NewDetector(cfg)
	for i := range index(at(1, 5, 0)) {
		tm := at(0, 0, 5*i)
		n, k := 12.0, 3.0
		if tm.Hour() == 5 {
			n, k = 8, 2
			if tm.Minute() == 0 {
				n, k = 12, 0
			}
		}
		d.Observe(tm, k/n, n)
	}
	p := d.Observe(at(1, 5, 0), 4.0/12, 12)
	if p.Expected < 0.15 {
		t.Errorf("05:00 on the second day expected at %.3f negative, want about the hour's pooled 0.22 (over 0.15)", p.Expected)
	}
	if p.Severity >= 0.3 {
		t.Errorf("4 negative of 12 at 05:00 scores severity %.2f, want under 0.3", p.Severity)
	}
}

// TestShareSpanForgets: hours after an outage, ten minutes of a few more
// negative posts than usual (3 of 12 against about 5%, twice) does not revive the
// outage's memory in the longer spans: no bucket reaches the threshold,
// as none does on the same series without the outage.
func TestShareSpanForgets(t *testing.T) {
	cfg := ConfigFor(earshot.MetricNegativeShare)
	cfg.Bucket = bucket
	outage := at(12, 14, 0)
	blip := at(12, 19, 0)
	for seed := uint64(1); seed <= 8; seed++ {
		for _, with := range []bool{true, false} {
			var times []time.Time
			var shares, counts []float64
			if with {
				times, shares, counts = shareDay(seed, outage)
			} else {
				times, shares, counts = shareDay(seed)
			}
			d := NewDetector(cfg)
			for i, tm := range times {
				if s := tm.Sub(blip); s >= 0 && s < 2*bucket {
					shares[i], counts[i] = 3.0/12, 12
				}
				p := d.Observe(tm, shares[i], counts[i])
				if s := tm.Sub(blip); s >= 0 && s < time.Hour && p.Severity >= cfg.Threshold {
					t.Errorf("seed %d (outage %v): %s, 3 negative of 12, severity %.2f, want under %.2f", seed, with, tm.Format("15:04"), p.Severity, cfg.Threshold)
				}
			}
		}
	}
}
