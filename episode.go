package earshot

import (
	"context"
	"time"
)

// Episode is one conversation with a team about trouble on one watch. The
// first evidence of trouble (a spike or a possible unreported incident, on
// any metric) opens it with one message; everything after (another metric,
// the incident that explains it, a higher severity, the end) updates that
// message or answers in its thread, rather than starting a new
// conversation. A spike linked to the episode's incident as its aftermath
// joins it again after it resolved.
type Episode struct {
	// ID is stable: the watch and the time the episode opened.
	ID    string `json:"id"`
	Watch string `json:"watch"`
	// Kind is the kind of the alert that opened it (spike or
	// unreported_incident).
	Kind AlertKind `json:"kind"`
	// Severity is the highest severity its alerts reached.
	Severity string `json:"severity"`
	// IncidentID is the incident that explains it, once one does.
	IncidentID string `json:"incident_id,omitempty"`
	// Metrics are the metrics that spiked, in the order they did.
	Metrics []Metric `json:"metrics,omitempty"`
	// AlertIDs are the alerts it carries, in the order they joined.
	AlertIDs []string `json:"alert_ids"`
	// Summary is the latest message's first line.
	Summary string `json:"summary"`
	// OpenedAt is when its first message fell due; UpdatedAt its last;
	// ResolvedAt when every alert it carries was over (zero while open).
	OpenedAt   time.Time `json:"opened_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	// Messages counts the messages sent about it, the first included: the
	// last message's sequence number.
	Messages int `json:"messages"`
}

// Open reports whether the episode was still going on at t.
func (e Episode) Open(t time.Time) bool {
	return e.ResolvedAt.IsZero() || e.ResolvedAt.After(t)
}

// EpisodeStore keeps episodes, for the API and for the threads notifiers
// answer in.
type EpisodeStore interface {
	// SaveEpisode creates or replaces the episode with e.ID.
	SaveEpisode(ctx context.Context, e Episode) error
	// Episodes returns the episodes with a message in [from, to) (opened
	// before to, last updated at or after from), by OpenedAt then ID.
	Episodes(ctx context.Context, from, to time.Time) ([]Episode, error)
}

// ThreadStore keeps, per episode and receiver, what the receiver needs to
// answer in the episode's conversation (a Slack message's ts), so updates
// find it after a restart.
type ThreadStore interface {
	// SaveThread sets the reference of episode's conversation on
	// receiver (create or replace).
	SaveThread(ctx context.Context, episode, receiver, ref string) error
	// Thread returns it; "" when none was saved.
	Thread(ctx context.Context, episode, receiver string) (string, error)
}

// Silence mutes the alerts its matchers select between StartsAt and
// EndsAt: planned maintenance, a known issue being handled.
type Silence struct {
	ID string `json:"id"`
	// Matchers select the alerts, as in routes: 'watch="acme"'.
	Matchers  []string  `json:"matchers"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	CreatedBy string    `json:"created_by,omitempty"`
	Comment   string    `json:"comment,omitempty"`
}

// SilenceStore keeps silences, so that the CLI, the API and every serve
// process share them.
type SilenceStore interface {
	// SaveSilence creates or replaces the silence with s.ID.
	SaveSilence(ctx context.Context, s Silence) error
	// Silences returns the silences ending after since (pending, active,
	// and expired since then), by StartsAt then ID.
	Silences(ctx context.Context, since time.Time) ([]Silence, error)
}
