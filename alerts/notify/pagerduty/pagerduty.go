// Package pagerduty sends Earshot notifications to PagerDuty through the
// Events API v2 (POST /v2/enqueue).
//
// One alert group is one PagerDuty alert: the dedup_key is derived from the
// receiver and the group key, so updates to a group update the same alert
// and, when every alert of the group is resolved, a "resolve" event closes
// it. A group with any firing alert sends "trigger" with the highest
// severity among them; custom_details carries each alert's summary, why it
// is spiking and the incident that explains it.
//
// The routing key is a secret: it never appears in errors or logs.
package pagerduty

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// DefaultURL is the Events API v2 endpoint.
const DefaultURL = "https://events.pagerduty.com/v2/enqueue"

// Config configures one PagerDuty service integration.
type Config struct {
	// RoutingKey is the integration key of an Events API v2 integration;
	// it is a secret: write it as env:NAME or file:PATH.
	RoutingKey string `yaml:"routing_key"`
	// URL is the Events API endpoint; empty means DefaultURL.
	URL string `yaml:"url"`
	// Source is the payload's source ("the affected system"); empty means
	// "earshot".
	Source string `yaml:"source"`
	// ClientURL links back to Earshot (its dashboard), optional.
	ClientURL string `yaml:"client_url"`
	// Timeout bounds one request; 0 means 10s.
	Timeout time.Duration `yaml:"timeout"`
	// AllowPrivateNetworks lets this integration reach loopback, private,
	// link-local and metadata addresses, which notifiers refuse by default.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
}

// String hides the routing key.
func (c Config) String() string {
	return fmt.Sprintf("pagerduty{routing_key: [redacted], url: %s}", c.endpoint())
}

func (c Config) endpoint() string {
	if c.URL == "" {
		return DefaultURL
	}
	return c.URL
}

// Validate checks c without resolving secrets; key prefixes the keys it
// names.
func (c Config) Validate(key string) error {
	if c.RoutingKey == "" {
		return fmt.Errorf("%s.routing_key: required (write it as env:NAME or file:PATH)", key)
	}
	if c.URL != "" {
		if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%s.url: not an http(s) URL", key)
		}
	}
	return notify.CheckTimeout(key, c.Timeout)
}

// ResolveSecrets returns c with its routing key resolved by resolve.
func (c Config) ResolveSecrets(key string, resolve notify.ResolveFunc) (Config, error) {
	var err error
	c.RoutingKey, err = resolve.Resolve(key+".routing_key", c.RoutingKey)
	return c, err
}

// Notifier sends events to one PagerDuty integration.
type Notifier struct {
	cfg    Config
	client *http.Client
	now    func() time.Time
}

var _ earshot.Notifier = (*Notifier)(nil)

// New returns a notifier for cfg, whose routing key must be resolved.
func New(cfg Config, opts notify.Options) (*Notifier, error) {
	if cfg.RoutingKey == "" {
		return nil, fmt.Errorf("pagerduty: routing_key is empty")
	}
	cfg.URL = cfg.endpoint()
	if cfg.Source == "" {
		cfg.Source = "earshot"
	}
	return &Notifier{cfg: cfg, client: opts.HTTPClientFor(cfg.AllowPrivateNetworks), now: opts.Clock()}, nil
}

// Event is an Events API v2 event.
type Event struct {
	RoutingKey  string   `json:"routing_key"`
	EventAction string   `json:"event_action"`
	DedupKey    string   `json:"dedup_key"`
	Payload     *Payload `json:"payload,omitempty"`
	Client      string   `json:"client,omitempty"`
	ClientURL   string   `json:"client_url,omitempty"`
	Links       []Link   `json:"links,omitempty"`
}

// Payload describes a triggered alert.
type Payload struct {
	Summary       string  `json:"summary"`
	Source        string  `json:"source"`
	Severity      string  `json:"severity"`
	Timestamp     string  `json:"timestamp,omitempty"`
	Component     string  `json:"component,omitempty"`
	Group         string  `json:"group,omitempty"`
	Class         string  `json:"class,omitempty"`
	CustomDetails Details `json:"custom_details"`
}

// Link is a link shown on the PagerDuty alert.
type Link struct {
	Href string `json:"href"`
	Text string `json:"text"`
}

// Details is the custom_details of a trigger.
type Details struct {
	Receiver string            `json:"receiver"`
	Group    map[string]string `json:"group_labels,omitempty"`
	Firing   int               `json:"firing"`
	Resolved int               `json:"resolved"`
	Alerts   []AlertDetail     `json:"alerts"`
}

// AlertDetail is one alert in custom_details.
type AlertDetail struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"`
	Status   string   `json:"status"`
	Watch    string   `json:"watch"`
	Metric   string   `json:"metric,omitempty"`
	Severity string   `json:"severity"`
	Summary  string   `json:"summary"`
	Incident string   `json:"incident"`
	StartsAt string   `json:"starts_at,omitempty"`
	Terms    []string `json:"top_terms,omitempty"`
	Reasons  []string `json:"reasons,omitempty"`
	Sources  []string `json:"sources,omitempty"`
	Posts    []string `json:"posts,omitempty"`
	Link     string   `json:"link_reason,omitempty"`
}

