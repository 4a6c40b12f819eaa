package spikes

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/earshot/earshot"
)

// MonitorOptions tune a Monitor. Zero fields take the defaults named.
type MonitorOptions struct {
	// Bucket is the detection bucket: a whole number of minutes (5m).
	Bucket time.Duration
	// Lag is how long after a bucket ends it is read, so late posts are in
	// (2m).
	Lag time.Duration
	// History is how far back the first Step reads, to learn the rhythm
	// before judging the present (14 days).
	History time.Duration
	// Metrics are the series followed for every scope (volume and negative
	// share).
	Metrics []earshot.Metric
	// Config returns the detector configuration for a metric
	// (ConfigFor); its Bucket is set by the Monitor.
	Config func(earshot.Metric) Config
	Log    *slog.Logger
	Now    func() time.Time
}

func (o *MonitorOptions) defaults() {
	if o.Bucket <= 0 {
		o.Bucket = 5 * time.Minute
	}
	o.Bucket = max(time.Minute, o.Bucket.Truncate(time.Minute))
	if o.Lag <= 0 {
		o.Lag = 2 * time.Minute
	}
	if o.History <= 0 {
		o.History = 14 * 24 * time.Hour
	}
	if len(o.Metrics) == 0 {
		o.Metrics = []earshot.Metric{earshot.MetricVolume, earshot.MetricNegativeShare}
	}
	if o.Config == nil {
		o.Config = ConfigFor
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Monitor runs the detectors continuously on what a store holds: every
// scope (all posts, each watch, each source) and every metric, one Series
// each. Each Step reads the buckets completed since the last one, feeds
// them in time order, and saves every spike that opens, grows or closes.
// It is not safe for concurrent use; Run calls Step on a timer.
type Monitor struct {
	posts  earshot.PostStore
	spikes earshot.SpikeStore
	opts   MonitorOptions
	series map[seriesKey]*Series
	done   time.Time // end of the last bucket fed
}

type seriesKey struct {
	scope  earshot.Scope
	metric earshot.Metric
}

// NewMonitor returns a monitor reading posts and writing spikes.
func NewMonitor(posts earshot.PostStore, spikes earshot.SpikeStore, opts MonitorOptions) *Monitor {
	opts.defaults()
	return &Monitor{posts: posts, spikes: spikes, opts: opts, series: map[seriesKey]*Series{}}
}

// Run calls Step once per bucket until ctx ends, logging failures (a
// failed Step is retried from where it stopped).
func (m *Monitor) Run(ctx context.Context) {
	t := time.NewTicker(m.opts.Bucket)
	defer t.Stop()
	for {
		if _, err := m.Step(ctx); err != nil && ctx.Err() == nil {
			m.opts.Log.Warn("detecting spikes", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Step feeds every bucket completed since the last Step (the first one
// reads History) and returns the spike events, in time order, after saving
// their spikes.
func (m *Monitor) Step(ctx context.Context) ([]Event, error) {
	end := m.opts.Now().Add(-m.opts.Lag).UTC().Truncate(m.opts.Bucket)
	start := m.done
	if start.IsZero() {
		start = end.Add(-m.opts.History)
	}
	if !start.Before(end) {
		return nil, nil
	}
	byScope := map[earshot.Scope][]earshot.Bucket{}
	for _, g := range []struct {
		group earshot.GroupBy
		kind  earshot.ScopeKind
	}{{earshot.GroupNone, earshot.ScopeAll}, {earshot.GroupWatch, earshot.ScopeWatch}, {earshot.GroupSource, earshot.ScopeSource}} {
		buckets, err := m.posts.Series(ctx, earshot.SeriesQuery{From: start, To: end, Bucket: time.Minute, GroupBy: g.group})
		if err != nil {
			return nil, fmt.Errorf("reading %s series: %w", g.kind, err)
		}
		for _, b := range buckets {
			scope := earshot.Scope{Kind: g.kind, Value: b.Key}
			byScope[scope] = append(byScope[scope], b)
		}
	}
	// Every scope seen before is fed up to the end, posts or not, so a
	// quiet scope still closes its spike.
	for k := range m.series {
		if _, ok := byScope[k.scope]; !ok {
			byScope[k.scope] = nil
		}
	}

	var events []Event
	last := end.Add(-m.opts.Bucket)
	for scope, minutes := range byScope {
		buckets := rebucket(minutes, m.opts.Bucket)
		if len(buckets) == 0 || buckets[len(buckets)-1].Start.Before(last) {
			buckets = append(buckets, earshot.Bucket{Start: last, Key: scope.Value})
		}
		for _, metric := range m.opts.Metrics {
			s := m.seriesFor(scope, metric)
			for _, b := range buckets {
				_, evs := s.Observe(b)
				events = append(events, evs...)
			}
		}
	}
	slices.SortStableFunc(events, func(a, b Event) int { return eventTime(a).Compare(eventTime(b)) })
	for _, ev := range events {
		if err := m.spikes.SaveSpike(ctx, ev.Spike); err != nil {
			return events, fmt.Errorf("saving spike %s: %w", ev.Spike.ID, err)
		}
	}
	m.done = end
	return events, nil
}

func (m *Monitor) seriesFor(scope earshot.Scope, metric earshot.Metric) *Series {
	k := seriesKey{scope, metric}
	s := m.series[k]
	if s == nil {
		cfg := m.opts.Config(metric)
		cfg.Bucket = m.opts.Bucket
		s = NewSeries(scope, metric, cfg)
		m.series[k] = s
	}
	return s
}

// Tracked returns how many series the monitor follows.
func (m *Monitor) Tracked() int { return len(m.series) }

func eventTime(e Event) time.Time {
	if e.Kind == Closed && !e.Spike.End.IsZero() {
		return e.Spike.End
	}
	return e.Spike.Peak
}

// rebucket sums minute buckets (ordered by start) into buckets of width w:
// counts add, the mean sentiment is weighted by the scored posts.
func rebucket(minutes []earshot.Bucket, w time.Duration) []earshot.Bucket {
	var out []earshot.Bucket
	var sum float64
	for _, b := range minutes {
		start := b.Start.Truncate(w)
		if len(out) == 0 || !out[len(out)-1].Start.Equal(start) {
			if len(out) > 0 {
				finishMean(&out[len(out)-1], sum)
			}
			out = append(out, earshot.Bucket{Start: start, Key: b.Key})
			sum = 0
		}
		o := &out[len(out)-1]
		o.Count += b.Count
		o.Scored += b.Scored
		o.Negative += b.Negative
		o.Positive += b.Positive
		sum += b.MeanSentiment * float64(b.Scored)
	}
	if len(out) > 0 {
		finishMean(&out[len(out)-1], sum)
	}
	return out
}

func finishMean(b *earshot.Bucket, sum float64) {
	if b.Scored > 0 {
		b.MeanSentiment = sum / float64(b.Scored)
	}
}
