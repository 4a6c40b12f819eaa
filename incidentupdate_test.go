package earshot

import (
	"errors"
	"testing"
	"time"
)

func TestIncidentMerge(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	inc := Incident{ID: "pagerduty:P1", Title: "API errors"}

	steps := []struct {
		name        string
		u           IncidentUpdate
		changed     bool
		status      IncidentStatus
		resolvedAt  time.Time
		updates     int
		startedAt   time.Time
		lastUpdated time.Time
	}{
		{"trigger", IncidentUpdate{At: at(10), Status: Investigating, Body: "triggered"}, true, Investigating, time.Time{}, 1, at(10), at(10)},
		{"redelivered", IncidentUpdate{At: at(10), Status: Investigating, Body: "triggered"}, false, Investigating, time.Time{}, 1, at(10), at(10)},
		{"resolve arrives before ack", IncidentUpdate{At: at(30), Status: Resolved, Body: "resolved"}, true, Resolved, at(30), 2, at(10), at(30)},
		{"late ack keeps it resolved", IncidentUpdate{At: at(20), Status: Identified, Body: "acked"}, true, Resolved, at(30), 3, at(10), at(30)},
		{"note takes the status of its time", IncidentUpdate{At: at(25), Body: "a note"}, true, Resolved, at(30), 4, at(10), at(30)},
		{"earlier event moves the start", IncidentUpdate{At: at(5), Status: Investigating, Body: "first alert"}, true, Resolved, at(30), 5, at(5), at(30)},
		{"second resolve keeps the first time", IncidentUpdate{At: at(31), Status: Resolved, Body: "resolved again"}, true, Resolved, at(30), 6, at(5), at(31)},
		{"reopen", IncidentUpdate{At: at(40), Status: Investigating, Body: "reopened"}, true, Investigating, time.Time{}, 7, at(5), at(40)},
	}
	for _, s := range steps {
		before := len(inc.Updates)
		next, changed := inc.Merge(s.u)
		if len(inc.Updates) != before {
			t.Fatalf("%s: Merge modified its receiver", s.name)
		}
		inc = next
		if changed != s.changed || inc.Status != s.status || !inc.ResolvedAt.Equal(s.resolvedAt) ||
			len(inc.Updates) != s.updates || !inc.StartedAt.Equal(s.startedAt) || !inc.UpdatedAt.Equal(s.lastUpdated) {
			t.Errorf("%s: changed=%v status=%s resolved=%v updates=%d started=%v updated=%v", s.name,
				changed, inc.Status, inc.ResolvedAt, len(inc.Updates), inc.StartedAt, inc.UpdatedAt)
		}
	}
	if note := inc.Updates[3]; note.Body != "a note" || note.Status != Identified {
		t.Errorf("note = %+v, want status identified (the ack before it)", note)
	}
	for i := 1; i < len(inc.Updates); i++ {
		if inc.Updates[i].At.Before(inc.Updates[i-1].At) {
			t.Errorf("updates out of order: %+v", inc.Updates)
		}
	}
}

func TestIncidentApply(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	inc, _ := Incident{ID: "manual:1", StartedAt: t0}.Merge(IncidentUpdate{At: t0, Status: Investigating, Body: "opened"})

	if _, err := inc.Apply(IncidentUpdate{At: t0.Add(time.Minute), Status: "fixed"}); err == nil {
		t.Error("unknown status accepted")
	}
	if _, err := inc.Apply(IncidentUpdate{At: t0.Add(-time.Minute), Body: "too early"}); err == nil {
		t.Error("update before the latest one accepted")
	}
	inc, err := inc.Apply(IncidentUpdate{At: t0.Add(time.Minute), Body: "still looking"})
	if err != nil || inc.Status != Investigating || len(inc.Updates) != 2 {
		t.Fatalf("note: %v %+v", err, inc)
	}
	inc, err = inc.Apply(IncidentUpdate{At: t0.Add(time.Hour), Status: Resolved, Body: "fixed"})
	if err != nil || inc.Status != Resolved || !inc.ResolvedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("resolve: %v %+v", err, inc)
	}
	if _, err := inc.Apply(IncidentUpdate{At: t0.Add(2 * time.Hour), Status: Monitoring}); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("updating a resolved incident: err = %v, want ErrInvalidTransition", err)
	}
}
