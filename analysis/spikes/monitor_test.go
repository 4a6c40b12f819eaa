package spikes

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// seriesRecorder is the in-memory store, recording the series asked of it.
type seriesRecorder struct {
	*memstore.Store
	mu      sync.Mutex
	queries []earshot.SeriesQuery
}

func (r *seriesRecorder) Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	r.mu.Lock()
	r.queries = append(r.queries, q)
	r.mu.Unlock()
	return r.Store.Series(ctx, q)
}

// outageSeries stores days of posts about acme on twitter with a daily
// rhythm (about 4 posts a minute by day, under 1 at night, a quarter of
// them negative) and an outage at outage: 30 posts a minute, 80%
// negative, for two hours.
func outageSeries(t *testing.T, start time.Time, days int, outage time.Time) *seriesRecorder {
	t.Helper()
	var posts []earshot.Post
	for i := range days * 24 * 60 {
		at := start.Add(time.Duration(i) * time.Minute)
		h := float64(at.Hour()) + float64(at.Minute())/60
		rate := 0.6 + 3.4*math.Max(0, math.Sin((h-6)/24*2*math.Pi))
		// A deterministic jitter: quasi-random counts around the rate.
		n := int64(rate + 0.999*math.Abs(math.Sin(float64(i)*12.9898)))
		neg := n / 4
		if !at.Before(outage) && at.Before(outage.Add(2*time.Hour)) {
			n, neg = 30, 24
		}
		for j := range n {
			p := earshot.Post{ID: fmt.Sprintf("twitter:%d-%d", i, j), Source: "twitter", Kind: earshot.KindPost,
				Text: "acme", CreatedAt: at, CollectedAt: at, Watches: []string{"acme"},
				Sentiment: earshot.Sentiment{Score: 0.5, Label: earshot.Positive}}
			if j < neg {
				p.Sentiment = earshot.Sentiment{Score: -0.7, Label: earshot.Negative}
			}
			posts = append(posts, p)
		}
	}
	st := memstore.New()
	if err := st.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	return &seriesRecorder{Store: st}
}

func TestMonitorFindsTheOutageEarly(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	outage := start.Add(8*24*time.Hour + 14*time.Hour + 7*time.Minute)
	store := outageSeries(t, start, 10, outage)
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
	spikes, err := store.Spikes(t.Context(), time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var saved earshot.Spike
	for _, s := range spikes {
		if s.ID == first.ID {
			saved = s
		}
	}
	if saved.ID == "" || saved.End.IsZero() || saved.Observed <= saved.Expected {
		t.Errorf("stored spike = %+v (want closed, observed above expected)", saved)
	}
	negSpike := false
	for _, s := range spikes {
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
