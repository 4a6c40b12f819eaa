package link

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// postStore returns the in-memory store holding posts.
func postStore(t *testing.T, posts ...earshot.Post) *memstore.Store {
	t.Helper()
	st := memstore.New()
	if err := st.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	return st
}

// incidentStore returns the in-memory store holding incidents.
func incidentStore(t *testing.T, incidents ...earshot.Incident) *memstore.Store {
	t.Helper()
	st := memstore.New()
	for _, inc := range incidents {
		if err := st.SaveIncident(t.Context(), inc); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// spikeStore returns the in-memory store holding spikes.
func spikeStore(t *testing.T, spikes ...earshot.Spike) *memstore.Store {
	t.Helper()
	st := memstore.New()
	for _, s := range spikes {
		if err := st.SaveSpike(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// allPosts returns every post st holds.
func allPosts(t *testing.T, st earshot.PostLister) []earshot.Post {
	t.Helper()
	ps, err := st.Posts(t.Context(), earshot.PostQuery{To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// linkRecorder is the in-memory store, recording what LinkPosts was asked.
type linkRecorder struct {
	*memstore.Store
	calls []linkCall
}

type linkCall struct {
	q        earshot.PostQuery
	incident string
}

func (r *linkRecorder) LinkPosts(ctx context.Context, q earshot.PostQuery, incidentID string) (int64, error) {
	r.calls = append(r.calls, linkCall{q, incidentID})
	return r.Store.LinkPosts(ctx, q, incidentID)
}

// failing is the in-memory store failing every read of posts and of
// incidents.
type failing struct{ *memstore.Store }

func (failing) Incidents(context.Context, time.Time, time.Time) ([]earshot.Incident, error) {
	return nil, fmt.Errorf("store down")
}

func (failing) Posts(context.Context, earshot.PostQuery) ([]earshot.Post, error) {
	return nil, fmt.Errorf("store down")
}
