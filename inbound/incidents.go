package inbound

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/earshot/earshot"
)

// Incidents keeps an endpoint's incidents in Store, one read-modify-write
// at a time, so that two deliveries about one incident cannot lose each
// other's change. The zero value is not usable: set Store.
type Incidents struct {
	Store earshot.IncidentStore
	// Watches, when set, are the watches the endpoint's incidents affect
	// when they name none (see earshot.Incident.ScopedTo).
	Watches []string

	mu sync.Mutex
}

// StoreError is a failure of the store during Upsert.
type StoreError struct {
	// Doing is "loading" or "saving".
	Doing string
	ID    string
	Err   error
}

func (e *StoreError) Error() string { return fmt.Sprintf("%s incident %s: %v", e.Doing, e.ID, e.Err) }

func (e *StoreError) Unwrap() error { return e.Err }

// Upsert loads the incident id, passes it to change and saves what change
// returns, unless it is what was stored. When the store has no incident id,
// change gets one with only the ID and source set, and found false.
//
// Upsert returns the incident as change left it and whether it was saved.
// An error from change is returned as it is, and nothing is saved; a
// failure of the store is a *StoreError.
func (k *Incidents) Upsert(ctx context.Context, id, source string, change func(inc earshot.Incident, found bool) (earshot.Incident, error)) (earshot.Incident, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	old, err := k.Store.Incident(ctx, id)
	found := err == nil
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		old = earshot.Incident{ID: id, Source: source}
	case err != nil:
		return old, false, &StoreError{"loading", id, err}
	}
	inc, err := change(old, found)
	if err != nil {
		return inc, false, err
	}
	inc = inc.ScopedTo(k.Watches)
	if reflect.DeepEqual(inc, old) {
		return inc, false, nil
	}
	if err := k.Store.SaveIncident(ctx, inc); err != nil {
		return inc, false, &StoreError{"saving", id, err}
	}
	return inc, true, nil
}
