package ingest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// incidentStore is the in-memory store; err, when set, fails every save
// of an incident.
type incidentStore struct {
	*memstore.Store
	err error
}

func (s *incidentStore) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	if s.err != nil {
		return s.err
	}
	return s.Store.SaveIncident(ctx, inc)
}

// storedIncidents returns every incident st keeps, by ID.
func storedIncidents(t *testing.T, st earshot.IncidentStore) map[string]earshot.Incident {
	t.Helper()
	all, err := st.Incidents(t.Context(), time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]earshot.Incident{}
	for _, inc := range all {
		out[inc.ID] = inc
	}
	return out
}

type scriptIncidents struct {
	calls   []string
	answers []func() ([]earshot.Incident, string, error)
}

func (s *scriptIncidents) Name() string { return "status" }
func (s *scriptIncidents) CollectIncidents(_ context.Context, cursor string) ([]earshot.Incident, string, error) {
	s.calls = append(s.calls, cursor)
	i := len(s.calls) - 1
	if i >= len(s.answers) {
		return nil, cursor, earshot.ErrNotModified
	}
	return s.answers[i]()
}

func TestIncidentPoller(t *testing.T) {
	a := earshot.Incident{ID: "statuspage:a", Title: "API down", Status: earshot.Investigating}
	aResolved := a
	aResolved.Status = earshot.Resolved
	b := earshot.Incident{ID: "statuspage:b", Title: "Login slow", Status: earshot.Identified}
	col := &scriptIncidents{answers: []func() ([]earshot.Incident, string, error){
		func() ([]earshot.Incident, string, error) { return []earshot.Incident{a}, "c1", nil },
		func() ([]earshot.Incident, string, error) { return []earshot.Incident{aResolved, b}, "c2", nil }, // store fails
		func() ([]earshot.Incident, string, error) {
			return []earshot.Incident{b}, "c3", errors.New("page 2 failed")
		},
		func() ([]earshot.Incident, string, error) { return []earshot.Incident{aResolved, b}, "c4", nil },
	}}
	store := &incidentStore{Store: memstore.New()}
	cursors := cursorsAt(t, "")
	p := NewIncidentPoller(col, store, cursors)

	ctx := t.Context()
	if _, err := p.Once(ctx); err != nil || cursorOf(t, cursors, "status") != "c1" || len(storedIncidents(t, store)) != 1 {
		t.Fatalf("run 1: %v cursor %q saved %d", err, cursorOf(t, cursors, "status"), len(storedIncidents(t, store)))
	}
	store.err = errors.New("disk full")
	if _, err := p.Once(ctx); err == nil || cursorOf(t, cursors, "status") != "c1" {
		t.Fatalf("run 2 (store down): %v cursor %q", err, cursorOf(t, cursors, "status"))
	}
	store.err = nil
	if _, err := p.Once(ctx); err == nil || cursorOf(t, cursors, "status") != "c1" {
		t.Fatalf("run 3 (collector failed): %v cursor %q", err, cursorOf(t, cursors, "status"))
	}
	if _, err := p.Once(ctx); err != nil || cursorOf(t, cursors, "status") != "c4" {
		t.Fatalf("run 4: %v cursor %q", err, cursorOf(t, cursors, "status"))
	}
	if _, err := p.Once(ctx); !errors.Is(err, earshot.ErrNotModified) || cursorOf(t, cursors, "status") != "c4" {
		t.Fatalf("run 5: %v cursor %q", err, cursorOf(t, cursors, "status"))
	}
	if len(storedIncidents(t, store)) != 2 || storedIncidents(t, store)["statuspage:a"].Status != earshot.Resolved {
		t.Errorf("saved = %+v", storedIncidents(t, store))
	}
	if want := []string{"", "c1", "c1", "c1", "c4"}; len(col.calls) != len(want) || col.calls[4] != "c4" || col.calls[3] != "c1" {
		t.Errorf("cursors passed = %q, want %q", col.calls, want)
	}
	if h := p.HealthNow(); h.Collector != "status" || h.Failures != 0 {
		t.Errorf("health = %+v", h)
	}
}

// TestScopedIncidents: a poller for a source with watches saves its
// incidents scoped to them; one naming its own watches keeps them.
func TestScopedIncidents(t *testing.T) {
	store := memstore.New()
	if got := ScopedIncidents(store, nil); got != earshot.IncidentStore(store) {
		t.Error("no watches: want the store itself")
	}
	col := &scriptIncidents{answers: []func() ([]earshot.Incident, string, error){
		func() ([]earshot.Incident, string, error) {
			return []earshot.Incident{
				{ID: "statuspage:a", Title: "API down", Services: []string{"api"}},
				{ID: "statuspage:b", Title: "Globex login", Watches: []string{"globex"}},
			}, "c1", nil
		},
	}}
	p := NewIncidentPoller(col, ScopedIncidents(store, []string{"acme"}), cursorsAt(t, ""))
	if _, err := p.Once(t.Context()); err != nil {
		t.Fatal(err)
	}
	if w := storedIncidents(t, store)["statuspage:a"].Watches; len(w) != 1 || w[0] != "acme" {
		t.Errorf("statuspage:a saved with watches %v, want [acme]", w)
	}
	if w := storedIncidents(t, store)["statuspage:b"].Watches; len(w) != 1 || w[0] != "globex" {
		t.Errorf("statuspage:b saved with watches %v, want its own [globex]", w)
	}
}
