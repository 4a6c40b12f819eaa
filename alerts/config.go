package alerts

import (
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/pagerduty"
	"github.com/earshot/earshot/alerts/notify/slack"
	"github.com/earshot/earshot/alerts/notify/webhook"
)

// Config is the alerting: section of earshot.yaml.
type Config struct {
	// Route is the root of the route tree. It matches every alert and
	// must name a receiver; its timings are the defaults of every route.
	Route Route `yaml:"route"`
	// Receivers are where notifications go, by name.
	Receivers []Receiver `yaml:"receivers"`
	// InhibitRules mute alerts while others fire.
	InhibitRules []InhibitRule `yaml:"inhibit_rules"`
	// QuietHours are named windows routes refer to.
	QuietHours []QuietHours `yaml:"quiet_hours"`
	// Noise filters alerts before routing.
	Noise Noise `yaml:"noise"`
	// Retry tunes retries of failed deliveries.
	Retry Retry `yaml:"retry"`
}

// Route matches alerts by their labels and says who gets them, how they
// are grouped and how often they are sent. Unset fields of a child route
// are inherited from its parent.
type Route struct {
	// Name identifies the route in weekly counts; defaults to its path in
	// the tree ("root", "root/0", "root/0/1").
	Name string `yaml:"name"`
	// Receiver gets this route's notifications.
	Receiver string `yaml:"receiver"`
	// Matchers select alerts by label, all of which must match:
	// 'watch="acme"', 'severity=~"critical|warning"', 'kind!=resolved'.
	// Labels: watch, kind, severity, metric, source, incident and any
	// the alert carries.
	Matchers []string `yaml:"matchers"`
	// Continue keeps looking at the next sibling routes after this one
	// matched; by default the first matching route wins.
	Continue bool `yaml:"continue"`
	// GroupBy lists the labels that split alerts into notifications: one
	// notification per distinct set of values. ["..."] groups by every
	// label (one group per alert); [] puts all alerts in one group.
	GroupBy []string `yaml:"group_by"`
	// GroupWait is how long a new group waits for more alerts before its
	// first notification (0s: at once).
	GroupWait *time.Duration `yaml:"group_wait"`
	// GroupInterval is how long to wait before notifying about changes to
	// a group already notified (new alerts, resolved alerts).
	GroupInterval time.Duration `yaml:"group_interval"`
	// RepeatInterval is how long to wait before sending a group again
	// when nothing changed but it still fires.
	RepeatInterval time.Duration `yaml:"repeat_interval"`
	// QuietHours names the quiet_hours windows this route keeps.
	QuietHours []string `yaml:"quiet_hours"`
	// Routes are child routes, tried in order.
	Routes []Route `yaml:"routes"`
}

// Receiver is a named destination with any number of integrations; a
// receiver with none drops what it gets (useful as a black hole, and in
// replay).
type Receiver struct {
	Name      string             `yaml:"name"`
	Slack     []slack.Config     `yaml:"slack"`
	Webhook   []webhook.Config   `yaml:"webhook"`
	Email     []email.Config     `yaml:"email"`
	PagerDuty []pagerduty.Config `yaml:"pagerduty"`
}

// InhibitRule mutes alerts matching Target while an alert matching Source
// fires with the same values of the Equal labels.
type InhibitRule struct {
	Source []string `yaml:"source_matchers"`
	Target []string `yaml:"target_matchers"`
	Equal  []string `yaml:"equal"`
}

// Quiet-hours actions.
const (
	// QuietHold keeps notifications until the window ends.
	QuietHold = "hold"
	// QuietDrop never sends alerts that arise during the window.
	QuietDrop = "drop"
)

// QuietHours is a recurring window during which routes that name it send
// only alerts of the LetThrough severities.
type QuietHours struct {
	Name string `yaml:"name"`
	// TimeZone is an IANA zone, "Europe/Paris"; empty means UTC.
	TimeZone string `yaml:"time_zone"`
	// Weekdays the window starts on: mon, tue, wed, thu, fri, sat, sun;
	// empty means every day.
	Weekdays []string `yaml:"weekdays"`
	// Start and End are times of day, "22:00" and "07:00"; an End at or
	// before Start ends the next day. End may be "24:00".
	Start string `yaml:"start"`
	End   string `yaml:"end"`
	// Action is hold (default: notify when the window ends) or drop
	// (alerts that arise during the window are never sent; alerts sent
	// before it have their updates held, so a resolve is never lost).
	Action string `yaml:"action"`
	// LetThrough are the severities sent even during the window; default
	// [critical].
	LetThrough []string `yaml:"let_through"`
}

