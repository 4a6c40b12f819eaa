package spikes

import (
	"time"

	"github.com/earshot/earshot"
)

// Value reads a metric off a stored bucket: the value, and the volume
// behind it for the volume guards.
//
//   - volume: the post count, over itself;
//   - negative share: negative posts over scored posts;
//   - net sentiment: the mean sentiment of the scored posts.
//
// A ratio with no scored post is 0 over a volume of 0, which the guards
// ignore.
func Value(m earshot.Metric, b earshot.Bucket) (v, n float64) {
	switch m {
	case earshot.MetricNegativeShare:
		if b.Scored == 0 {
			return 0, 0
		}
		return float64(b.Negative) / float64(b.Scored), float64(b.Scored)
	case earshot.MetricNetSentiment:
		if b.Scored == 0 {
			return 0, 0
		}
		return b.MeanSentiment, float64(b.Scored)
	default:
		return float64(b.Count), float64(b.Count)
	}
}

// maxFill bounds the empty buckets Series fills in at once.
const maxFill = 7 * 24 * 60

// Series follows one scope's metric as the store buckets it: a Detector
// and a Tracker, fed earshot.Buckets. It is what the pipeline keeps per
// (scope, metric); about 1 KB.
type Series struct {
	Scope  earshot.Scope
	Metric earshot.Metric
	det    *Detector
	tr     *Tracker
	bucket time.Duration
	last   time.Time
}

// NewSeries returns a series follower. cfg.Bucket must be set: the store's
// bucket width (earshot.SeriesQuery.Bucket).
func NewSeries(scope earshot.Scope, metric earshot.Metric, cfg Config) *Series {
	return &Series{
		Scope: scope, Metric: metric,
		det:    NewDetector(cfg),
		tr:     NewTracker(scope, metric, cfg.Bucket, cfg),
		bucket: cfg.Bucket,
	}
}

// Observe feeds the next bucket. PostStore.Series returns only buckets
// that have posts: the empty buckets since the previous call are fed
// first (as zero posts, up to a week of them). Buckets not after the last
// one fed are ignored. It returns the bucket's Point and the spike events
// it caused, in order.
func (s *Series) Observe(b earshot.Bucket) (Point, []Event) {
	var events []Event
	if !s.last.IsZero() && !b.Start.After(s.last) {
		return Point{Time: b.Start}, nil
	}
	if !s.last.IsZero() && s.bucket > 0 {
		gap := int(b.Start.Sub(s.last)/s.bucket) - 1
		for k := max(0, gap-maxFill); k < gap; k++ {
			t := s.last.Add(time.Duration(k+1) * s.bucket)
			v, n := Value(s.Metric, earshot.Bucket{Start: t})
			if ev, ok := s.tr.Observe(s.det.Observe(t, v, n)); ok {
				events = append(events, ev)
			}
		}
	}
	s.last = b.Start
	v, n := Value(s.Metric, b)
	p := s.det.Observe(b.Start, v, n)
	if ev, ok := s.tr.Observe(p); ok {
		events = append(events, ev)
	}
	return p, events
}

// Open returns the spike in progress, if any.
func (s *Series) Open() (earshot.Spike, bool) { return s.tr.Open() }
