package earshot

import "time"

// ScopeKind says what a spike was measured over.
type ScopeKind string

// Scope kinds.
const (
	ScopeAll    ScopeKind = "all"
	ScopeWatch  ScopeKind = "watch"
	ScopeSource ScopeKind = "source"
)

// Scope is the slice of posts a series covers: all of them, one watch's or
// one source's.
type Scope struct {
	Kind  ScopeKind `json:"kind"`
	Value string    `json:"value,omitempty"`
}

// Metric names a measured series.
type Metric string

// Metrics.
const (
	MetricVolume        Metric = "volume"
	MetricNegativeShare Metric = "negative_share"
	MetricNetSentiment  Metric = "net_sentiment"
)

// Spike is an anomaly in a series: more posts, or more negative ones, than
// expected.
type Spike struct {
	ID     string `json:"id"`
	Scope  Scope  `json:"scope"`
	Metric Metric `json:"metric"`
	// Start and End bound the buckets in which the score stayed over the
	// threshold; End is zero while the spike goes on. Peak is the start of
	// the bucket with the highest score, where Observed and Expected are
	// read.
	Start    time.Time     `json:"start"`
	Peak     time.Time     `json:"peak"`
	End      time.Time     `json:"end,omitzero"`
	Bucket   time.Duration `json:"bucket"`
	Observed float64       `json:"observed"`
	Expected float64       `json:"expected"`
	// Score is the detector's anomaly score in [0, 1].
	Score float64 `json:"score"`
	// IncidentID is the incident that explains the spike, if one does;
	// LinkConfidence in [0, 1] says how sure the link is.
	IncidentID     string  `json:"incident_id,omitempty"`
	LinkConfidence float64 `json:"link_confidence,omitempty"`
}

// Unexplained reports whether no incident explains the spike: a possible
// unreported incident.
func (s Spike) Unexplained() bool { return s.IncidentID == "" }
