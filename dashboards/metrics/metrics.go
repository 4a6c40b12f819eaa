// Package metrics serves what operators watch: GET /metrics through the
// Prometheus client library (Registry: collector health, ingest, open
// spikes, alerts, deliveries and digests, plus Go runtime metrics),
// GET /api/health as JSON (every collector's health and the open gaps in
// collection), so a stopped source is never a silent blind spot, and the
// probes /healthz (the process runs) and /readyz (the store answers).
// Routes mounts them all; SnapshotFunc reads what they show from the
// pipeline, the spool, the pollers and the store.
package metrics

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
)

// Snapshot is the state the handlers show.
type Snapshot struct {
	Collectors []earshot.SourceHealth
	Gaps       []earshot.Gap
	Pipeline   ingest.PipelineStats
	// OpenSpikes counts the spikes going on now by watch ("all" for the
	// spikes over every post).
	OpenSpikes map[string]int
	// Spool is the spool's state, nil when there is none.
	Spool *earshot.SpoolStats
	// At is when the snapshot was taken, for ages (zero: now).
	At time.Time
}

// Handler serves /api/health from snapshot, called per request.
type Handler struct {
	Snapshot func(r *http.Request) (Snapshot, error)
	Now      func() time.Time
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	s, err := h.Snapshot(r)
	if err != nil {
		http.Error(w, "health is unavailable: the store did not answer", http.StatusServiceUnavailable)
		return
	}
	switch r.URL.Path {
	case "/api/health":
		now := time.Now
		if h.Now != nil {
			now = h.Now
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(healthJSON(s, now()))
	default:
		http.NotFound(w, r)
	}
}

type healthBody struct {
	Status     string                 `json:"status"`
	Collectors []earshot.SourceHealth `json:"collectors"`
	OpenGaps   []earshot.Gap          `json:"open_gaps"`
	Pipeline   ingest.PipelineStats   `json:"pipeline"`
	Spool      *earshot.SpoolStats    `json:"spool,omitempty"`
}

// healthJSON says "ok" when every collector's last run succeeded, and
// "degraded" otherwise.
func healthJSON(s Snapshot, _ time.Time) healthBody {
	b := healthBody{Status: "ok", Collectors: s.Collectors, OpenGaps: []earshot.Gap{}, Pipeline: s.Pipeline, Spool: s.Spool}
	if b.Collectors == nil {
		b.Collectors = []earshot.SourceHealth{}
	}
	for _, c := range s.Collectors {
		if c.Failures > 0 {
			b.Status = "degraded"
		}
	}
	for _, g := range s.Gaps {
		if g.Open() {
			b.OpenGaps = append(b.OpenGaps, g)
		}
	}
	return b
}
