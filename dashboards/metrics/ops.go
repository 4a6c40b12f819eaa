package metrics

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/spool"
)

// SnapshotFunc reads what /metrics and /api/health show: the pipeline's
// counters, the spool's state (sp may be nil), each poller's health, the
// collection gaps of the last 30 days and the spikes going on now, by
// watch.
func SnapshotFunc(pipe *ingest.Pipeline, sp *spool.Spool, pollers []*ingest.Poller, st earshot.Store) func(ctx context.Context) (Snapshot, error) {
	healthStore, _ := st.(earshot.HealthStore)
	return func(ctx context.Context) (Snapshot, error) {
		snap := Snapshot{Pipeline: pipe.Stats()}
		if sp != nil {
			ss := sp.SpoolStats()
			snap.Spool = &ss
		}
		for _, p := range pollers {
			if h := p.HealthNow(); h.Collector != "" {
				snap.Collectors = append(snap.Collectors, h)
			}
		}
		now := time.Now()
		if healthStore != nil {
			gaps, err := healthStore.Gaps(ctx, now.Add(-30*24*time.Hour), now)
			if err != nil {
				return snap, err
			}
			snap.Gaps = gaps
		}
		// A spike lasting more than two days is reported by then.
		spikes, err := st.Spikes(ctx, now.Add(-48*time.Hour), now)
		if err != nil {
			return snap, err
		}
		snap.OpenSpikes = openSpikes(spikes)
		return snap, nil
	}
}

// openSpikes counts the spikes still going on (no End) by watch; spikes
// over every post count under "all", per-source ones not at all.
func openSpikes(spikes []earshot.Spike) map[string]int {
	out := map[string]int{}
	for _, sp := range spikes {
		if !sp.End.IsZero() {
			continue
		}
		switch sp.Scope.Kind {
		case earshot.ScopeWatch:
			out[sp.Scope.Value]++
		case earshot.ScopeAll:
			out["all"]++
		}
	}
	return out
}

// storeReady is /readyz's check: the store answers a trivial request.
func storeReady(st earshot.Store) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if p, ok := st.(earshot.Pinger); ok {
			return p.Ping(ctx)
		}
		if _, err := st.Cursor(ctx, "earshot-readyz"); err != nil {
			return fmt.Errorf("reading a cursor: %w", err)
		}
		return nil
	}
}

// Routes are the operators' endpoints: /metrics (reg), /api/health,
// /healthz and /readyz.
func Routes(reg *Registry, snapshot func(ctx context.Context) (Snapshot, error), st earshot.Store) map[string]http.Handler {
	health := &Handler{Snapshot: func(r *http.Request) (Snapshot, error) { return snapshot(r.Context()) }}
	probes := Probes{Ready: storeReady(st)}
	return map[string]http.Handler{
		"/metrics":    reg.Handler(),
		"/api/health": health,
		"/healthz":    probes,
		"/readyz":     probes,
	}
}