// Build returns the event for n sent to routingKey.
func (p *Notifier) Build(n earshot.Notification) Event {
	firing, resolved := notify.Split(n)
	ev := Event{RoutingKey: p.cfg.RoutingKey, DedupKey: DedupKey(n), Client: "Earshot", ClientURL: p.cfg.ClientURL}
	if len(firing) == 0 {
		ev.EventAction = "resolve"
		return ev
	}
	ev.EventAction = "trigger"
	summary := notify.Title(n)
	if len(firing) == 1 && firing[0].Summary != "" {
		summary = notify.KindTitle(firing[0].Kind) + " · " + notify.WatchName(firing[0]) + ": " + notify.OneLine(firing[0].Summary)
	}
	start := firing[0].StartsAt
	for _, a := range firing {
		if !a.StartsAt.IsZero() && (start.IsZero() || a.StartsAt.Before(start)) {
			start = a.StartsAt
		}
	}
	pl := &Payload{
		Summary:   notify.Truncate(summary, 1024),
		Source:    p.cfg.Source,
		Severity:  severity(firing),
		Class:     string(firing[0].Kind),
		Group:     notify.WatchName(firing[0]),
		Component: string(firing[0].Metric),
		CustomDetails: Details{
			Receiver: n.Receiver, Group: n.Labels, Firing: len(firing), Resolved: len(resolved),
		},
	}
	if !start.IsZero() {
		pl.Timestamp = start.UTC().Format(time.RFC3339)
	}
	for _, a := range append(append([]earshot.Alert(nil), firing...), resolved...) {
		pl.CustomDetails.Alerts = append(pl.CustomDetails.Alerts, detail(a, n.At))
	}
	ev.Payload = pl
	if p.cfg.ClientURL != "" {
		ev.Links = []Link{{Href: p.cfg.ClientURL, Text: "Open Earshot"}}
	}
	return ev
}

// Notify sends n as a trigger (any alert firing) or a resolve (all over).
// PagerDuty answers 202 when it took the event, 400 for an invalid event
// (not retried), 429 and 5xx when trying later may help.
func (p *Notifier) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	body, err := json.Marshal(p.Build(n))
	if err != nil {
		return false, fmt.Errorf("pagerduty: encoding event: %w", err)
	}
	_, retry, err := notify.Post(ctx, p.client, p.now, notify.Request{
		Name:    "pagerduty",
		URL:     p.cfg.URL,
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    body,
		Timeout: p.cfg.Timeout,
		Secrets: []string{p.cfg.RoutingKey},
	})
	return retry, err
}

// DedupKey is stable for one episode of one receiver (for one alert group,
// when episodes are not tracked), so an episode is one PagerDuty alert,
// triggered, updated and resolved; at most 255 characters, as PagerDuty
// requires.
func DedupKey(n earshot.Notification) string {
	key := n.GroupKey
	if n.Episode != "" {
		key = "episode\x00" + n.Episode
	}
	sum := sha256.Sum256([]byte(n.Receiver + "\x00" + key))
	return "earshot-" + hex.EncodeToString(sum[:16])
}

// severity maps Earshot's severities to PagerDuty's: the highest firing.
func severity(as []earshot.Alert) string {
	rank := map[string]int{"info": 1, "warning": 2, "error": 3, "critical": 4}
	best := "info"
	for _, a := range as {
		s := a.Severity
		if _, ok := rank[s]; !ok {
			s = "error"
		}
		if rank[s] > rank[best] {
			best = s
		}
	}
	return best
}

func detail(a earshot.Alert, at time.Time) AlertDetail {
	d := AlertDetail{
		ID: a.ID, Kind: string(a.Kind), Status: "firing", Watch: notify.WatchName(a),
		Metric: string(a.Metric), Severity: a.Severity, Summary: notify.Truncate(notify.OneLine(a.Summary), 500),
		Incident: notify.Incident(a), Link: notify.Truncate(notify.OneLine(a.Why.Link), 300),
	}
	if notify.Resolved(a, at) {
		d.Status = "resolved"
	}
	if !a.StartsAt.IsZero() {
		d.StartsAt = a.StartsAt.UTC().Format(time.RFC3339)
	}
	for i, t := range a.Why.Terms {
		if i == 5 {
			break
		}
		d.Terms = append(d.Terms, fmt.Sprintf("%s ×%d (%.1f× usual)", notify.Truncate(t.Term, 40), t.Count, t.Lift))
	}
	for i, c := range a.Why.Reasons {
		if i == 5 {
			break
		}
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s %d (%.0f%%)", c.Name, c.Count, c.Share*100))
	}
	for i, c := range a.Why.Sources {
		if i == 5 {
			break
		}
		d.Sources = append(d.Sources, fmt.Sprintf("%s %d (%.0f%%)", c.Name, c.Count, c.Share*100))
	}
	for i, p := range a.Why.Posts {
		if i == 3 {
			break
		}
		d.Posts = append(d.Posts, notify.Truncate(notify.OneLine(p.Text), 280))
	}
	return d
}
