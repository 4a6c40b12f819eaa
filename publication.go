package earshot

import (
	"context"
	"time"
)

// Publication is one update comms published (or asked to publish) about
// an incident on one channel: the status page, a social account, a Slack
// announcement channel. Every attempt is kept: who, when, where, and the
// address the channel returned.
type Publication struct {
	ID         string `json:"id"`
	IncidentID string `json:"incident_id"`
	// Channel is where it goes: "statuspage", "mastodon", "bluesky", "x"
	// or "slack".
	Channel string `json:"channel"`
	// Phase is the incident's phase the text speaks for: investigating,
	// identified, monitoring, resolved or postmortem.
	Phase string `json:"phase"`
	Text  string `json:"text"`
	// State: "pending" (waiting for a second person's approval),
	// "published" or "failed".
	State string `json:"state"`
	// By is who asked for it; ApprovedBy who approved it, when approval
	// is required.
	By         string `json:"by"`
	ApprovedBy string `json:"approved_by,omitempty"`
	// RemoteID and URL are what the channel returned; ReplyTo is the
	// RemoteID of the post this one answers (a thread).
	RemoteID  string    `json:"remote_id,omitempty"`
	URL       string    `json:"url,omitempty"`
	ReplyTo   string    `json:"reply_to,omitempty"`
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// PublishedAt is zero until the channel accepted it.
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// PublicationStore keeps the publications about incidents.
type PublicationStore interface {
	// SavePublication creates or replaces the publication with p.ID.
	SavePublication(ctx context.Context, p Publication) error
	// Publications returns an incident's publications, oldest first.
	Publications(ctx context.Context, incidentID string) ([]Publication, error)
}
