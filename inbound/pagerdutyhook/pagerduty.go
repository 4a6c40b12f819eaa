package pagerdutyhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/clip"
	"github.com/earshot/earshot/internal/httpjson"
)

// Source is the source of the incidents, and the prefix of their IDs.
const Source = "pagerduty"

// SignatureHeader carries the signatures of the body.
const SignatureHeader = "X-PagerDuty-Signature"

// Config configures the PagerDuty webhook endpoint.
type Config struct {
	// Secret is the webhook subscription's signing secret, written
	// env:NAME or file:PATH. The endpoint is on when it is set.
	Secret auth.Secret `yaml:"secret"`
	// Services maps PagerDuty service names (or IDs) to the service names
	// watches use ("Checkout API": api). A service not in the map counts
	// under its own name.
	Services map[string]string `yaml:"services"`
	// Watches are the watches this account's incidents affect (the
	// brand or product its services belong to), when an incident names
	// none; without them an incident affects every watch whose services
	// it names.
	Watches []string `yaml:"watches"`
	// MaxBytes bounds a delivery's body; larger ones get 413. Default 1 MiB.
	MaxBytes int64 `yaml:"max_bytes"`
}

// Enabled reports whether the endpoint is configured.
func (c Config) Enabled() bool { return c.Secret != "" }

// Validate checks c, naming keys under prefix ("webhooks.pagerduty").
func (c Config) Validate(prefix string) error {
	if c.MaxBytes < 0 {
		return fmt.Errorf("%s.max_bytes: must not be negative", prefix)
	}
	for k, v := range c.Services {
		if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s.services: %q maps to %q; both must be non-empty", prefix, k, v)
		}
	}
	return nil
}

// Handler serves PagerDuty's webhook deliveries.
type Handler struct {
	// Limit bounds the verified deliveries (nil: no bound).
	Limit *auth.Limiter

	secret    []byte
	cfg       Config
	incidents inbound.Incidents
	log       *slog.Logger
}

// New resolves the secret and returns the handler, which keeps incidents
// in store.
func New(cfg Config, store earshot.IncidentStore, getenv func(string) string, log *slog.Logger) (*Handler, error) {
	if cfg.Secret == "" {
		return nil, errors.New("webhooks.pagerduty.secret: required; deliveries are only accepted signed")
	}
	secret, err := cfg.Secret.Resolve(getenv)
	if err != nil {
		return nil, fmt.Errorf("webhooks.pagerduty.secret: %w", err)
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 1 << 20
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{secret: []byte(secret), cfg: cfg, incidents: inbound.Incidents{Store: store, Watches: cfg.Watches}, log: log}, nil
}

// payload is a v3 webhook delivery.
type payload struct {
	Event *event `json:"event"`
}

type event struct {
	ID           string    `json:"id"`
	EventType    string    `json:"event_type"`
	ResourceType string    `json:"resource_type"`
	OccurredAt   time.Time `json:"occurred_at"`
	Agent        *ref      `json:"agent"`
	Data         *data     `json:"data"`
}

// data is the union of the event data types Earshot reads: incident,
// incident_note, incident_status_update, incident_responder.
type data struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	HTMLURL   string    `json:"html_url"`
	Status    string    `json:"status"`
	Title     string    `json:"title"`
	CreatedAt time.Time `json:"created_at"`
	Service   *ref      `json:"service"`
	Priority  *ref      `json:"priority"`
	Urgency   string    `json:"urgency"`
	// Incident is the incident a note, status update or responder belongs to.
	Incident *ref   `json:"incident"`
	Content  string `json:"content"` // incident_note
	Message  string `json:"message"` // incident_status_update
}

type ref struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
	HTMLURL string `json:"html_url"`
}

