package spikes

import (
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestTracker(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Threshold, cfg.CloseBelow = 0.6, 0.4
	cfg.MinDuration, cfg.CloseAfter = 10*time.Minute, 10*time.Minute
	scope := earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}
	// Severity per 5-minute bucket from t0.
	sev := []float64{
		0.1, 0.7, 0.2, // a blip shorter than MinDuration: no spike
		0.1, 0.65, 0.7, 0.9, 0.5, 0.3, 0.45, 0.2, 0.1, 0.1, 0.1, // a spike: opens at 0.7, peaks at 0.9, a dip is bridged, closes
		0.1,
	}
	tr := NewTracker(scope, earshot.MetricVolume, 0, cfg)
	var events []Event
	for i, s := range sev {
		p := Point{Time: t0.Add(time.Duration(i) * bucket), Severity: s, Observed: 100 * s, Expected: 10}
		if ev, ok := tr.Observe(p); ok {
			events = append(events, ev)
		}
	}
	kinds := []EventKind{Opened, Updated, Closed}
	if len(events) != len(kinds) {
		t.Fatalf("events %+v, want %v", events, kinds)
	}
	for i, k := range kinds {
		if events[i].Kind != k {
			t.Errorf("event %d is %s, want %s", i, events[i].Kind, k)
		}
	}
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * bucket) }
	open, closed := events[0].Spike, events[2].Spike
	if !open.Start.Equal(at(4)) || !open.End.IsZero() {
		t.Errorf("opened spike starts %v, ends %v; want start %v, no end", open.Start, open.End, at(4))
	}
	if !closed.Start.Equal(at(4)) || !closed.Peak.Equal(at(6)) || !closed.End.Equal(at(10)) {
		t.Errorf("closed spike %v..%v peak %v; want %v..%v peak %v", closed.Start, closed.End, closed.Peak, at(4), at(10), at(6))
	}
	if closed.Score != 0.9 || closed.Observed != 90 || closed.Expected != 10 || closed.Bucket != bucket {
		t.Errorf("closed spike %+v: want score 0.9, observed 90, expected 10, bucket 5m", closed)
	}
	if closed.ID != open.ID || closed.Scope != scope || closed.Metric != earshot.MetricVolume {
		t.Errorf("spike identity changed or wrong: %+v vs %+v", open, closed)
	}
	if _, ok := tr.Open(); ok {
		t.Error("a spike is still open after closing")
	}
}

// TestTrackerOnDetector runs the detector and tracker together on a
// generated spike.
func TestTrackerOnDetector(t *testing.T) {
	spike := at(10, 15, 0)
	times, values := series(11, 12, withSpikes(8, spike))
	cfg := DefaultConfig()
	d := NewDetector(cfg)
	tr := NewTracker(earshot.Scope{Kind: earshot.ScopeAll}, earshot.MetricVolume, 0, cfg)
	var opened, closed []earshot.Spike
	for i := range times {
		ev, ok := tr.Observe(d.Observe(times[i], values[i], -1))
		switch {
		case !ok:
		case ev.Kind == Opened:
			opened = append(opened, ev.Spike)
		case ev.Kind == Closed:
			closed = append(closed, ev.Spike)
		}
	}
	var found bool
	for _, s := range closed {
		if !s.Start.Before(spike) && s.Start.Before(spike.Add(15*time.Minute)) && !s.End.After(spike.Add(2*time.Hour)) {
			found = true
			if s.Observed < 3*s.Expected {
				t.Errorf("spike observed %.0f vs expected %.0f", s.Observed, s.Expected)
			}
		}
	}
	if !found {
		t.Errorf("no spike opened within 15 minutes of %s and closed after it: %+v", spike, closed)
	}
	if len(opened) > 3 {
		t.Errorf("%d spikes opened on 12 days with one real spike: %+v", len(opened), opened)
	}
}

func TestSeriesFillsGaps(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Bucket = time.Hour
	s := NewSeries(earshot.Scope{Kind: earshot.ScopeAll}, earshot.MetricVolume, cfg)
	// Ten days of 30 posts an hour, stored only every other hour (the
	// store omits empty buckets): the detector must see the zeros.
	for h := 0; h < 240; h += 2 {
		s.Observe(earshot.Bucket{Start: t0.Add(time.Duration(h) * time.Hour), Count: 30})
	}
	if s.det.seen != 239 {
		t.Errorf("detector saw %d buckets, want 239 (gaps filled)", s.det.seen)
	}
	// Then a burst.
	p, events := s.Observe(earshot.Bucket{Start: t0.Add(240 * time.Hour), Count: 400})
	if p.Severity < cfg.Threshold || len(events) != 1 || events[0].Kind != Opened {
		t.Errorf("burst: %+v, events %+v; want a spike opened", p, events)
	}
	if v, n := Value(earshot.MetricNegativeShare, earshot.Bucket{Count: 10, Scored: 8, Negative: 2}); v != 0.25 || n != 8 {
		t.Errorf("negative share %v over %v, want 0.25 over 8", v, n)
	}
}

// TestTrackerConfirm: for a share, a spike only the longer spans raise
// (no bucket over the threshold by itself) opens at its second bucket,
// and a one-bucket blip of that kind opens none; a bucket over the
// threshold by itself opens at once. Other metrics open at once.
func TestTrackerConfirm(t *testing.T) {
	scope := earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}
	type pt struct{ sev, alone float64 }
	opened := func(cfg Config, pts []pt) []int {
		tr := NewTracker(scope, earshot.MetricNegativeShare, bucket, cfg)
		var at []int
		for i, p := range pts {
			if ev, ok := tr.Observe(Point{Time: t0.Add(time.Duration(i) * bucket), Severity: p.sev, Alone: p.alone}); ok && ev.Kind == Opened {
				at = append(at, i)
			}
		}
		return at
	}
	pts := []pt{
		{0.1, 0.1}, {0.9, 0.2}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, {0.1, 0.1}, // a span-only blip
		{0.8, 0.3}, {0.85, 0.3}, {0.1, 0}, {0.1, 0}, {0.1, 0}, {0.1, 0}, {0.1, 0}, {0.1, 0}, {0.1, 0}, // a span-only rise that holds
		{0.95, 0.9}, // a bucket over the threshold by itself
	}
	share := ConfigFor(earshot.MetricNegativeShare)
	if got, want := opened(share, pts), []int{10, 18}; !slices.Equal(got, want) {
		t.Errorf("share: spikes opened at buckets %v, want %v", got, want)
	}
	plain := share
	plain.Proportion = false
	if got, want := opened(plain, pts), []int{1, 9, 18}; !slices.Equal(got, want) {
		t.Errorf("without Proportion: spikes opened at buckets %v, want %v", got, want)
	}
}
