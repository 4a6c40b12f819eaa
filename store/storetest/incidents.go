package storetest

import (
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func incident(id string, started, resolved time.Time) earshot.Incident {
	status := earshot.Investigating
	if !resolved.IsZero() {
		status = earshot.Resolved
	}
	return earshot.Incident{
		ID:         "statuspage:" + id,
		Source:     "statuspage",
		Title:      "Incident " + id,
		Status:     status,
		StartedAt:  started,
		ResolvedAt: resolved,
		UpdatedAt:  started,
	}
}

func saveIncident(t *testing.T, st earshot.Store, inc earshot.Incident) {
	t.Helper()
	must(t, st.SaveIncident(t.Context(), inc), "SaveIncident(%s)", inc.ID)
}

func getIncident(t *testing.T, st earshot.Store, id string) earshot.Incident {
	t.Helper()
	return got(st.Incident(t.Context(), id)).or(t, "Incident(%q)", id)
}

// testIncidentRoundTrip: an incident comes back as saved; saving one with
// the same ID replaces it whole (status, resolution, updates, services);
// a missing ID is ErrNotFound. Watches come back too.
func testIncidentRoundTrip(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	_, err := st.Incident(ctx, "statuspage:nope")
	wantNotFound(t, "Incident on an empty store", err)

	open := earshot.Incident{
		ID:        "statuspage:inc-42",
		Source:    "statuspage",
		Title:     "Elevated API errors — “EU” region 🔥",
		Status:    earshot.Investigating,
		Severity:  "major",
		Services:  []string{"api", "dashboard"},
		Watches:   []string{"acme", "Acme Pay ünï"},
		StartedAt: Base.Add(-15*time.Minute + 250*time.Millisecond),
		URL:       "https://status.example.com/incidents/42?x=1&y=2",
		UpdatedAt: Base.Add(-10 * time.Minute),
		Updates: []earshot.IncidentUpdate{
			{At: Base.Add(-15 * time.Minute), Status: earshot.Investigating, Body: "We are investigating.\nMore soon."},
		},
	}
	bare := earshot.Incident{ID: "manual:1", Source: "manual", Title: "", Status: earshot.Identified, StartedAt: Base}
	saveIncident(t, st, open)
	saveIncident(t, st, bare)
	diffIncident(getIncident(t, st, open.ID), open).report(t, "incident as created")
	diffIncident(getIncident(t, st, bare.ID), bare).report(t, "bare incident")

	resolved := open
	resolved.Status = earshot.Resolved
	resolved.Severity = "minor"
	resolved.Services = []string{"api"}
	resolved.Watches = []string{"acme"}
	resolved.ResolvedAt = Base.Add(45*time.Minute + 5*time.Millisecond)
	resolved.UpdatedAt = resolved.ResolvedAt
	resolved.Updates = append(append([]earshot.IncidentUpdate(nil), open.Updates...),
		earshot.IncidentUpdate{At: Base.Add(10 * time.Minute), Status: earshot.Identified, Body: "Found it: a bad deploy."},
		earshot.IncidentUpdate{At: resolved.ResolvedAt, Status: earshot.Resolved, Body: "Fixed."},
	)
	saveIncident(t, st, resolved)
	diffIncident(getIncident(t, st, open.ID), resolved).report(t, "incident after update")

	all, err := st.Incidents(ctx, Base.Add(-day), Base.Add(day))
	if err != nil {
		t.Fatalf("Incidents: %v", err)
	}
	checkIncidents(t, "Incidents after update", all, []earshot.Incident{resolved, bare})

	active, err := st.ActiveIncidents(ctx, Base.Add(time.Hour))
	if err != nil {
		t.Fatalf("ActiveIncidents: %v", err)
	}
	checkIncidents(t, "ActiveIncidents after resolving", active, []earshot.Incident{bare})

	// Fewer services and no updates replace, rather than merge with, the old.
	emptied := resolved
	emptied.Services = nil
	emptied.Watches = nil
	emptied.Updates = nil
	emptied.ResolvedAt = time.Time{}
	emptied.Status = earshot.Monitoring
	saveIncident(t, st, emptied)
	diffIncident(getIncident(t, st, open.ID), emptied).report(t, "incident after emptying")
}

// testIncidentWindows: ActiveIncidents(t) holds incidents started at or
// before t and not resolved by t (one resolved exactly at t is over);
// Incidents(from, to) holds incidents open at any time in [from, to);
// both ordered by StartedAt.
func testIncidentWindows(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	i1 := incident("i1", Base.Add(-2*time.Hour), Base.Add(-time.Hour))
	i2 := incident("i2", Base.Add(-30*time.Minute), time.Time{})
	i3 := incident("i3", Base, Base.Add(time.Hour))
	i4 := incident("i4", Base.Add(time.Hour), Base.Add(2*time.Hour))
	i5 := incident("i5", Base.Add(3*time.Hour), time.Time{})
	all := []earshot.Incident{i1, i2, i3, i4, i5}
	for _, inc := range []earshot.Incident{i4, i1, i5, i3, i2} {
		saveIncident(t, st, inc)
	}

	for _, tc := range []struct {
		at   time.Time
		want []earshot.Incident // written out by hand; ActiveAt must agree
	}{
		{Base.Add(-3 * time.Hour), nil},
		{Base.Add(-90 * time.Minute), []earshot.Incident{i1}},
		{Base.Add(-time.Hour), nil},
		{Base.Add(-time.Hour - time.Millisecond), []earshot.Incident{i1}},
		{Base, []earshot.Incident{i2, i3}},
		{Base.Add(-time.Millisecond), []earshot.Incident{i2}},
		{Base.Add(time.Hour), []earshot.Incident{i2, i4}},
		{Base.Add(time.Hour - time.Millisecond), []earshot.Incident{i2, i3}},
		{Base.Add(2 * time.Hour), []earshot.Incident{i2}},
		{Base.Add(10 * day), []earshot.Incident{i2, i5}},
	} {
		var model []earshot.Incident
		for _, inc := range all {
			if inc.ActiveAt(tc.at) {
				model = append(model, inc)
			}
		}
		checkIncidents(t, "storetest bug: ActiveAt disagrees", model, tc.want)
		got, err := st.ActiveIncidents(ctx, tc.at)
		if err != nil {
			t.Fatalf("ActiveIncidents(%s): %v", tc.at, err)
		}
		checkIncidents(t, "ActiveIncidents("+tc.at.Format(time.RFC3339Nano)+")", got, tc.want)
	}

	for _, tc := range []struct {
		from, to time.Time
		want     []earshot.Incident // written out by hand; Overlaps must agree
	}{
		{Base.Add(-time.Hour), Base, []earshot.Incident{i2}},
		{Base.Add(-time.Hour - time.Millisecond), Base, []earshot.Incident{i1, i2}},
		{Base, Base.Add(time.Hour), []earshot.Incident{i2, i3}},
		{Base, Base.Add(time.Hour + time.Millisecond), []earshot.Incident{i2, i3, i4}},
		{Base.Add(2 * time.Hour), Base.Add(3 * time.Hour), []earshot.Incident{i2}},
		{Base.Add(-3 * time.Hour), Base.Add(4 * time.Hour), all},
		{Base.Add(-5 * time.Hour), Base.Add(-2 * time.Hour), nil},
		{Base.Add(10 * day), Base.Add(11 * day), []earshot.Incident{i2, i5}},
	} {
		var model []earshot.Incident
		for _, inc := range all {
			if inc.Overlaps(tc.from, tc.to) {
				model = append(model, inc)
			}
		}
		checkIncidents(t, "storetest bug: Overlaps disagrees", model, tc.want)
		got, err := st.Incidents(ctx, tc.from, tc.to)
		if err != nil {
			t.Fatalf("Incidents: %v", err)
		}
		checkIncidents(t, "Incidents("+span(tc.from, tc.to)+")", got, tc.want)
	}
}

// testIncidentClosure: an incident's closure for comms (who, when, an
// admin's override reason and the refusals it overrode) comes back as
// saved, in the single and the window reads; a later save without a
// closure (a status page collector's, which knows nothing of it) keeps it;
// an incident never closed reads with none.
func testIncidentClosure(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	inc := incident("closed-1", Base.Add(-3*time.Hour), Base.Add(-time.Hour))
	other := incident("open-2", Base.Add(-2*time.Hour), time.Time{})
	saveIncident(t, st, inc)
	saveIncident(t, st, other)
	if got := getIncident(t, st, inc.ID); got.Closure != nil {
		t.Fatalf("a new incident reads closed: %+v", got.Closure)
	}

	closed := inc
	closed.UpdatedAt = Base.Add(10 * time.Minute)
	closed.Closure = &earshot.Closure{
		At:         Base.Add(10*time.Minute + 125*time.Millisecond),
		By:         "ada ünï",
		Override:   "Called the last 2 customers by phone; \"done\" <b>",
		Overridden: []string{"2 follow-up(s) still waiting (2 open, 0 assigned, 0 contacted)", "negative share is 12.0%"},
	}
	saveIncident(t, st, closed)
	diffIncident(getIncident(t, st, inc.ID), closed).report(t, "closed incident")
	got, err := st.Incidents(ctx, Base.Add(-4*time.Hour), Base)
	if err != nil {
		t.Fatalf("Incidents: %v", err)
	}
	checkIncidents(t, "Incidents after closing", got, []earshot.Incident{closed, other})

	// The status page updates its title later and saves it whole.
	recollected := inc
	recollected.Title = "Incident closed-1 (postmortem)"
	recollected.UpdatedAt = Base.Add(20 * time.Minute)
	saveIncident(t, st, recollected)
	want := recollected
	want.Closure = closed.Closure
	diffIncident(getIncident(t, st, inc.ID), want).report(t, "closed incident saved again without its closure")

	// A plain closure (nothing overridden) round-trips with empty fields.
	plain := other
	plain.Closure = &earshot.Closure{At: Base, By: "cam"}
	saveIncident(t, st, plain)
	diffIncident(getIncident(t, st, other.ID), plain).report(t, "plainly closed incident")
}