// Bounds on what a delivery may put in an incident.
const (
	maxTitle = 1 << 10
	maxBody  = 16 << 10
)

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !httpjson.IsPost(w, r) {
		return
	}
	// The signature covers the body, so only its presence can be checked
	// before the body is read.
	sig := r.Header.Get(SignatureHeader)
	if !strings.Contains(sig, "v1=") {
		httpjson.Error(w, http.StatusUnauthorized, "missing or wrong "+SignatureHeader)
		return
	}
	body, ok := httpjson.ReadPost(w, r, h.cfg.MaxBytes)
	if !ok {
		return
	}
	if !h.verify(sig, body) {
		httpjson.Error(w, http.StatusUnauthorized, "missing or wrong "+SignatureHeader)
		return
	}
	if !h.Limit.Allow(w, "pagerduty") {
		return
	}
	ev, err := decode(body)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	if ev.EventType == "pagey.ping" || !strings.HasPrefix(ev.EventType, "incident.") {
		httpjson.Write(w, http.StatusOK, map[string]string{"ignored": ev.EventType})
		return
	}
	id, changed, err := h.upsert(r, ev)
	if err != nil {
		h.log.Error("keeping a PagerDuty incident", "err", err, "event", ev.ID)
		httpjson.Error(w, http.StatusServiceUnavailable, "could not store the incident now; retry later")
		return
	}
	h.log.Debug("PagerDuty event", "event", ev.ID, "type", ev.EventType, "incident", id, "changed", changed)
	httpjson.Write(w, http.StatusOK, map[string]any{"incident": id, "changed": changed})
}

// verify reports whether one of the v1 signatures in header is the body's.
func (h *Handler) verify(header string, body []byte) bool {
	mac := hmac.New(sha256.New, h.secret)
	mac.Write(body)
	want := mac.Sum(nil)
	ok := false
	for part := range strings.SplitSeq(header, ",") {
		sig, isV1 := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if !isV1 {
			continue
		}
		got, err := hex.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			ok = true // keep going: no early exit to time
		}
	}
	return ok
}

// decode parses a delivery and checks the fields Earshot needs.
func decode(body []byte) (*event, error) {
	if !utf8.Valid(body) {
		return nil, errors.New("body is not valid UTF-8")
	}
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("body is not a PagerDuty v3 webhook: %v", err)
	}
	ev := p.Event
	switch {
	case ev == nil:
		return nil, errors.New("event: missing")
	case ev.EventType == "":
		return nil, errors.New("event.event_type: missing")
	case !strings.HasPrefix(ev.EventType, "incident."):
		return ev, nil // ignored, whatever else it holds
	case ev.OccurredAt.IsZero():
		return nil, errors.New("event.occurred_at: missing")
	case ev.Data == nil:
		return nil, errors.New("event.data: missing")
	case ev.Data.incidentID() == "":
		return nil, errors.New("event.data.id: missing (or event.data.incident.id)")
	}
	return ev, nil
}

func (d *data) incidentID() string {
	if d.Type == "incident" || d.Incident == nil {
		return d.ID
	}
	return d.Incident.ID
}

// upsert loads the event's incident, merges the event and saves it if it
// changed.
func (h *Handler) upsert(r *http.Request, ev *event) (string, bool, error) {
	id := earshot.PostID(Source, ev.Data.incidentID())
	_, changed, err := h.incidents.Upsert(r.Context(), id, Source, func(inc earshot.Incident, found bool) (earshot.Incident, error) {
		return h.apply(inc, ev, !found), nil
	})
	return id, changed, err
}

