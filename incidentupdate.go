package earshot

import (
	"fmt"
	"slices"
	"time"
)

// Merge adds u to the incident's updates, unless an update with the same
// time, status and body is already there (a re-delivered webhook), and
// returns the result and whether anything changed. Updates stay in time
// order, and the incident follows them: its status is the latest update's,
// it is resolved from the first resolved update after the last other one (a
// reopened incident is open again), it started no later than its first
// update, and UpdatedAt is at least u.At. An update with no status takes the
// status in force at its time. The incident i is not modified.
//
// Sources that report their own history, such as paging webhooks, merge;
// people, through the CLI or the API, Apply.
func (i Incident) Merge(u IncidentUpdate) (Incident, bool) {
	u.At = u.At.UTC()
	at := len(i.Updates) // where u goes: after every update at or before u.At
	for at > 0 && i.Updates[at-1].At.After(u.At) {
		at--
	}
	if u.Status == "" {
		switch {
		case at > 0:
			u.Status = i.Updates[at-1].Status
		case i.Status != "":
			u.Status = i.Status
		default:
			u.Status = Investigating
		}
	}
	for _, old := range i.Updates {
		if old.At.Equal(u.At) && old.Status == u.Status && old.Body == u.Body {
			return i, false
		}
	}
	i.Updates = slices.Insert(slices.Clone(i.Updates), at, u)

	last := len(i.Updates) - 1
	i.Status = i.Updates[last].Status
	i.ResolvedAt = time.Time{}
	if i.Status == Resolved {
		first := last
		for first > 0 && i.Updates[first-1].Status == Resolved {
			first--
		}
		i.ResolvedAt = i.Updates[first].At
	}
	if i.StartedAt.IsZero() || i.Updates[0].At.Before(i.StartedAt) {
		i.StartedAt = i.Updates[0].At
	}
	if u.At.After(i.UpdatedAt) {
		i.UpdatedAt = u.At
	}
	return i, true
}

// Apply adds an update a person posted (see Merge). It refuses to change a
// resolved incident, with an error wrapping ErrInvalidTransition, and
// refuses an unknown status or an update dated before the incident's latest
// one. An update with no status keeps the incident's.
func (i Incident) Apply(u IncidentUpdate) (Incident, error) {
	if i.Status == Resolved {
		return i, fmt.Errorf("incident %s is resolved and cannot be changed: %w", i.ID, ErrInvalidTransition)
	}
	if u.Status == "" {
		u.Status = i.Status
	}
	if !u.Status.Valid() {
		return i, fmt.Errorf("status %q is not one of investigating, identified, monitoring, resolved", u.Status)
	}
	if n := len(i.Updates); n > 0 && u.At.Before(i.Updates[n-1].At) {
		return i, fmt.Errorf("update at %s is before the incident's latest update (%s)",
			u.At.UTC().Format(time.RFC3339), i.Updates[n-1].At.UTC().Format(time.RFC3339))
	}
	if u.At.Before(i.StartedAt) {
		return i, fmt.Errorf("update at %s is before the incident started (%s)",
			u.At.UTC().Format(time.RFC3339), i.StartedAt.UTC().Format(time.RFC3339))
	}
	merged, _ := i.Merge(u)
	return merged, nil
}
