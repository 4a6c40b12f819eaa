package earshot

import (
	"context"
	"time"
)

// SourceHealth is how one collector is doing, for the health API, the
// dashboards and /metrics.
type SourceHealth struct {
	// Collector is the collector's configured name; Kind its type.
	Collector string    `json:"collector"`
	Kind      string    `json:"kind,omitempty"`
	LastRun   time.Time `json:"last_run,omitzero"`
	// LastSuccess is the end of the last run that collected without error
	// (including "nothing new").
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	// Failures counts runs failed in a row; 0 when healthy.
	Failures int `json:"failures"`
	// Backoff is how long the collector waits before its next run.
	Backoff time.Duration `json:"backoff"`
	// PostsLastHour counts posts collected in the hour before UpdatedAt.
	PostsLastHour int64     `json:"posts_last_hour"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Gap is a stretch of time a collector may have missed: a quota, an outage
// or a refused token stopped it. It opens at the last success and closes
// when the collector has caught up.
type Gap struct {
	ID        string    `json:"id"`
	Collector string    `json:"collector"`
	From      time.Time `json:"from"`
	// To is zero while the collector is still stopped.
	To     time.Time `json:"to,omitzero"`
	Reason string    `json:"reason"`
	// FilledAt is when a run collected across the gap; zero while open.
	FilledAt time.Time `json:"filled_at,omitzero"`
}

// Open reports whether the gap is not yet filled.
func (g Gap) Open() bool { return g.FilledAt.IsZero() }

// HealthStore keeps collector health and gaps.
type HealthStore interface {
	// SaveHealth creates or replaces the health of h.Collector.
	SaveHealth(ctx context.Context, h SourceHealth) error
	// Health returns every collector's health, by collector name.
	Health(ctx context.Context) ([]SourceHealth, error)
	// SaveGap creates or replaces the gap with g.ID.
	SaveGap(ctx context.Context, g Gap) error
	// Gaps returns the gaps overlapping [from, to) (an unfilled gap with
	// zero To overlaps everything after From), ordered by From then ID.
	Gaps(ctx context.Context, from, to time.Time) ([]Gap, error)
}

// PostHashStore says which posts a store already holds unchanged, so the
// pipeline skips them before scoring: the same file imported twice stores
// nothing new.
type PostHashStore interface {
	// PostHashes returns, for each of ids that is stored, the ContentHash
	// of its stored version.
	PostHashes(ctx context.Context, ids []string) (map[string]uint64, error)
}