// apply returns inc with the event merged in.
func (h *Handler) apply(inc earshot.Incident, ev *event, isNew bool) earshot.Incident {
	d := ev.Data
	at := ev.OccurredAt.UTC()
	// Fields describe the incident as of the event: only the latest event
	// may set them.
	if isNew || !at.Before(inc.UpdatedAt) {
		if d.Type == "incident" {
			if t := clip.String(d.Title, maxTitle, clip.Trim|clip.Ellipsis); t != "" {
				inc.Title = t
			}
			if u := httpURL(d.HTMLURL); u != "" {
				inc.URL = u
			}
			if d.Service != nil {
				if s := h.service(d.Service); s != "" {
					inc.Services = []string{s}
				}
			}
			if sev := severity(d.Priority, d.Urgency); sev != "" {
				inc.Severity = sev
			}
		}
	}
	if d.Incident != nil {
		if inc.Title == "" {
			inc.Title = clip.String(d.Incident.Summary, maxTitle, clip.Trim|clip.Ellipsis)
		}
		if inc.URL == "" {
			inc.URL = httpURL(d.Incident.HTMLURL)
		}
	}
	if inc.Title == "" {
		inc.Title = "PagerDuty incident " + earshot.NativeID(inc.ID)
	}
	if !d.CreatedAt.IsZero() && (inc.StartedAt.IsZero() || d.CreatedAt.Before(inc.StartedAt)) {
		inc.StartedAt = d.CreatedAt.UTC()
	}

	if u, ok := update(ev); ok {
		inc, _ = inc.Merge(u)
		return inc
	}
	// An event that adds no update (escalated, priority_updated, ...) still
	// makes a first-seen incident known, in the status it reports.
	if isNew {
		st := status(d.Status)
		if st == "" {
			st = earshot.Investigating
		}
		inc.Status = st
		if inc.StartedAt.IsZero() {
			inc.StartedAt = at
		}
		if st == earshot.Resolved {
			inc.ResolvedAt = at
		}
	}
	if at.After(inc.UpdatedAt) {
		inc.UpdatedAt = at
	}
	return inc
}

// update is the incident update an event brings, if any.
func update(ev *event) (earshot.IncidentUpdate, bool) {
	u := earshot.IncidentUpdate{At: ev.OccurredAt.UTC()}
	by := ""
	if ev.Agent != nil && ev.Agent.Summary != "" {
		by = " by " + clip.String(ev.Agent.Summary, 200, clip.Trim|clip.Ellipsis)
	}
	switch ev.EventType {
	case "incident.triggered":
		u.Status, u.Body = earshot.Investigating, "Triggered: "+clip.String(ev.Data.Title, maxTitle, clip.Trim|clip.Ellipsis)
	case "incident.acknowledged":
		u.Status, u.Body = earshot.Identified, "Acknowledged"+by
	case "incident.unacknowledged":
		u.Status, u.Body = earshot.Investigating, "Unacknowledged"
	case "incident.reopened":
		u.Status, u.Body = earshot.Investigating, "Reopened"+by
	case "incident.resolved":
		u.Status, u.Body = earshot.Resolved, "Resolved"+by
	case "incident.annotated":
		u.Body = clip.String(ev.Data.Content, maxBody, clip.Trim|clip.Ellipsis)
	case "incident.status_update_published":
		u.Body = clip.String(ev.Data.Message, maxBody, clip.Trim|clip.Ellipsis)
	default:
		return u, false
	}
	return u, u.Body != ""
}

// status maps a PagerDuty incident status.
func status(s string) earshot.IncidentStatus {
	switch s {
	case "triggered":
		return earshot.Investigating
	case "acknowledged":
		return earshot.Identified
	case "resolved":
		return earshot.Resolved
	}
	return ""
}

// severity is the priority's (P1 critical, P2 major, P3 minor, P4 and P5
// none), else the urgency's (high major, low minor).
func severity(priority *ref, urgency string) string {
	if priority != nil {
		switch strings.ToUpper(strings.TrimSpace(priority.Summary)) {
		case "P1", "SEV-1", "SEV1":
			return "critical"
		case "P2", "SEV-2", "SEV2":
			return "major"
		case "P3", "SEV-3", "SEV3":
			return "minor"
		case "P4", "P5":
			return "none"
		}
	}
	switch urgency {
	case "high":
		return "major"
	case "low":
		return "minor"
	}
	return ""
}

// service names a PagerDuty service as watches do.
func (h *Handler) service(s *ref) string {
	if v, ok := h.cfg.Services[s.Summary]; ok {
		return v
	}
	if v, ok := h.cfg.Services[s.ID]; ok {
		return v
	}
	return clip.String(s.Summary, 200, clip.Trim|clip.Ellipsis)
}

func httpURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
