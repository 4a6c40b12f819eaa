package inbound_test

import (
	"errors"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound"
	"github.com/earshot/earshot/store/duckdb"
	"github.com/earshot/earshot/store/memstore"
)

func TestUpsert(t *testing.T) {
	st, err := duckdb.Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	k := &inbound.Incidents{Store: st}
	at := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	open := func(inc earshot.Incident, found bool) (earshot.Incident, error) {
		if found {
			t.Error("change saw a stored incident on the first upsert")
		}
		if inc.ID != "hook:1" || inc.Source != "hook" {
			t.Errorf("change got %+v, want only the ID and source set", inc)
		}
		inc.Title = "Checkout down"
		inc, _ = inc.Merge(earshot.IncidentUpdate{At: at, Status: earshot.Investigating, Body: "Triggered"})
		return inc, nil
	}
	inc, saved, err := k.Upsert(t.Context(), "hook:1", "hook", open)
	if err != nil || !saved || inc.Title != "Checkout down" {
		t.Fatalf("first Upsert = %+v, %v, %v", inc, saved, err)
	}
	same := func(inc earshot.Incident, found bool) (earshot.Incident, error) {
		if !found || inc.Title != "Checkout down" {
			t.Errorf("change got %+v, found %v; want the stored incident", inc, found)
		}
		inc, _ = inc.Merge(earshot.IncidentUpdate{At: at, Status: earshot.Investigating, Body: "Triggered"})
		return inc, nil
	}
	if _, saved, err := k.Upsert(t.Context(), "hook:1", "hook", same); err != nil || saved {
		t.Errorf("re-delivered Upsert = saved %v, %v; want nothing saved", saved, err)
	}
	refused := errors.New("refused")
	if _, saved, err := k.Upsert(t.Context(), "hook:1", "hook", func(inc earshot.Incident, _ bool) (earshot.Incident, error) {
		inc.Title = "changed"
		return inc, refused
	}); !errors.Is(err, refused) || saved {
		t.Errorf("refused Upsert = saved %v, %v", saved, err)
	}
	got, err := st.Incident(t.Context(), "hook:1")
	if err != nil || got.Title != "Checkout down" || len(got.Updates) != 1 {
		t.Errorf("stored = %+v, %v", got, err)
	}
}

func TestStoreError(t *testing.T) {
	cause := errors.New("disk full")
	err := error(&inbound.StoreError{Doing: "saving", ID: "hook:1", Err: cause})
	if err.Error() != "saving incident hook:1: disk full" || !errors.Is(err, cause) {
		t.Errorf("StoreError = %q", err)
	}
}

// TestUpsertScopesToWatches: an endpoint with watches gives them to every
// incident that names none, and leaves an incident that names its own.
func TestUpsertScopesToWatches(t *testing.T) {
	st := memstore.New()
	k := &inbound.Incidents{Store: st, Watches: []string{"acme"}}
	at := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	for id, own := range map[string][]string{"hook:plain": nil, "hook:own": {"globex"}} {
		if _, _, err := k.Upsert(t.Context(), id, "hook", func(inc earshot.Incident, _ bool) (earshot.Incident, error) {
			inc.Title, inc.Services, inc.Watches = "API down", []string{"api"}, own
			inc, _ = inc.Merge(earshot.IncidentUpdate{At: at, Status: earshot.Investigating})
			return inc, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for id, want := range map[string]string{"hook:plain": "acme", "hook:own": "globex"} {
		got, err := st.Incident(t.Context(), id)
		if err != nil || len(got.Watches) != 1 || got.Watches[0] != want {
			t.Errorf("%s stored with watches %v (%v), want [%s]", id, got.Watches, err, want)
		}
	}
}
