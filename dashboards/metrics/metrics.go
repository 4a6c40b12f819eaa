// Package metrics serves what operators watch: GET /metrics in the
// Prometheus text format (collector health, pipeline counters) and
// GET /api/health as JSON (every collector's health and the open gaps in
// collection), so a stopped source is never a silent blind spot.
package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// Snapshot is the state the handlers show.
type Snapshot struct {
	Collectors []earshot.SourceHealth
	Gaps       []earshot.Gap
	Pipeline   earshot.PipelineStats
	// Spool is the spool's state, nil when there is none.
	Spool *earshot.SpoolStats
	// At is when the snapshot was taken, for ages (zero: now).
	At time.Time
}

// Handler serves /metrics and /api/health from snapshot, called per request.
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
	case "/metrics":
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		WriteProm(w, s)
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
	Pipeline   earshot.PipelineStats  `json:"pipeline"`
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

// WriteProm writes s in the Prometheus text exposition format.
func WriteProm(w io.Writer, s Snapshot) {
	cols := slices.Clone(s.Collectors)
	slices.SortFunc(cols, func(a, b earshot.SourceHealth) int { return strings.Compare(a.Collector, b.Collector) })
	gauge := func(name, help string, value func(earshot.SourceHealth) float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		for _, c := range cols {
			fmt.Fprintf(w, "%s{collector=%s,kind=%s} %s\n", name, quote(c.Collector), quote(c.Kind), num(value(c)))
		}
	}
	unix := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	}
	gauge("earshot_collector_last_success_timestamp_seconds", "When the collector last ran without error (0: never).", func(c earshot.SourceHealth) float64 { return unix(c.LastSuccess) })
	gauge("earshot_collector_last_run_timestamp_seconds", "When the collector last ran.", func(c earshot.SourceHealth) float64 { return unix(c.LastRun) })
	gauge("earshot_collector_consecutive_failures", "Runs failed in a row (0: healthy).", func(c earshot.SourceHealth) float64 { return float64(c.Failures) })
	gauge("earshot_collector_backoff_seconds", "How long the collector waits before retrying.", func(c earshot.SourceHealth) float64 { return c.Backoff.Seconds() })
	gauge("earshot_collector_posts_last_hour", "Posts collected in the last hour.", func(c earshot.SourceHealth) float64 { return float64(c.PostsLastHour) })

	open := map[string]int{}
	for _, g := range s.Gaps {
		if g.Open() {
			open[g.Collector]++
		}
	}
	fmt.Fprintf(w, "# HELP earshot_collector_open_gaps Stretches of time the collector may have missed and not yet filled.\n# TYPE earshot_collector_open_gaps gauge\n")
	for _, c := range cols {
		fmt.Fprintf(w, "earshot_collector_open_gaps{collector=%s,kind=%s} %d\n", quote(c.Collector), quote(c.Kind), open[c.Collector])
	}

	p := s.Pipeline
	fmt.Fprintf(w, "# HELP earshot_pipeline_posts_total Posts the pipeline handled, by outcome.\n# TYPE earshot_pipeline_posts_total counter\n")
	for _, o := range []struct {
		name string
		n    int64
	}{{"stored", p.Stored}, {"duplicate", p.Duplicates}, {"rejected", p.Rejected}, {"unmatched", p.Unmatched}, {"dropped", p.Dropped}, {"refused", p.Refused}} {
		fmt.Fprintf(w, "earshot_pipeline_posts_total{outcome=%q} %d\n", o.name, o.n)
	}
	fmt.Fprintf(w, "# HELP earshot_pipeline_received_total Posts given to the pipeline.\n# TYPE earshot_pipeline_received_total counter\nearshot_pipeline_received_total %d\n", p.Received)
	fmt.Fprintf(w, "# HELP earshot_pipeline_pending Posts waiting to be stored.\n# TYPE earshot_pipeline_pending gauge\nearshot_pipeline_pending %d\n", p.Pending)
	if s.Spool == nil {
		return
	}
	sp := *s.Spool
	at := s.At
	if at.IsZero() {
		at = time.Now()
	}
	age := 0.0
	if !sp.Oldest.IsZero() {
		age = max(0, at.Sub(sp.Oldest).Seconds())
	}
	for _, m := range []struct {
		name, kind, help string
		v                float64
	}{
		{"earshot_pipeline_replayed_total", "counter", "Posts taken back from the spool at start.", float64(p.Replayed)},
		{"earshot_spool_records", "gauge", "Batches in the spool not yet stored (depth).", float64(sp.Records)},
		{"earshot_spool_bytes", "gauge", "Size of the spool on disk.", float64(sp.Bytes)},
		{"earshot_spool_max_bytes", "gauge", "Bound on the spool's size (spool.max_bytes).", float64(sp.MaxBytes)},
		{"earshot_spool_oldest_age_seconds", "gauge", "Age of the oldest batch not yet stored (0: none).", age},
		{"earshot_spool_torn_tails_total", "counter", "Damaged records cut off the spool when it was opened.", float64(sp.TornTails)},
		{"earshot_spool_full_total", "counter", "Writes refused because the spool was full.", float64(sp.Full)},
	} {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %s\n", m.name, m.help, m.name, m.kind, m.name, num(m.v))
	}
}

// quote writes a label value: quoted, with \, " and newlines escaped.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