// Noise holds the noise controls, applied to spike and unreported-incident
// alerts as they come in, before routing.
type Noise struct {
	// MinScore is the lowest spike score (0..1) that alerts: a watch's
	// sensitivity.
	MinScore float64 `yaml:"min_score"`
	// MinDuration is how long a spike must have lasted before it alerts.
	MinDuration time.Duration `yaml:"min_duration"`
	// Cooldown is how long after an alert of one kind on one watch another
	// one (from a new spike) waits, unless it is a new wave.
	Cooldown time.Duration `yaml:"cooldown"`
	// NewWave lets an alert through a cooldown when its spike's peak
	// (observed minus expected) exceeds the last alerted peak by this many
	// percent. 0 turns the exception off.
	NewWave float64 `yaml:"new_wave"`
	// Watches override the settings above per watch.
	Watches map[string]NoiseOverride `yaml:"watches"`
}

// NoiseOverride sets a watch's own noise settings; unset keys keep the
// defaults.
type NoiseOverride struct {
	MinScore    *float64       `yaml:"min_score"`
	MinDuration *time.Duration `yaml:"min_duration"`
	Cooldown    *time.Duration `yaml:"cooldown"`
	NewWave     *float64       `yaml:"new_wave"`
}

// Retry tunes how failed deliveries are retried.
type Retry struct {
	// Attempts is the most tries per notification and integration.
	Attempts int `yaml:"attempts"`
	// MinBackoff is the first wait, doubled up to MaxBackoff.
	MinBackoff time.Duration `yaml:"min_backoff"`
	MaxBackoff time.Duration `yaml:"max_backoff"`
}

// DefaultReceiver is the receiver of DefaultConfig.
const DefaultReceiver = "default"

// DefaultConfig sends every alert to one receiver with no integrations,
// grouped by watch and kind, and lets an incident-linked spike inhibit the
// unreported-incident alert of the same watch.
func DefaultConfig() Config {
	wait := 30 * time.Second
	return Config{
		Route: Route{
			Receiver:       DefaultReceiver,
			GroupBy:        []string{"watch", "kind"},
			GroupWait:      &wait,
			GroupInterval:  5 * time.Minute,
			RepeatInterval: 4 * time.Hour,
		},
		Receivers: []Receiver{{Name: DefaultReceiver}},
		InhibitRules: []InhibitRule{{
			Source: []string{`kind="spike"`, `incident!=""`},
			Target: []string{`kind="unreported_incident"`},
			Equal:  []string{"watch"},
		}},
		Noise: Noise{Cooldown: time.Hour, NewWave: 50},
		Retry: Retry{Attempts: 5, MinBackoff: time.Second, MaxBackoff: time.Minute},
	}
}

// Validate checks c, naming the key at fault ("alerting.route.routes[1]
// .receiver: ..."). It resolves no secret and makes no network call.
func (c Config) Validate() error {
	_, err := compile(c)
	return err
}

func (c Config) validateReceivers() (map[string]bool, error) {
	names := map[string]bool{}
	for i, r := range c.Receivers {
		key := fmt.Sprintf("alerting.receivers[%d]", i)
		if r.Name == "" {
			return nil, fmt.Errorf("%s.name: required", key)
		}
		if names[r.Name] {
			return nil, fmt.Errorf("%s.name: receiver %q is defined twice", key, r.Name)
		}
		names[r.Name] = true
		for _, in := range integrations {
			if err := in.validate(r, key); err != nil {
				return nil, err
			}
		}
	}
	return names, nil
}

func (n Noise) validate() error {
	check := func(key string, score float64, dur, cool time.Duration, wave float64) error {
		if score < 0 || score > 1 {
			return fmt.Errorf("%s.min_score: want 0..1, got %g", key, score)
		}
		if dur < 0 {
			return fmt.Errorf("%s.min_duration: must not be negative", key)
		}
		if cool < 0 {
			return fmt.Errorf("%s.cooldown: must not be negative", key)
		}
		if wave < 0 {
			return fmt.Errorf("%s.new_wave: must not be negative", key)
		}
		return nil
	}
	if err := check("alerting.noise", n.MinScore, n.MinDuration, n.Cooldown, n.NewWave); err != nil {
		return err
	}
	for w := range n.Watches {
		s := n.settings(w)
		if err := check("alerting.noise.watches."+w, s.minScore, s.minDuration, s.cooldown, s.newWave); err != nil {
			return err
		}
	}
	return nil
}

func (r Retry) validate() error {
	if r.Attempts < 0 {
		return fmt.Errorf("alerting.retry.attempts: must not be negative")
	}
	if r.MinBackoff < 0 || r.MaxBackoff < 0 {
		return fmt.Errorf("alerting.retry: backoffs must not be negative")
	}
	if r.MaxBackoff != 0 && r.MaxBackoff < r.MinBackoff {
		return fmt.Errorf("alerting.retry.max_backoff: must be at least min_backoff")
	}
	return nil
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// parseClock reads "HH:MM" as minutes after midnight; "24:00" only when
// end is true.
func parseClock(s string, end bool) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("want HH:MM, got %q", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, fmt.Errorf("want HH:MM, got %q", s)
	}
	if h == 24 && m == 0 && end {
		return 24 * 60, nil
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("want HH:MM, got %q", s)
	}
	return h*60 + m, nil
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}
