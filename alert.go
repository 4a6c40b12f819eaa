package earshot

import (
	"context"
	"time"
)

// AlertKind says what an alert reports.
type AlertKind string

// Alert kinds.
const (
	// AlertSpike: customers are talking more, or more negatively, than
	// expected; IncidentID says which incident explains it, if one does.
	AlertSpike AlertKind = "spike"
	// AlertUnreported: a negative spike full of outage language with no
	// incident to explain it: customers noticed before monitoring did.
	AlertUnreported AlertKind = "unreported_incident"
	// AlertResolved: the spike behind an earlier alert is over.
	AlertResolved AlertKind = "resolved"
	// AlertGoingDark: an incident is open and nothing was published about
	// it (an incident update, a publication) for too long: customers are
	// left to tell the story themselves.
	AlertGoingDark AlertKind = "going_dark"
)

// Alert is something comms should know now. Alerts are built from spikes
// by linking (which incident explains it, and why) and carried to people by
// routing and notifiers.
type Alert struct {
	// ID is stable for one spike and kind, so re-raising it replaces it.
	ID      string    `json:"id"`
	Kind    AlertKind `json:"kind"`
	SpikeID string    `json:"spike_id,omitempty"`
	// Watch is the watch the spike was measured on ("" for all posts).
	Watch  string `json:"watch,omitempty"`
	Metric Metric `json:"metric,omitempty"`
	// Severity is "critical", "warning" or "info".
	Severity string `json:"severity"`
	// Labels route the alert (watch, kind, severity, metric, source, ...).
	Labels map[string]string `json:"labels"`
	// IncidentID is the incident that explains the spike, with the link's
	// confidence in [0, 1]; empty when none does.
	IncidentID string  `json:"incident_id,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	// Summary is one line a person can read at a glance.
	Summary string `json:"summary"`
	Why     Why    `json:"why"`
	// StartsAt is when the spike began; EndsAt when it ended (zero while it
	// goes on). At is when the alert was raised, on the data's clock.
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at,omitzero"`
	At       time.Time `json:"at"`
}

// Why answers "why is it spiking?" for an alert.
type Why struct {
	// Terms are the words most over-represented in the spike's posts
	// against the baseline.
	Terms []TermLift `json:"terms,omitempty"`
	// Reasons count the complaint reasons of the spike's negative posts.
	Reasons []Count `json:"reasons,omitempty"`
	// Sources count the spike's posts per source.
	Sources []Count `json:"sources,omitempty"`
	// Posts are up to three representative posts.
	Posts []Post `json:"posts,omitempty"`
	// Link says in words why the incident was (or was not) linked.
	Link string `json:"link,omitempty"`
}

// TermLift is a term and how much more often it appears in a spike than
// in the baseline.
type TermLift struct {
	Term  string  `json:"term"`
	Count int     `json:"count"`
	Lift  float64 `json:"lift"`
}

// Count is a named count and its share of the whole.
type Count struct {
	Name  string  `json:"name"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

// Notification is what routing sends one receiver at once: a group of
// alerts that share the route's group labels.
type Notification struct {
	Receiver string            `json:"receiver"`
	GroupKey string            `json:"group_key"`
	Labels   map[string]string `json:"labels"`
	Alerts   []Alert           `json:"alerts"`
	At       time.Time         `json:"at"`
	// Episode is the conversation the notification belongs to (see
	// Episode); Seq numbers its messages from 1, per receiver, and Update
	// is true for every message after the first: a change to an open
	// conversation, which receivers show in place or in its thread.
	// Empty and zero when episodes are not tracked.
	Episode string `json:"episode,omitempty"`
	Seq     int    `json:"seq,omitempty"`
	Update  bool   `json:"update,omitempty"`
}

// Notifier delivers notifications to one kind of receiver (Slack, a
// webhook, email, PagerDuty).
type Notifier interface {
	// Notify delivers n. When it fails, retry says whether trying again
	// may help (a 5xx or a timeout) or not (a 4xx, a bad address). Errors
	// never carry secrets (tokens in URLs are redacted).
	Notify(ctx context.Context, n Notification) (retry bool, err error)
}

// Delivery is one attempt to deliver a notification.
type Delivery struct {
	ID       string    `json:"id"`
	Receiver string    `json:"receiver"`
	GroupKey string    `json:"group_key"`
	AlertIDs []string  `json:"alert_ids"`
	Attempt  int       `json:"attempt"`
	At       time.Time `json:"at"`
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
}

// AlertStore keeps alerts and every delivery attempt, for the API and the
// weekly count teams tune with.
type AlertStore interface {
	// SaveAlert creates or replaces the alert with a.ID.
	SaveAlert(ctx context.Context, a Alert) error
	// Alerts returns the alerts raised (At) in [from, to), by At then ID.
	Alerts(ctx context.Context, from, to time.Time) ([]Alert, error)
	// SaveDelivery records a delivery attempt (create or replace by ID).
	SaveDelivery(ctx context.Context, d Delivery) error
	// Deliveries returns the attempts made in [from, to), by At then ID.
	Deliveries(ctx context.Context, from, to time.Time) ([]Delivery, error)
}

// IncidentCollector fetches incidents from one place (a status page, a
// status feed), like Collector does posts.
type IncidentCollector interface {
	Name() string
	// CollectIncidents returns the incidents new or changed since cursor,
	// each whole (with all its updates), and the next cursor.
	CollectIncidents(ctx context.Context, cursor string) (incidents []Incident, next string, err error)
}

// PostLinker sets the incident of the posts behind a linked spike.
type PostLinker interface {
	// LinkPosts sets IncidentID on the posts created in [q.From, q.To)
	// matching q's Watch and Source filters, changing nothing else, and
	// returns how many it changed (posts already linked to incidentID are
	// not counted). q.Limit is ignored; "" unlinks. A link annotates the
	// post: it survives re-collection and is not part of the stored
	// ContentHash.
	LinkPosts(ctx context.Context, q PostQuery, incidentID string) (int64, error)
}

// PostLister lists posts, for linking and explaining spikes.
type PostLister interface {
	// Posts returns the posts created in [q.From, q.To) matching q's
	// filters, newest first (ties by ID), at most q.Limit (0: 100), never
	// more than 10,000.
	Posts(ctx context.Context, q PostQuery) ([]Post, error)
}
