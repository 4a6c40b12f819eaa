package spikes

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// minuteStore is a fake PostStore answering Series from per-minute counts
// of one watch on one source, and a fake SpikeStore keeping the latest
// version of each spike.
type minuteStore struct {
	earshot.PostStore
	count, negative map[time.Time]int64
	mu              sync.Mutex
	spikes          map[string]earshot.Spike
	queries         []earshot.SeriesQuery
}

func (f *minuteStore) Series(_ context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	f.queries = append(f.queries, q)
	key := map[earshot.GroupBy]string{earshot.GroupNone: "", earshot.GroupWatch: "acme", earshot.GroupSource: "twitter"}[q.GroupBy]
	var out []earshot.Bucket
	for t := q.From; t.Before(q.To); t = t.Add(time.Minute) {
		if n := f.count[t]; n > 0 {
			neg := f.negative[t]
			out = append(out, earshot.Bucket{Start: t, Key: key, Count: n, Scored: n, Negative: neg, Positive: n - neg,
				MeanSentiment: (float64(n-neg)*0.5 - float64(neg)*0.7) / float64(n)})
		}
	}
	return out, nil
}

func (f *minuteStore) SaveSpike(_ context.Context, s earshot.Spike) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.spikes[s.ID] = s
	return nil
}

func (f *minuteStore) Spikes(context.Context, time.Time, time.Time) ([]earshot.Spike, error) {
	return nil, nil
}

// outageSeries builds days of minute counts with a daily rhythm (about 4
// posts a minute by day, under 1 at night, a quarter of them negative) and
// an outage at outage: 30 posts a minute, 80% negative, for two hours.
func outageSeries(start time.Time, days int, outage time.Time) *minuteStore {
	f := &minuteStore{count: map[time.Time]int64{}, negative: map[time.Time]int64{}, spikes: map[string]earshot.Spike{}}
	for i := range days * 24 * 60 {
		t := start.Add(time.Duration(i) * time.Minute)
		h := float64(t.Hour()) + float64(t.Minute())/60
		rate := 0.6 + 3.4*math.Max(0, math.Sin((h-6)/24*2*math.Pi))
		// A deterministic jitter: quasi-random counts around the rate.
		n := int64(rate + 0.999*math.Abs(math.Sin(float64(i)*12.9898)))
		neg := n / 4
		if !t.Before(outage) && t.Before(outage.Add(2*time.Hour)) {
			n, neg = 30, 24
		}
		f.count[t], f.negative[t] = n, neg
	}
	return f
}

func TestMonitorFindsTheOutageEarly(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	outage := start.Add(8*24*time.Hour + 14*time.Hour + 7*time.Minute)
	store := outageSeries(start, 10, outage)
	clock := start.Add(5 * 24 * time.Hour)
	m := NewMonitor(store, store, MonitorOptions{Now: func() time.Time { return clock }, History: 5 * 24 * time.Hour})

	var events []Event
	for ; clock.Before(start.Add(10 * 24 * time.Hour)); clock = clock.Add(time.Hour) {
		evs, err := m.Step(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, evs...)
	}
	var first *earshot.Spike
	for _, ev := range events {
		if ev.Kind != Opened {
			continue
		}
		if ev.Spike.Start.Before(outage.Add(-30 * time.Minute)) {
			t.Errorf("false alarm: %s spike on %v at %s, before the outage", ev.Spike.Metric, ev.Spike.Scope, ev.Spike.Start)
		}
		if ev.Spike.Scope == (earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}) && ev.Spike.Metric == earshot.MetricVolume && first == nil {
			s := ev.Spike
			first = &s
		}
	}
	if first == nil {
		t.Fatalf("no volume spike on the watch; events: %+v", events)
	}
	if d := first.Start.Sub(outage); d < -5*time.Minute || d > 15*time.Minute {
		t.Errorf("spike starts %s after the outage, want within its first buckets", d)
	}
	saved, ok := store.spikes[first.ID]
	if !ok || saved.End.IsZero() || saved.Observed <= saved.Expected {
		t.Errorf("stored spike = %+v (want closed, observed above expected)", saved)
	}
	negSpike := false
	for _, s := range store.spikes {
		if s.Metric == earshot.MetricNegativeShare && s.Scope.Kind == earshot.ScopeWatch {
			negSpike = true
		}
	}
	if !negSpike {
		t.Error("no negative-share spike on the watch during an outage that is 80% negative")
	}
	// Three groupings × the scopes found, two metrics each.
	if m.Tracked() != 6 {
		t.Errorf("tracking %d series, want 6 (all, watch, source × 2 metrics)", m.Tracked())
	}
	// Each Step makes three queries and reads on from where the last ended.
	for i := 3; i < len(store.queries); i++ {
		if !store.queries[i].From.Equal(store.queries[i-3].To) {
			t.Fatalf("query %d reads from %s, the step before ended at %s", i, store.queries[i].From, store.queries[i-3].To)
		}
	}
}

func TestRebucket(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	got := rebucket([]earshot.Bucket{
		{Start: t0.Add(1 * time.Minute), Count: 2, Scored: 2, Negative: 1, MeanSentiment: -0.5},
		{Start: t0.Add(3 * time.Minute), Count: 3, Scored: 2, Negative: 0, MeanSentiment: 0.5},
		{Start: t0.Add(6 * time.Minute), Count: 1, Scored: 0},
	}, 5*time.Minute)
	if len(got) != 2 || got[0].Count != 5 || got[0].Scored != 4 || got[0].Negative != 1 || got[0].MeanSentiment != 0 {
		t.Fatalf("rebucket = %+v", got)
	}
	if !got[1].Start.Equal(t0.Add(5*time.Minute)) || got[1].Count != 1 || got[1].MeanSentiment != 0 {
		t.Errorf("second bucket = %+v", got[1])
	}
}
