package followup

import (
	"errors"
	"fmt"
	"time"
)

// Values of Config.OnePost.
const (
	OnePostContext = "context"
	OnePostAlways  = "always"
	OnePostReach   = "reach"
)

// Config tunes the Flagger; it is the `followups:` key of earshot.yaml.
type Config struct {
	// Interval is how often `earshot serve` looks for customers to flag
	// (default 5m).
	Interval time.Duration `yaml:"interval"`
	// Window is the span repeated complaints are counted in, and how far
	// back the first look reaches (default 96h: a customer still unhappy
	// days after an outage complains again over days, not hours).
	Window time.Duration `yaml:"window"`
	// Overlap is how much before the previous look each look reads again,
	// so posts collected late are not missed (default 2h).
	Overlap time.Duration `yaml:"overlap"`
	// StrongScore flags a customer on one post: a negative post scoring
	// this or lower, in [-1, 0) (default -0.6).
	StrongScore float64 `yaml:"strong_score"`
	// OnePost says when one strongly negative post is enough: "reach"
	// (the default) when its author has high reach or is a customer of a
	// tier named in Tiers, so that other complaints flag only when
	// repeated; "context" also when it came during an incident; "always"
	// for any strongly negative post. An outage brings hundreds of one-off
	// complaints that the incident's own updates answer: "context" puts
	// every one of them in the queue.
	OnePost string `yaml:"one_post"`
	// RepeatCount flags a customer who posted this many negative posts or
	// more within one Window (default 3; at least 2).
	RepeatCount int `yaml:"repeat_count"`
	// HighReach is the follower count from which an author's reach raises
	// the priority (default 10000).
	HighReach int64 `yaml:"high_reach"`
	// Due is how long support has to reach a customer, by priority.
	Due Due `yaml:"due"`
	// Tiers raises the priority of imported customers by tier: each tier
	// named here adds its points (1 or 2) to the signals a customer's posts
	// earn, and a strongly negative post of such a customer is enough on
	// its own, as from a high-reach author (default strategic: 2,
	// enterprise: 1). Tiers are compared without case.
	Tiers map[string]int `yaml:"tiers"`
	// HoldLikely says whether authors who look like media or bots (see the
	// package documentation) are held out of the queue: "hold" (the
	// default) or "flag" to flag them like anyone else. Accounts imported
	// with a kind other than customer are never flagged either way.
	HoldLikely string `yaml:"hold_likely"`
	// BotRate is the posts per day, over the Window, from which an
	// author's posting rate is a bot's signal (default 48).
	BotRate float64 `yaml:"bot_rate"`
}

// Values of Config.HoldLikely.
const (
	HoldLikelyHold = "hold"
	HoldLikelyFlag = "flag"
)

// Due is the time allowed to reach a customer, by priority, counted from
// when the customer was flagged (or from when a new post raised the
// priority, when that is sooner).
type Due struct {
	P1 time.Duration `yaml:"p1"`
	P2 time.Duration `yaml:"p2"`
	P3 time.Duration `yaml:"p3"`
	P4 time.Duration `yaml:"p4"`
}

// For returns the time allowed at priority p (1 to 4).
func (d Due) For(p int) time.Duration {
	switch p {
	case 1:
		return d.P1
	case 2:
		return d.P2
	case 3:
		return d.P3
	}
	return d.P4
}

// DefaultConfig returns the defaults named on Config's fields.
func DefaultConfig() Config {
	return Config{
		Interval:    5 * time.Minute,
		Window:      96 * time.Hour,
		Overlap:     2 * time.Hour,
		StrongScore: -0.6,
		OnePost:     OnePostReach,
		RepeatCount: 3,
		HighReach:   10_000,
		Due:         Due{P1: 4 * time.Hour, P2: 24 * time.Hour, P3: 72 * time.Hour, P4: 7 * 24 * time.Hour},
		Tiers:       map[string]int{"strategic": 2, "enterprise": 1},
		HoldLikely:  HoldLikelyHold,
		BotRate:     48,
	}
}

// Validate reports every problem, each naming its key under followups.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("followups.%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if c.Interval < time.Second {
		bad("interval", "%s is too short (at least 1s)", c.Interval)
	}
	if c.Window < time.Hour {
		bad("window", "%s is too short (at least 1h)", c.Window)
	}
	if c.Overlap < 0 || c.Overlap > c.Window {
		bad("overlap", "%s must be between 0 and the window (%s)", c.Overlap, c.Window)
	}
	if c.StrongScore < -1 || c.StrongScore >= 0 {
		bad("strong_score", "%g is not in [-1, 0)", c.StrongScore)
	}
	if c.OnePost != OnePostContext && c.OnePost != OnePostAlways && c.OnePost != OnePostReach {
		bad("one_post", "%q is not %s, %s or %s", c.OnePost, OnePostReach, OnePostContext, OnePostAlways)
	}
	if c.RepeatCount < 2 {
		bad("repeat_count", "%d is too small (at least 2; one post is judged by strong_score)", c.RepeatCount)
	}
	if c.HighReach < 1 {
		bad("high_reach", "%d must be a positive follower count", c.HighReach)
	}
	for tier, pts := range c.Tiers {
		if pts < 0 || pts > 2 {
			bad("tiers."+tier, "%d points: give 0, 1 or 2", pts)
		}
	}
	if c.HoldLikely != HoldLikelyHold && c.HoldLikely != HoldLikelyFlag {
		bad("hold_likely", "%q is not %s or %s", c.HoldLikely, HoldLikelyHold, HoldLikelyFlag)
	}
	if c.BotRate < 1 {
		bad("bot_rate", "%g posts a day is too few (at least 1)", c.BotRate)
	}
	prev := time.Duration(0)
	for p, d := range []time.Duration{c.Due.P1, c.Due.P2, c.Due.P3, c.Due.P4} {
		key := fmt.Sprintf("due.p%d", p+1)
		switch {
		case d < time.Minute:
			bad(key, "%s is too short (at least 1m)", d)
		case d < prev:
			bad(key, "%s is sooner than the more urgent p%d (%s)", d, p, prev)
		}
		prev = d
	}
	return errors.Join(errs...)
}
