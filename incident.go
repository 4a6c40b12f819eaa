package earshot

import (
	"slices"
	"time"
)

// IncidentStatus is where an incident stands, in the words status pages use.
type IncidentStatus string

// Incident statuses.
const (
	Investigating IncidentStatus = "investigating"
	Identified    IncidentStatus = "identified"
	Monitoring    IncidentStatus = "monitoring"
	Resolved      IncidentStatus = "resolved"
)

// Valid reports whether s is a known status.
func (s IncidentStatus) Valid() bool {
	switch s {
	case Investigating, Identified, Monitoring, Resolved:
		return true
	}
	return false
}

// Incident is a known service problem: from a status page, a paging
// webhook, or opened by hand.
type Incident struct {
	// ID is stable and source-scoped, like a post's.
	ID       string         `json:"id"`
	Source   string         `json:"source"`
	Title    string         `json:"title"`
	Status   IncidentStatus `json:"status"`
	Severity string         `json:"severity,omitempty"`
	// Services are the affected services, matched against Watch.Services.
	Services []string `json:"services,omitempty"`
	// Watches are the watches (brands, products) it affects. When set, it
	// explains only those watches' spikes, however its services compare;
	// when empty, any watch whose services it names.
	Watches   []string  `json:"watches,omitempty"`
	StartedAt time.Time `json:"started_at"`
	// ResolvedAt is zero while the incident is open.
	ResolvedAt time.Time        `json:"resolved_at,omitzero"`
	URL        string           `json:"url,omitempty"`
	UpdatedAt  time.Time        `json:"updated_at"`
	Updates    []IncidentUpdate `json:"updates,omitempty"`
}

// IncidentUpdate is one message posted on an incident.
type IncidentUpdate struct {
	At     time.Time      `json:"at"`
	Status IncidentStatus `json:"status"`
	Body   string         `json:"body"`
}

// ActiveAt reports whether the incident was open at t: started at or
// before t and not resolved by then.
func (i Incident) ActiveAt(t time.Time) bool {
	if i.StartedAt.After(t) {
		return false
	}
	return i.ResolvedAt.IsZero() || i.ResolvedAt.After(t)
}

// ScopedTo returns i affecting watches when it names none itself: the
// watches a source's incidents belong to (one brand's status page, one
// team's PagerDuty), so that one brand's incident is never linked to another
// brand's spike because both name the same services. An incident that
// names its watches keeps them.
func (i Incident) ScopedTo(watches []string) Incident {
	if len(i.Watches) == 0 && len(watches) > 0 {
		i.Watches = slices.Clone(watches)
	}
	return i
}

// Overlaps reports whether the incident was open at any time in [from, to).
func (i Incident) Overlaps(from, to time.Time) bool {
	if !i.StartedAt.Before(to) {
		return false
	}
	return i.ResolvedAt.IsZero() || i.ResolvedAt.After(from)
}

// Covers reports whether the incident names one of services. An incident
// that names no service covers everything.
func (i Incident) Covers(services []string) bool {
	if len(i.Services) == 0 {
		return true
	}
	for _, s := range services {
		if slices.Contains(i.Services, s) {
			return true
		}
	}
	return false
}
