package bench

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// failingNegative is a store whose TopNegative fails.
type failingNegative struct{ *memstore.Store }

func (failingNegative) TopNegative(context.Context, earshot.PostQuery) ([]earshot.Post, error) {
	return nil, errors.New("no ranking today")
}

// TestTimeDashboardStoreCalls: besides the requests, each store call the
// page makes is timed on its own, runs times; a call that fails is
// reported, not timed.
func TestTimeDashboardStoreCalls(t *testing.T) {
	st := memstore.New()
	end := Start.Add(24 * time.Hour)
	if err := st.SavePosts(t.Context(), []earshot.Post{{ID: "t:1", Source: "t", CreatedAt: Start.Add(time.Hour),
		CollectedAt: Start.Add(time.Hour), Sentiment: earshot.Sentiment{Score: -0.7, Label: earshot.Negative}}}); err != nil {
		t.Fatal(err)
	}
	qs, err := TimeDashboard(t.Context(), st, end, 24*time.Hour, 3)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, q := range qs {
		names = append(names, q.Query)
		if q.Runs != 3 || q.P50 < 0 || q.P95 < q.P50 {
			t.Errorf("%s: %+v", q.Query, q)
		}
	}
	for _, want := range []string{"page /?range=30d", "store: Series 1h", "store: Series by source 1d", "store: TopNegative 200", "store: Incidents", "store: Spikes"} {
		if !slices.Contains(names, want) {
			t.Errorf("no timing for %q in %v", want, names)
		}
	}
	if _, err := TimeDashboard(t.Context(), failingNegative{st}, end, 24*time.Hour, 1); err == nil {
		t.Error("TimeDashboard on a store whose TopNegative fails: no error")
	}
}
