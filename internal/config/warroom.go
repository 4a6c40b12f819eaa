package config

import (
	"fmt"
	"time"
)

// WarRoom configures what comms sees live during an incident: the event
// stream the pages update from (GET /api/v1/events), the going-dark alert
// and the quiet period recommended afterwards.
type WarRoom struct {
	// GoingDark is how long an open incident may go without a public
	// update (an incident update, a publication) before a going_dark
	// alert is routed like other alerts. 0 turns the alert off.
	GoingDark time.Duration `yaml:"going_dark"`
	// Heartbeat is how often an idle event stream gets a keep-alive line.
	Heartbeat time.Duration `yaml:"heartbeat"`
	// MaxClients bounds the live pages open at once; more get 503.
	MaxClients int `yaml:"max_clients"`
	// Buffer is how many of the latest events are kept for pages that
	// reconnect; a page that missed more reloads.
	Buffer int `yaml:"buffer"`
	// QuietPeriod tunes the recommendation of when promotional posts may
	// resume after an incident.
	QuietPeriod QuietPeriod `yaml:"quiet_period"`
}

// QuietPeriod tunes the quiet period after an incident: it lasts until
// the negative share is back within Margin of its usual level (measured
// over Baseline before the incident) and at most MaxOpenFollowUps of the
// incident's follow-ups are open, then Settle more.
type QuietPeriod struct {
	Baseline         time.Duration `yaml:"baseline"`
	Margin           float64       `yaml:"margin"`
	MaxOpenFollowUps int           `yaml:"max_open_follow_ups"`
	Settle           time.Duration `yaml:"settle"`
}

// DefaultWarRoom returns the war room's defaults.
func DefaultWarRoom() WarRoom {
	return WarRoom{
		GoingDark: 30 * time.Minute, Heartbeat: 15 * time.Second, MaxClients: 100, Buffer: 1024,
		QuietPeriod: QuietPeriod{Baseline: 7 * 24 * time.Hour, Margin: 0.05, MaxOpenFollowUps: 5, Settle: 24 * time.Hour},
	}
}

func (w WarRoom) validate(p *problems) {
	if w.GoingDark < 0 || (w.GoingDark > 0 && w.GoingDark < time.Minute) {
		p.bad("war_room.going_dark", "%s: give 0 (off) or at least 1m", w.GoingDark)
	}
	if w.Heartbeat < time.Second || w.Heartbeat > 5*time.Minute {
		p.bad("war_room.heartbeat", "%s: give 1s to 5m", w.Heartbeat)
	}
	if w.MaxClients < 1 || w.MaxClients > 100_000 {
		p.bad("war_room.max_clients", "%d: give 1 to 100000", w.MaxClients)
	}
	if w.Buffer < 1 || w.Buffer > 1_000_000 {
		p.bad("war_room.buffer", "%d: give 1 to 1000000", w.Buffer)
	}
	q := w.QuietPeriod
	if q.Baseline < time.Hour || q.Baseline > 90*24*time.Hour {
		p.bad("war_room.quiet_period.baseline", "%s: give 1h to 2160h (90 days)", q.Baseline)
	}
	if q.Margin <= 0 || q.Margin >= 1 {
		p.bad("war_room.quiet_period.margin", "%s: give a share above 0 and under 1 (0.05 is 5 points)", fmt.Sprint(q.Margin))
	}
	if q.MaxOpenFollowUps < 1 {
		p.bad("war_room.quiet_period.max_open_follow_ups", "%d: give 1 or more", q.MaxOpenFollowUps)
	}
	if q.Settle < time.Minute {
		p.bad("war_room.quiet_period.settle", "%s: give 1m or more", q.Settle)
	}
}
