package earshot

import (
	"context"
	"time"
)

// SentDigest is one scheduled digest as it was sent: what period it
// covered, to whom it went, and the rendered report, so that /digests shows
// exactly what the recipients got.
type SentDigest struct {
	// ID is stable for one digest and period (name and period end), so a
	// retried send replaces its record rather than adding one.
	ID string `json:"id"`
	// Name is the digest's name in the configuration.
	Name string `json:"name"`
	// From and To bound the period, [From, To).
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// SentAt is when the last delivery attempt ended.
	SentAt time.Time `json:"sent_at"`
	// Format is the attachment's format: html, md or pdf.
	Format  string `json:"format"`
	Subject string `json:"subject"`
	// HTML and Markdown are the digest as rendered for email and Slack.
	HTML     string `json:"html"`
	Markdown string `json:"markdown"`
	// Recipients are the email addresses and Slack receivers it went to.
	Recipients []string `json:"recipients"`
	// OK is true when every recipient got it; Error says what failed.
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// DigestStore keeps the digests sent, for /digests.
type DigestStore interface {
	// SaveDigest creates or replaces the sent digest with d.ID.
	SaveDigest(ctx context.Context, d SentDigest) error
	// SentDigest returns one sent digest, or ErrNotFound.
	SentDigest(ctx context.Context, id string) (SentDigest, error)
	// SentDigests returns the sent digests, newest SentAt first (ties: ID),
	// at most limit of them (0 means 100).
	SentDigests(ctx context.Context, limit int) ([]SentDigest, error)
}
