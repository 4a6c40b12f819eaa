package spikes

import (
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

// EventKind says what happened to a spike.
type EventKind string

// Event kinds.
const (
	// Opened: the severity held at or above Threshold for MinDuration.
	Opened EventKind = "opened"
	// Updated: an open spike reached a new peak severity.
	Updated EventKind = "updated"
	// Closed: the severity stayed under CloseBelow for CloseAfter; End is set.
	Closed EventKind = "closed"
)

// Event is a change to a spike. Spike is the whole record as it stands,
// ready for SpikeStore.SaveSpike (which replaces by ID).
type Event struct {
	Kind  EventKind
	Spike earshot.Spike
}

// Tracker turns a series of Points into spikes, following their Severity
// (not Score, which fades while a spike lasts), with hysteresis: a spike
// opens when the severity has stayed at or above Threshold for MinDuration,
// grows while the severity stays at or above CloseBelow (short dips are
// bridged), and closes once it has stayed under CloseBelow for CloseAfter.
// It keeps a few words of state.
//
// A Tracker is not safe for concurrent use.
type Tracker struct {
	scope  earshot.Scope
	metric earshot.Metric
	cfg    trackerConfig
	bucket time.Duration

	// pending or open spike
	active   bool
	open     bool
	spike    earshot.Spike
	lastHigh time.Time // start of the last bucket at or above CloseBelow
	last     time.Time
	alone    bool // a bucket of the pending spike reached CloseBelow alone
}

// NewTracker returns a tracker of one scope's metric. bucket is the series'
// bucket width (0: inferred from the first two points).
func NewTracker(scope earshot.Scope, metric earshot.Metric, bucket time.Duration, cfg Config) *Tracker {
	tc := trackerConfig{
		Threshold: cfg.Threshold, CloseBelow: cfg.CloseBelow,
		MinDuration: cfg.MinDuration, CloseAfter: cfg.CloseAfter,
		Confirm: cfg.Proportion,
	}
	return &Tracker{scope: scope, metric: metric, cfg: tc, bucket: bucket}
}

// trackerConfig is the part of Config a Tracker follows (a Tracker is
// kept per series: it does not carry the detector's settings).
type trackerConfig struct {
	Threshold, CloseBelow   float64
	MinDuration, CloseAfter time.Duration
	// Confirm: a spike no bucket of which reached CloseBelow by itself
	// (Point.Alone: the level that keeps a spike open), only with the
	// longer spans, must hold for two buckets (shares: the spans
	// describe a period, and a period is confirmed by its next bucket).
	Confirm bool
}

// Open returns the spike in progress, if one is open.
func (tr *Tracker) Open() (earshot.Spike, bool) {
	if tr.open {
		return tr.spike, true
	}
	return earshot.Spike{}, false
}

// Observe takes the next Point and returns the event it causes, if any.
func (tr *Tracker) Observe(p Point) (Event, bool) {
	if tr.bucket == 0 && !tr.last.IsZero() && p.Time.After(tr.last) {
		tr.bucket = p.Time.Sub(tr.last)
	}
	tr.last = p.Time
	high := p.Severity >= tr.cfg.Threshold
	if !tr.active {
		if !high {
			return Event{}, false
		}
		tr.active, tr.open = true, false
		tr.spike = earshot.Spike{
			ID:     spikeID(tr.scope, tr.metric, p.Time),
			Scope:  tr.scope,
			Metric: tr.metric,
			Start:  p.Time,
			Bucket: tr.bucket,
		}
		tr.peak(p)
		tr.lastHigh = p.Time
		tr.alone = p.Alone >= tr.cfg.CloseBelow
		return tr.maybeOpen(p)
	}

	if !tr.open {
		// Waiting for MinDuration: any bucket under the threshold ends it.
		if !high {
			tr.active = false
			return Event{}, false
		}
		tr.lastHigh = p.Time
		tr.peak(p)
		tr.alone = tr.alone || p.Alone >= tr.cfg.CloseBelow
		return tr.maybeOpen(p)
	}

	if p.Severity >= tr.cfg.CloseBelow {
		tr.lastHigh = p.Time
		if p.Severity > tr.spike.Score {
			tr.peak(p)
			return Event{Kind: Updated, Spike: tr.spike}, true
		}
		return Event{}, false
	}
	if p.Time.Sub(tr.lastHigh) >= tr.cfg.CloseAfter+tr.bucket {
		tr.spike.End = tr.lastHigh.Add(tr.bucket)
		tr.active, tr.open = false, false
		return Event{Kind: Closed, Spike: tr.spike}, true
	}
	return Event{}, false
}

// maybeOpen opens the pending spike once it has lasted MinDuration.
func (tr *Tracker) maybeOpen(p Point) (Event, bool) {
	lasted := p.Time.Add(tr.bucket).Sub(tr.spike.Start)
	if lasted < tr.cfg.MinDuration || tr.cfg.Confirm && !tr.alone && lasted < 2*tr.bucket {
		return Event{}, false
	}
	tr.open = true
	tr.spike.Bucket = tr.bucket
	return Event{Kind: Opened, Spike: tr.spike}, true
}

func (tr *Tracker) peak(p Point) {
	if p.Severity > tr.spike.Score || tr.spike.Peak.IsZero() {
		tr.spike.Peak = p.Time
		tr.spike.Score = p.Severity
		tr.spike.Observed = p.Observed
		tr.spike.Expected = p.Expected
	}
}

// spikeID names a spike by its series and start, so that replays find the
// same spike again.
func spikeID(scope earshot.Scope, metric earshot.Metric, start time.Time) string {
	if scope.Value == "" {
		return fmt.Sprintf("%s:%s:%d", scope.Kind, metric, start.Unix())
	}
	return fmt.Sprintf("%s:%s:%s:%d", scope.Kind, scope.Value, metric, start.Unix())
}
