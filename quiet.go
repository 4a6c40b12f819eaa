package earshot

import (
	"context"
	"time"
)

// QuietPeriod says whether promotional posts (launches, offers, cheerful
// campaigns) should still wait after an incident, until when, and why:
// until the negative share is back near its usual level and the
// incident's open follow-ups are few.
type QuietPeriod struct {
	IncidentID string `json:"incident_id"`
	// Quiet is true while promotional posts should wait.
	Quiet bool `json:"quiet"`
	// Until is when they may resume; zero while that is not known yet
	// (a condition is still unmet).
	Until time.Time `json:"until,omitzero"`
	// Action says what to do, in one sentence; Evidence the numbers.
	Action   string   `json:"action"`
	Evidence []string `json:"evidence"`

	// BaselineShare is the usual negative share (before the incident),
	// over BaselineScored posts; BaselineKnown is false when there were
	// too few.
	BaselineShare  float64 `json:"baseline_share"`
	BaselineScored int64   `json:"baseline_scored"`
	BaselineKnown  bool    `json:"baseline_known"`
	// PeakShare is the highest hourly negative share since the incident
	// began, in the hour starting PeakAt.
	PeakShare float64   `json:"peak_share"`
	PeakAt    time.Time `json:"peak_at,omitzero"`
	// CurrentShare is the negative share of the latest judged hour,
	// starting CurrentAt, over CurrentScored posts.
	CurrentShare  float64   `json:"current_share"`
	CurrentScored int64     `json:"current_scored"`
	CurrentAt     time.Time `json:"current_at,omitzero"`
	// RecoveredAt is when the share came back near the baseline for
	// good (the end of the first hour from which every judged hour was);
	// zero when it has not.
	RecoveredAt time.Time `json:"recovered_at,omitzero"`
	// OpenFollowUps counts the incident's follow-ups open now;
	// FollowUpsClearedAt is when their count fell to MaxOpenFollowUps
	// (the incident's start when it never rose above).
	OpenFollowUps      int       `json:"open_follow_ups"`
	MaxOpenFollowUps   int       `json:"max_open_follow_ups"`
	FollowUpsClearedAt time.Time `json:"follow_ups_cleared_at,omitzero"`
}

// QuietAdvisor recommends the quiet period after an incident.
type QuietAdvisor interface {
	// QuietPeriod computes inc's quiet period as it stands at now.
	QuietPeriod(ctx context.Context, inc Incident, now time.Time) (QuietPeriod, error)
}
