package opsgeniehook

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
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
const Source = "opsgenie"

// TokenHeader may carry the token instead of Authorization.
const TokenHeader = "X-Earshot-Token"

// Config configures the Opsgenie webhook endpoint.
type Config struct {
	// Token is the shared token the integration sends as a custom header,
	// "Authorization: Bearer <token>" or "X-Earshot-Token: <token>";
	// written env:NAME or file:PATH.
	Token auth.Secret `yaml:"token"`
	// Username and Password, when set, also accept HTTP basic auth (put
	// them in the integration's URL).
	Username string      `yaml:"username"`
	Password auth.Secret `yaml:"password"`
	// Services maps alert tags and entities to the service names watches
	// use ("checkout-prod": checkout). A tag "service:NAME" needs no entry.
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
func (c Config) Enabled() bool { return c.Token != "" || c.Password != "" }

// Validate checks c, naming keys under prefix ("webhooks.opsgenie").
func (c Config) Validate(prefix string) error {
	if (c.Username == "") != (c.Password == "") {
		return fmt.Errorf("%s.username, %s.password: set both for basic auth, or neither", prefix, prefix)
	}
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

// Handler serves Opsgenie's webhook deliveries.
type Handler struct {
	// Limit bounds the deliveries per credential (nil: no bound).
	Limit *auth.Limiter

	token, basic auth.Tokens
	cfg          Config
	incidents    inbound.Incidents
	log          *slog.Logger
}

// New resolves the secrets and returns the handler, which keeps incidents
// in store. Without a token or a password the endpoint would be open to
// anyone, so that is an error.
func New(cfg Config, store earshot.IncidentStore, getenv func(string) string, log *slog.Logger) (*Handler, error) {
	if !cfg.Enabled() {
		return nil, errors.New("webhooks.opsgenie: set token (or username and password); Opsgenie does not sign its webhooks")
	}
	if err := cfg.Validate("webhooks.opsgenie"); err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, incidents: inbound.Incidents{Store: store, Watches: cfg.Watches}, log: log}
	if cfg.Token != "" {
		v, err := cfg.Token.Resolve(getenv)
		if err != nil {
			return nil, fmt.Errorf("webhooks.opsgenie.token: %w", err)
		}
		h.token = auth.NewTokens(v)
	}
	if cfg.Password != "" {
		v, err := cfg.Password.Resolve(getenv)
		if err != nil {
			return nil, fmt.Errorf("webhooks.opsgenie.password: %w", err)
		}
		h.basic = auth.NewTokens(basicCredential(cfg.Username, v))
	}
	if h.cfg.MaxBytes <= 0 {
		h.cfg.MaxBytes = 1 << 20
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h, nil
}

// payload is an alert action delivery.
type payload struct {
	Action string `json:"action"`
	Alert  *alert `json:"alert"`
	Source struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"source"`
	IntegrationName string `json:"integrationName"`
}

type alert struct {
	AlertID     string   `json:"alertId"`
	Message     string   `json:"message"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Entity      string   `json:"entity"`
	Priority    string   `json:"priority"`
	Username    string   `json:"username"`
	Note        string   `json:"note"`
	TinyID      string   `json:"tinyId"`
	// CreatedAt and UpdatedAt are epoch times; Opsgenie sends milliseconds
	// for one and nanoseconds for the other.
	CreatedAt json.Number `json:"createdAt"`
	UpdatedAt json.Number `json:"updatedAt"`
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
	who, ok := h.authorized(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
		httpjson.Error(w, http.StatusUnauthorized, "missing or wrong token or credentials")
		return
	}
	if !h.Limit.Allow(w, "opsgenie:"+who) {
		return
	}
	body, ok := httpjson.ReadPost(w, r, h.cfg.MaxBytes)
	if !ok {
		return
	}
	p, at, err := decode(body)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	id, changed, err := h.upsert(r, p, at)
	if err != nil {
		h.log.Error("keeping an Opsgenie incident", "err", err, "action", p.Action)
		httpjson.Error(w, http.StatusServiceUnavailable, "could not store the incident now; retry later")
		return
	}
	h.log.Debug("Opsgenie action", "action", p.Action, "incident", id, "changed", changed)
	httpjson.Write(w, http.StatusOK, map[string]any{"incident": id, "changed": changed})
}

// authorized checks the token (Authorization: Bearer, or TokenHeader) or
// basic auth, with the one constant-time check of package auth, before the
// body is read. It says which credential matched.
func (h *Handler) authorized(r *http.Request) (string, bool) {
	given := strings.TrimSpace(r.Header.Get(TokenHeader))
	if bearer := auth.Bearer(r); bearer != "" {
		given = bearer
	}
	if _, ok := h.token.Match(given); ok {
		return "token", true
	}
	if user, pass, ok := r.BasicAuth(); ok {
		if _, ok := h.basic.Match(basicCredential(user, pass)); ok {
			return "basic", true
		}
	}
	return "", false
}

// basicCredential joins a user name and password into one token; the
// length prefix keeps "a:b" + "c" apart from "a" + "b:c".
func basicCredential(user, pass string) string {
	return fmt.Sprintf("%d:%s:%s", len(user), user, pass)
}

// decode parses a delivery and checks the fields Earshot needs; at is the
// time of the action.
func decode(body []byte) (payload, time.Time, error) {
	var p payload
	if !utf8.Valid(body) {
		return p, time.Time{}, errors.New("body is not valid UTF-8")
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return p, time.Time{}, fmt.Errorf("body is not an Opsgenie alert action: %v", err)
	}
	switch {
	case strings.TrimSpace(p.Action) == "":
		return p, time.Time{}, errors.New("action: missing")
	case p.Alert == nil:
		return p, time.Time{}, errors.New("alert: missing")
	case strings.TrimSpace(p.Alert.AlertID) == "":
		return p, time.Time{}, errors.New("alert.alertId: missing")
	}
	created, err := epoch(p.Alert.CreatedAt)
	if err != nil {
		return p, time.Time{}, fmt.Errorf("alert.createdAt: %v", err)
	}
	updated, err := epoch(p.Alert.UpdatedAt)
	if err != nil {
		return p, time.Time{}, fmt.Errorf("alert.updatedAt: %v", err)
	}
	at := updated
	if (p.Action == "Create" && !created.IsZero()) || at.IsZero() {
		at = created
	}
	if at.IsZero() {
		return p, time.Time{}, errors.New("alert.updatedAt: missing (and no alert.createdAt)")
	}
	return p, at, nil
}

// epoch reads an epoch time in seconds, milliseconds, microseconds or
// nanoseconds, told apart by size.
func epoch(n json.Number) (time.Time, error) {
	if n == "" {
		return time.Time{}, nil
	}
	v, err := n.Int64()
	if err != nil || v < 0 {
		return time.Time{}, fmt.Errorf("%q is not an epoch time", n.String())
	}
	switch {
	case v == 0:
		return time.Time{}, nil
	case v >= 1e17:
		return time.Unix(0, v).UTC(), nil
	case v >= 1e14:
		return time.UnixMicro(v).UTC(), nil
	case v >= 1e11:
		return time.UnixMilli(v).UTC(), nil
	}
	return time.Unix(v, 0).UTC(), nil
}

// upsert loads the alert's incident, merges the action and saves it if it
// changed.
func (h *Handler) upsert(r *http.Request, p payload, at time.Time) (string, bool, error) {
	id := earshot.PostID(Source, strings.TrimSpace(p.Alert.AlertID))
	_, changed, err := h.incidents.Upsert(r.Context(), id, Source, func(inc earshot.Incident, found bool) (earshot.Incident, error) {
		return h.apply(inc, p, at, !found), nil
	})
	return id, changed, err
}

func (h *Handler) apply(inc earshot.Incident, p payload, at time.Time, isNew bool) earshot.Incident {
	a := p.Alert
	if isNew || !at.Before(inc.UpdatedAt) {
		if t := clip.String(a.Message, maxTitle, clip.Trim|clip.Ellipsis); t != "" {
			inc.Title = t
		}
		if s := h.services(a); len(s) > 0 {
			inc.Services = s
		}
		if sev := severity(a.Priority); sev != "" {
			inc.Severity = sev
		}
	}
	if inc.Title == "" {
		inc.Title = "Opsgenie alert " + firstNonEmpty(a.TinyID, a.AlertID)
	}
	if u, ok := update(p, at); ok {
		inc, _ = inc.Merge(u)
		return inc
	}
	if isNew {
		inc.Status, inc.StartedAt = earshot.Investigating, at
	}
	if at.After(inc.UpdatedAt) {
		inc.UpdatedAt = at
	}
	return inc
}

// update is the incident update an action brings, if any.
func update(p payload, at time.Time) (earshot.IncidentUpdate, bool) {
	a := p.Alert
	u := earshot.IncidentUpdate{At: at}
	by := ""
	if a.Username != "" {
		by = " by " + clip.String(a.Username, 200, clip.Trim|clip.Ellipsis)
	}
	switch p.Action {
	case "Create":
		u.Status, u.Body = earshot.Investigating, "Alert created: "+clip.String(a.Message, maxTitle, clip.Trim|clip.Ellipsis)
		if d := clip.String(a.Description, maxBody, clip.Trim|clip.Ellipsis); d != "" {
			u.Body = d
		}
	case "Acknowledge":
		u.Status, u.Body = earshot.Identified, "Acknowledged"+by
	case "UnAcknowledge":
		u.Status, u.Body = earshot.Investigating, "Unacknowledged"+by
	case "Close":
		u.Status, u.Body = earshot.Resolved, "Closed"+by
	case "Delete":
		u.Status, u.Body = earshot.Resolved, "Deleted"+by
	case "AddNote":
		u.Body = clip.String(a.Note, maxBody, clip.Trim|clip.Ellipsis)
	default:
		return u, false
	}
	return u, u.Body != ""
}

// services names the alert's services from its tags and entity.
func (h *Handler) services(a *alert) []string {
	var out []string
	add := func(s string) {
		if s = clip.String(s, 200, clip.Trim|clip.Ellipsis); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, tag := range a.Tags {
		if s, ok := h.cfg.Services[tag]; ok {
			add(s)
		} else if name, ok := strings.CutPrefix(tag, "service:"); ok {
			add(name)
		}
	}
	if s, ok := h.cfg.Services[a.Entity]; ok && a.Entity != "" {
		add(s)
	}
	return out
}

// severity maps an alert priority.
func severity(priority string) string {
	switch strings.ToUpper(strings.TrimSpace(priority)) {
	case "P1":
		return "critical"
	case "P2":
		return "major"
	case "P3":
		return "minor"
	case "P4", "P5":
		return "none"
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
