package inbound

import (
	"context"

	"github.com/earshot/earshot"
)

// Waking is an IncidentStore that calls Wake after every incident it
// saves: serve gives it to the webhooks, the incident API and the incident
// pollers, so an incident saved wakes the engine and the spike it explains
// is linked within seconds.
type Waking struct {
	earshot.IncidentStore
	Wake func()
}

func (w Waking) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	if err := w.IncidentStore.SaveIncident(ctx, inc); err != nil {
		return err
	}
	w.Wake()
	return nil
}
