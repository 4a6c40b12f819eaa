package incidentapi

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

// Source is the source of incidents opened by hand.
const Source = "manual"

// OpenRequest opens an incident.
type OpenRequest struct {
	// ID, when set, names the incident ("manual:<ID>"); letters, digits,
	// ".", "_" and "-", at most 64.
	ID    string `json:"id,omitempty"`
	Title string `json:"title"`
	// Services are the affected services, as watches name them.
	Services []string `json:"services,omitempty"`
	// Watches are the watches (brands) it affects; when set, it explains
	// only their spikes.
	Watches []string `json:"watches,omitempty"`
	// Severity is none, minor, major or critical (or empty).
	Severity string `json:"severity,omitempty"`
	// Status is investigating (the default), identified or monitoring.
	Status earshot.IncidentStatus `json:"status,omitempty"`
	// Message is the first update's text (default "Incident opened").
	Message string `json:"message,omitempty"`
	// StartedAt defaults to now.
	StartedAt time.Time `json:"started_at,omitzero"`
	URL       string    `json:"url,omitempty"`
}

// UpdateRequest posts an update on an incident.
type UpdateRequest struct {
	// Status, when set, moves the incident; resolved resolves it.
	Status  earshot.IncidentStatus `json:"status,omitempty"`
	Message string                 `json:"message,omitempty"`
	// At defaults to now.
	At time.Time `json:"at,omitzero"`
}

// FieldError is a bad value in a request, naming the field.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Bounds on what a person may put in an incident.
const (
	maxTitle   = 1 << 10
	maxMessage = 16 << 10
	maxService = 200
	maxFuture  = 5 * time.Minute
)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// names trims and checks a list of names (services, watches): none empty,
// none too long or invalid UTF-8.
func names(field, what string, in []string) ([]string, error) {
	var out []string
	for i, s := range in {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			return nil, &FieldError{fmt.Sprintf("%s[%d]", field, i), "empty"}
		case len(s) > maxService || !utf8.ValidString(s):
			return nil, &FieldError{fmt.Sprintf("%s[%d]", field, i), "not a " + what + " name"}
		}
		out = append(out, s)
	}
	return out, nil
}

// Open validates r and returns the incident it opens at now. Errors are
// *FieldErrors.
func Open(r OpenRequest, now time.Time) (earshot.Incident, error) {
	bad := func(field, format string, args ...any) (earshot.Incident, error) {
		return earshot.Incident{}, &FieldError{field, fmt.Sprintf(format, args...)}
	}
	now = now.UTC()
	title := strings.TrimSpace(r.Title)
	switch {
	case title == "":
		return bad("title", "required")
	case !utf8.ValidString(title):
		return bad("title", "not valid UTF-8")
	case len(title) > maxTitle:
		return bad("title", "longer than %d bytes", maxTitle)
	}
	services, err := names("services", "service", r.Services)
	if err != nil {
		return earshot.Incident{}, err
	}
	watches, err := names("watches", "watch", r.Watches)
	if err != nil {
		return earshot.Incident{}, err
	}
	switch r.Severity {
	case "", "none", "minor", "major", "critical":
	default:
		return bad("severity", "%q is not one of none, minor, major, critical", r.Severity)
	}
	status := r.Status
	switch status {
	case "":
		status = earshot.Investigating
	case earshot.Investigating, earshot.Identified, earshot.Monitoring:
	case earshot.Resolved:
		return bad("status", "an incident cannot be opened resolved")
	default:
		return bad("status", "%q is not one of investigating, identified, monitoring", r.Status)
	}
	msg, err := message(r.Message, "message")
	if err != nil {
		return earshot.Incident{}, err
	}
	if msg == "" {
		msg = "Incident opened"
	}
	started := r.StartedAt.UTC()
	if started.IsZero() {
		started = now
	}
	if started.After(now.Add(maxFuture)) {
		return bad("started_at", "%s is in the future", started.Format(time.RFC3339))
	}
	link := strings.TrimSpace(r.URL)
	if link != "" {
		u, err := url.Parse(link)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("url", "must be an absolute http(s) URL")
		}
	}
	id := r.ID
	if id == "" {
		id = NewID(now)
	} else if !idPattern.MatchString(id) {
		return bad("id", "must be 1 to 64 letters, digits, '.', '_' or '-'")
	}
	inc := earshot.Incident{
		ID: earshot.PostID(Source, id), Source: Source, Title: title, Severity: r.Severity,
		Services: services, Watches: watches, StartedAt: started, URL: link,
	}
	inc, _ = inc.Merge(earshot.IncidentUpdate{At: started, Status: status, Body: msg})
	return inc, nil
}

// Update applies r to inc at now. A change to a resolved incident is an
// error wrapping earshot.ErrInvalidTransition; a bad value is a
// *FieldError.
func Update(inc earshot.Incident, r UpdateRequest, now time.Time) (earshot.Incident, error) {
	if inc.Status == earshot.Resolved {
		return inc, fmt.Errorf("incident %s is already resolved: %w", inc.ID, earshot.ErrInvalidTransition)
	}
	if r.Status != "" && !r.Status.Valid() {
		return inc, &FieldError{"status", fmt.Sprintf("%q is not one of investigating, identified, monitoring, resolved", r.Status)}
	}
	msg, err := message(r.Message, "message")
	if err != nil {
		return inc, err
	}
	if msg == "" && r.Status == "" {
		return inc, &FieldError{"message", "required when status is not given"}
	}
	if msg == "" {
		msg = "Status: " + string(r.Status)
		if r.Status == earshot.Resolved {
			msg = "Resolved"
		}
	}
	at := r.At.UTC()
	if at.IsZero() {
		at = now.UTC()
	}
	if at.After(now.Add(maxFuture)) {
		return inc, &FieldError{"at", at.Format(time.RFC3339) + " is in the future"}
	}
	next, err := inc.Apply(earshot.IncidentUpdate{At: at, Status: r.Status, Body: msg})
	if err != nil && !errors.Is(err, earshot.ErrInvalidTransition) {
		return inc, &FieldError{"at", err.Error()}
	}
	return next, err
}

func message(s, field string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		return "", &FieldError{field, "not valid UTF-8"}
	case len(s) > maxMessage:
		return "", &FieldError{field, fmt.Sprintf("longer than %d bytes", maxMessage)}
	}
	return s, nil
}

// NewID makes an incident ID from the time and a random suffix:
// "20260302-091500-4f2a".
func NewID(now time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}
