package engine

import (
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/duckdb"
)

// TestDataClock checks the data's clock: a step at From and every Step up
// to To, each incident saved and told before the first step at or after
// its time, and an incident after the last step saved all the same.
func TestDataClock(t *testing.T) {
	st, err := duckdb.Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := New(Config{Store: st, ManualIncidents: true})
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	inc := func(id string, at time.Time) IncidentAt {
		return IncidentAt{At: at, Incident: earshot.Incident{ID: id, Source: "test", Title: id, Status: earshot.Investigating, StartedAt: at, UpdatedAt: at}}
	}
	var steps []time.Time
	known := map[time.Time]int{}
	c := &Data{From: from, To: from.Add(20 * time.Minute), Step: 5 * time.Minute, Store: st,
		Incidents: []IncidentAt{inc("a", from.Add(3*time.Minute)), inc("b", from.Add(5*time.Minute)), inc("late", from.Add(time.Hour))},
		Notes: func(at time.Time, _ []earshot.Notification) error {
			steps = append(steps, at)
			incs, err := st.Incidents(t.Context(), from.Add(-time.Hour), from.Add(2*time.Hour))
			known[at] = len(incs)
			return err
		}}
	if err := e.Drive(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 5 || !steps[0].Equal(from) || !steps[4].Equal(from.Add(20*time.Minute)) {
		t.Errorf("steps at %v, want every 5 minutes from %v to 20 minutes later", steps, from)
	}
	if known[from] != 0 || known[from.Add(5*time.Minute)] != 2 || known[from.Add(20*time.Minute)] != 2 {
		t.Errorf("incidents known by step: %v", known)
	}
	if s := e.Stats(); s.Steps != 5 {
		t.Errorf("engine stepped %d times, want 5", s.Steps)
	}
	if _, err := st.Incident(t.Context(), "late"); err != nil {
		t.Errorf("the incident after the last step was not saved: %v", err)
	}
}
