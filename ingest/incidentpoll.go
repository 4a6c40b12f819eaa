package ingest

import (
	"context"
	"fmt"

	"github.com/earshot/earshot"
)

// NewIncidentPoller returns a Poller that runs an incident collector: every
// incident a run returns is saved whole to store (replacing the stored one
// with the same ID, so a re-polled page never duplicates an incident or an
// update), and the cursor moves only once all of them are saved. Health,
// gaps, backoff and rate limits work as for posts; set Interval, Kind,
// Health, Log and the rest on the result. The poller counts no posts.
func NewIncidentPoller(c earshot.IncidentCollector, store earshot.IncidentStore, cursors earshot.CursorStore) *Poller {
	return &Poller{
		Collector: incidentSaver{c, store},
		Cursors:   cursors,
		Sink:      func(context.Context, []earshot.Post) error { return nil },
	}
}

// incidentSaver is an IncidentCollector seen as a Collector that stores
// what it collects and hands on no posts.
type incidentSaver struct {
	c     earshot.IncidentCollector
	store earshot.IncidentStore
}

func (s incidentSaver) Name() string { return s.c.Name() }

func (s incidentSaver) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	incidents, next, err := s.c.CollectIncidents(ctx, cursor)
	for _, inc := range incidents {
		if serr := s.store.SaveIncident(ctx, inc); serr != nil {
			return nil, "", fmt.Errorf("saving incident %s: %w", inc.ID, serr)
		}
	}
	if err != nil {
		// Incidents are saved whole, so the ones kept here are simply
		// saved again by the next run from the old cursor.
		return nil, "", err
	}
	return nil, next, nil
}

// ScopedIncidents returns store, saving every incident scoped to watches
// (see earshot.Incident.ScopedTo): the incidents of a source that belongs
// to one brand. With no watches it returns store itself.
func ScopedIncidents(store earshot.IncidentStore, watches []string) earshot.IncidentStore {
	if len(watches) == 0 {
		return store
	}
	return scopedIncidents{store, watches}
}

type scopedIncidents struct {
	earshot.IncidentStore
	watches []string
}

func (s scopedIncidents) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	return s.IncidentStore.SaveIncident(ctx, inc.ScopedTo(s.watches))
}
