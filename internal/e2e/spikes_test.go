package e2e_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/demo"
	"github.com/earshot/earshot/store/clickhouse"
	"github.com/earshot/earshot/store/clickhouse/chtest"
	"github.com/earshot/earshot/store/duckdb"
)

// TestSpikesOnDuckDB and TestSpikesOnClickHouse run the spike monitor
// continuously on what a real store holds: the demo scenario goes in
// through the pipeline, the monitor steps hour by hour as serve would,
// and the outage must come out as a spike saved in the store.
func TestSpikesOnDuckDB(t *testing.T) {
	st, err := duckdb.Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	spikesOnStore(t, st)
}

func TestSpikesOnClickHouse(t *testing.T) {
	addr, db := chtest.Fresh(t, "earshot_spikes")
	cfg := clickhouse.DefaultConfig()
	cfg.Addr, cfg.Database = []string{addr}, db
	st, err := clickhouse.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	spikesOnStore(t, st)
}

func spikesOnStore(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	sc := demo.Generate(demo.Options{Days: 10})
	p := ingest.NewPipeline(st, nil, sc.Watches, ingest.PipelineOptions{BatchSize: 5000, DropUnmatched: true})
	if err := p.Add(ctx, sc.Posts...); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	outage := sc.Outage()
	end := sc.Posts[len(sc.Posts)-1].CreatedAt
	start := sc.Posts[0].CreatedAt

	// First step learns four days of history; then one step an hour.
	clock := start.Add(4 * 24 * time.Hour)
	mon := spikes.NewMonitor(st, st, spikes.MonitorOptions{
		Metrics: []earshot.Metric{earshot.MetricVolume},
		History: 4 * 24 * time.Hour,
		Now:     func() time.Time { return clock },
	})
	for ; !clock.After(end); clock = clock.Add(time.Hour) {
		if _, err := mon.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	saved, err := st.Spikes(ctx, start, end)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	var seen []string
	for _, s := range saved {
		seen = append(seen, fmt.Sprintf("%s %s %s", s.Scope.Value, s.Metric, s.Start.Format(time.RFC3339)))
		if s.Scope == (earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}) && s.Metric == earshot.MetricVolume {
			if d := s.Start.Sub(outage.StartedAt); d > -45*time.Minute && d < 30*time.Minute && !s.End.IsZero() {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the outage at %s is not among the stored spikes: %v", outage.StartedAt, seen)
	}
}
