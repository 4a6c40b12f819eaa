package statuspage

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/clip"
)

// incidentsDoc is the body of /api/v2/incidents.json.
type incidentsDoc struct {
	Incidents []apiIncident `json:"incidents"`
}

// componentsDoc is the body of /api/v2/components.json.
type componentsDoc struct {
	Components []apiComponent `json:"components"`
}

type apiIncident struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	Status          string         `json:"status"`
	Impact          string         `json:"impact"`
	Shortlink       string         `json:"shortlink"`
	CreatedAt       time.Time      `json:"created_at"`
	StartedAt       time.Time      `json:"started_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	ResolvedAt      time.Time      `json:"resolved_at"`
	Components      []apiComponent `json:"components"`
	IncidentUpdates []apiUpdate    `json:"incident_updates"`
}

type apiComponent struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type apiUpdate struct {
	ID                 string    `json:"id"`
	Status             string    `json:"status"`
	Body               string    `json:"body"`
	CreatedAt          time.Time `json:"created_at"`
	DisplayAt          time.Time `json:"display_at"`
	AffectedComponents []struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"affected_components"`
}

// Bounds on what a page may put in an incident.
const (
	maxTitle = 1 << 10
	maxBody  = 16 << 10
)

func (in apiIncident) updatedAt() time.Time {
	t := in.UpdatedAt
	for _, u := range in.IncidentUpdates {
		if at := u.at(); at.After(t) {
			t = at
		}
	}
	return t
}

// at is when the update was posted, as the page shows it.
func (u apiUpdate) at() time.Time {
	if !u.DisplayAt.IsZero() {
		return u.DisplayAt
	}
	return u.CreatedAt
}

// needsComponentNames reports whether an incident names a component by ID
// alone.
func needsComponentNames(incidents []apiIncident) bool {
	for _, in := range incidents {
		for _, comp := range in.Components {
			if comp.Name == "" && comp.ID != "" {
				return true
			}
		}
		for _, u := range in.IncidentUpdates {
			for _, ac := range u.AffectedComponents {
				if ac.Name == "" && ac.Code != "" {
					return true
				}
			}
		}
	}
	return false
}

// status maps a Statuspage status to an incident status; ok is false for a
// maintenance that has not begun.
func status(s string, resolved bool) (earshot.IncidentStatus, bool) {
	switch st := earshot.IncidentStatus(s); {
	case st.Valid():
		return st, true
	case s == "postmortem" || s == "completed":
		return earshot.Resolved, true
	case s == "in_progress":
		return earshot.Identified, true
	case s == "verifying":
		return earshot.Monitoring, true
	case s == "scheduled":
		return "", false
	case resolved:
		return earshot.Resolved, true
	}
	return earshot.Investigating, true
}

// severity maps an impact to a severity: none, minor, major or critical.
func severity(impact string) string {
	switch impact {
	case "none", "minor", "major", "critical":
		return impact
	case "maintenance":
		return "none"
	}
	return ""
}

// incident turns a Statuspage incident into an earshot.Incident; ok is
// false when it is to be skipped. names maps component IDs to names.
func (c *Collector) incident(in apiIncident, names map[string]string) (earshot.Incident, bool) {
	st, ok := status(in.Status, !in.ResolvedAt.IsZero())
	if !ok {
		return earshot.Incident{}, false
	}
	inc := earshot.Incident{
		ID:        earshot.PostID(Source, in.ID),
		Source:    Source,
		Title:     clip.String(strings.ToValidUTF8(in.Name, "\uFFFD"), maxTitle, clip.Trim|clip.Ellipsis),
		Status:    st,
		Severity:  severity(in.Impact),
		StartedAt: in.CreatedAt,
		URL:       c.link(in),
		UpdatedAt: in.updatedAt().UTC(),
	}
	if !in.StartedAt.IsZero() {
		inc.StartedAt = in.StartedAt
	}

	var components []string
	for _, comp := range in.Components {
		components = append(components, componentName(comp.ID, comp.Name, names))
	}
	for _, u := range in.IncidentUpdates {
		for _, ac := range u.AffectedComponents {
			components = append(components, componentName(ac.Code, ac.Name, names))
		}
		ust, ok := status(u.Status, false)
		if !ok {
			continue
		}
		inc.Updates = append(inc.Updates, earshot.IncidentUpdate{At: u.at().UTC(), Status: ust, Body: clip.String(strings.ToValidUTF8(u.Body, "\uFFFD"), maxBody, clip.Trim|clip.Ellipsis)})
	}
	inc.Services = c.services(components)
	// The API lists updates newest first.
	slices.SortStableFunc(inc.Updates, func(a, b earshot.IncidentUpdate) int { return a.At.Compare(b.At) })

	if inc.StartedAt.IsZero() && len(inc.Updates) > 0 {
		inc.StartedAt = inc.Updates[0].At
	}
	if inc.StartedAt.IsZero() {
		inc.StartedAt = inc.UpdatedAt
	}
	inc.StartedAt = inc.StartedAt.UTC()
	if st == earshot.Resolved {
		inc.ResolvedAt = resolvedAt(in, inc)
	}
	return inc, true
}

// resolvedAt is the resolved_at the page gives, else the first resolved
// update after the last other one, else the last update.
func resolvedAt(in apiIncident, inc earshot.Incident) time.Time {
	if !in.ResolvedAt.IsZero() {
		return in.ResolvedAt.UTC()
	}
	at := inc.UpdatedAt
	for i := len(inc.Updates) - 1; i >= 0 && inc.Updates[i].Status == earshot.Resolved; i-- {
		at = inc.Updates[i].At
	}
	return at
}

func componentName(id, name string, names map[string]string) string {
	if name == "" {
		name = names[id]
	}
	return name
}

// services maps component names to services, in order, once each.
func (c *Collector) services(components []string) []string {
	var out []string
	for _, name := range components {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if s, ok := c.Cfg.Components[name]; ok {
			name = s
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// link is the incident's shortlink when it is an http(s) URL, else its
// page on the status page.
func (c *Collector) link(in apiIncident) string {
	if u, err := url.Parse(in.Shortlink); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return u.String()
	}
	return c.base + "/incidents/" + url.PathEscape(in.ID)
}
