package inbound

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// failingIncidents refuses every save.
type failingIncidents struct{ earshot.IncidentStore }

func (failingIncidents) SaveIncident(context.Context, earshot.Incident) error {
	return errors.New("store down")
}

func TestWaking(t *testing.T) {
	st := memstore.New()
	wakes := 0
	w := Waking{IncidentStore: st, Wake: func() { wakes++ }}
	inc := earshot.Incident{ID: "manual:1", Title: "Login failures", Status: earshot.Investigating,
		StartedAt: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), Source: "manual"}
	if err := w.SaveIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Incident(t.Context(), "manual:1"); err != nil || got.Title != inc.Title {
		t.Fatalf("saved incident not in the store: %+v, %v", got, err)
	}
	if wakes != 1 {
		t.Errorf("%d wakes after one save, want 1", wakes)
	}
	f := Waking{IncidentStore: failingIncidents{st}, Wake: func() { wakes++ }}
	if err := f.SaveIncident(t.Context(), inc); err == nil {
		t.Error("a failed save reported no error")
	}
	if wakes != 1 {
		t.Errorf("a failed save woke the engine (%d wakes)", wakes)
	}
}
