package link

import (
	"fmt"
	"time"
)

// Weights say how much each signal counts towards a link's confidence.
// They are normalized by their sum, so only their ratios matter.
type Weights struct {
	// Time: how well the incident's open period fits the spike's start,
	// lead and lag allowed for.
	Time float64 `yaml:"time"`
	// Services: whether the incident names the services of the spike's
	// watch.
	Services float64 `yaml:"services"`
	// Terms: how many of the spike's posts use the incident's words.
	Terms float64 `yaml:"terms"`
	// Reasons: how many of the spike's negative posts complain about the
	// kind of problem the incident is (availability, login, performance...).
	Reasons float64 `yaml:"reasons"`
}

// Config tunes linking and alert building. Start from DefaultConfig.
type Config struct {
	// Lead is how long before an incident starts a spike it explains may
	// begin: customers notice before monitoring does (60m).
	Lead time.Duration `yaml:"lead"`
	// Lag is how long after an incident was resolved a spike it explains
	// may begin (30m); an incident resolved longer before explains nothing.
	Lag time.Duration `yaml:"lag"`
	// Aftermath is how long after an incident was resolved a spike whose
	// posts still talk about it is linked to it as its aftermath
	// ("customers still upset after ...", 6h): its time signal is then
	// 0.4, as at Lag, and the confidence the weighted mean of the other
	// three signals, so the posts must agree for the link to hold
	// (MinEvidence). 0 turns it off.
	Aftermath time.Duration `yaml:"aftermath"`
	// Weights of the four signals (time 0.30, services 0.20, terms 0.25,
	// reasons 0.25). With these, time and services alone never reach
	// MinConfidence: a link needs the posts to agree.
	Weights Weights `yaml:"weights"`
	// MinConfidence is the confidence under which an incident is not
	// linked (0.55).
	MinConfidence float64 `yaml:"min_confidence"`
	// MinEvidence is how much the posts must agree with an incident for
	// it to be linked, however well its time and services fit: the
	// weighted mean of the terms and reasons signals (0.25). Under it, the
	// confidence is held under MinConfidence.
	MinEvidence float64 `yaml:"min_evidence"`

	// Baseline is the span before a spike whose posts its terms are
	// compared with (24h).
	Baseline time.Duration `yaml:"baseline"`
	// SpikePosts and BaselinePosts cap the posts read for a spike and for
	// its baseline, newest first (500, 2000).
	SpikePosts    int `yaml:"spike_posts"`
	BaselinePosts int `yaml:"baseline_posts"`

	// NegativeVolume is the share of a volume spike's scored posts that
	// must be negative for it to count as a negative spike (0.5).
	NegativeVolume float64 `yaml:"negative_volume"`
	// OutageShare and OutagePosts: a negative spike with no linked
	// incident is a possible unreported incident when at least
	// OutagePosts of its negative posts, and OutageShare of them, use
	// outage language (0.4, 5).
	OutageShare float64 `yaml:"outage_share"`
	OutagePosts int     `yaml:"outage_posts"`
	// CriticalScore is the spike score from which a negative spike is
	// critical even without an incident to back it (0.95).
	CriticalScore float64 `yaml:"critical_score"`

	// Terms is how many top terms an alert lists (8); a term must appear
	// in MinTermCount of the spike's posts (3) and be MinLift times as
	// frequent as in the baseline (1.5).
	Terms        int     `yaml:"terms"`
	MinTermCount int     `yaml:"min_term_count"`
	MinLift      float64 `yaml:"min_lift"`

	// TimeZone is the IANA zone times are written in, in summaries and
	// reasons ("UTC").
	TimeZone string `yaml:"time_zone"`
}

// DefaultConfig returns the defaults named in Config's field comments.
func DefaultConfig() Config {
	return Config{
		Lead:           60 * time.Minute,
		Lag:            30 * time.Minute,
		Aftermath:      6 * time.Hour,
		Weights:        Weights{Time: 0.30, Services: 0.20, Terms: 0.25, Reasons: 0.25},
		MinConfidence:  0.55,
		MinEvidence:    0.25,
		Baseline:       24 * time.Hour,
		SpikePosts:     500,
		BaselinePosts:  2000,
		NegativeVolume: 0.5,
		OutageShare:    0.4,
		OutagePosts:    5,
		CriticalScore:  0.95,
		Terms:          8,
		MinTermCount:   3,
		MinLift:        1.5,
		TimeZone:       "UTC",
	}
}

// Validate names the first bad key and what is wrong with it.
func (c Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("link.%s: %s", key, fmt.Sprintf(format, args...))
	}
	w := c.Weights
	switch {
	case c.Lead < 0:
		return bad("lead", "must not be negative, got %v", c.Lead)
	case c.Lag < 0:
		return bad("lag", "must not be negative, got %v", c.Lag)
	case c.Aftermath < 0:
		return bad("aftermath", "must not be negative, got %v", c.Aftermath)
	case w.Time < 0 || w.Services < 0 || w.Terms < 0 || w.Reasons < 0:
		return bad("weights", "must not be negative, got %+v", w)
	case w.Time+w.Services+w.Terms+w.Reasons <= 0:
		return bad("weights", "must not all be zero")
	case c.MinConfidence <= 0 || c.MinConfidence > 1:
		return bad("min_confidence", "must be in (0, 1], got %v", c.MinConfidence)
	case c.MinEvidence < 0 || c.MinEvidence > 1:
		return bad("min_evidence", "must be in [0, 1], got %v", c.MinEvidence)
	case c.Baseline <= 0:
		return bad("baseline", "must be positive, got %v", c.Baseline)
	case c.SpikePosts <= 0:
		return bad("spike_posts", "must be positive, got %d", c.SpikePosts)
	case c.BaselinePosts <= 0:
		return bad("baseline_posts", "must be positive, got %d", c.BaselinePosts)
	case c.NegativeVolume <= 0 || c.NegativeVolume > 1:
		return bad("negative_volume", "must be in (0, 1], got %v", c.NegativeVolume)
	case c.OutageShare <= 0 || c.OutageShare > 1:
		return bad("outage_share", "must be in (0, 1], got %v", c.OutageShare)
	case c.OutagePosts < 1:
		return bad("outage_posts", "must be at least 1, got %d", c.OutagePosts)
	case c.CriticalScore <= 0 || c.CriticalScore > 1:
		return bad("critical_score", "must be in (0, 1], got %v", c.CriticalScore)
	case c.Terms < 0:
		return bad("terms", "must not be negative, got %d", c.Terms)
	case c.MinTermCount < 1:
		return bad("min_term_count", "must be at least 1, got %d", c.MinTermCount)
	case c.MinLift < 1:
		return bad("min_lift", "must be at least 1, got %v", c.MinLift)
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return bad("time_zone", "unknown zone %q", c.TimeZone)
	}
	return nil
}
