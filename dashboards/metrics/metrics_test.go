package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
)

var at = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func snapshot() Snapshot {
	return Snapshot{
		Collectors: []earshot.SourceHealth{
			{Collector: "tw", Kind: "twitter", LastSuccess: at, LastRun: at.Add(time.Minute), Failures: 2, Backoff: 90 * time.Second, LastError: "rate limited", PostsLastHour: 0},
			{Collector: `odd"name`, Kind: "rss", LastSuccess: at, LastRun: at, PostsLastHour: 17},
		},
		Gaps: []earshot.Gap{
			{ID: "g1", Collector: "tw", From: at, Reason: "rate limited"},
			{ID: "g0", Collector: "tw", From: at.Add(-time.Hour), To: at.Add(-time.Minute), FilledAt: at.Add(-time.Minute)},
		},
		Pipeline: ingest.PipelineStats{Received: 100, Stored: 90, Duplicates: 7, Rejected: 3, Pending: 4},
	}
}

// scrape serves r's /metrics once and returns the body.
func scrape(t *testing.T, r *Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestProm(t *testing.T) {
	r := New(func(context.Context) (Snapshot, error) {
		s := snapshot()
		s.OpenSpikes = map[string]int{"acme": 2, "all": 1}
		return s, nil
	})
	r.ObserveDigest("weekly-exec", true)
	r.ObserveDigest("weekly-exec", false)
	r.ObserveRetention(true)
	r.ObserveRetention(true)
	r.ObserveRetention(false)
	rec := r.Deliveries(nil)
	rec.SaveDelivery(t.Context(), earshot.Delivery{Receiver: "slack-comms", OK: false})
	rec.SaveDelivery(t.Context(), earshot.Delivery{Receiver: "slack-comms", OK: true})
	n := r.Notifier(notifierFunc(func(context.Context, earshot.Notification) (bool, error) { return false, nil }))
	n.Notify(t.Context(), earshot.Notification{Receiver: "oncall", Alerts: []earshot.Alert{{Kind: earshot.AlertSpike, Severity: "critical"}}})
	if err := r.GaugeFunc("earshot_test_depth", "A part's own gauge.", func() float64 { return 7 }); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, r)
	for _, want := range []string{
		`earshot_collector_consecutive_failures{collector="tw",kind="twitter"} 2`,
		`earshot_collector_backoff_seconds{collector="tw",kind="twitter"} 90`,
		`earshot_collector_posts_last_hour{collector="odd\"name",kind="rss"} 17`,
		`earshot_collector_last_success_timestamp_seconds{collector="tw",kind="twitter"} 1.7724456e+09`,
		`earshot_collector_open_gaps{collector="tw",kind="twitter"} 1`,
		`earshot_collector_open_gaps{collector="odd\"name",kind="rss"} 0`,
		`earshot_pipeline_posts_total{outcome="stored"} 90`,
		`earshot_pipeline_received_total 100`,
		`earshot_pipeline_pending 4`,
		"# TYPE earshot_pipeline_posts_total counter",
		`earshot_spikes_open{watch="acme"} 2`,
		`earshot_store_up 1`,
		`earshot_digests_total{digest="weekly-exec",outcome="ok"} 1`,
		`earshot_digests_total{digest="weekly-exec",outcome="failed"} 1`,
		`earshot_retention_runs_total{outcome="ok"} 2`,
		`earshot_retention_runs_total{outcome="failed"} 1`,
		`earshot_delivery_attempts_total{outcome="failed",receiver="slack-comms"} 1`,
		`earshot_alerts_notified_total{kind="spike",receiver="oncall",severity="critical"} 1`,
		`earshot_test_depth 7`,
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q\n%s", want, body)
		}
	}
	if path := os.Getenv("EARSHOT_METRICS_SCRAPE"); path != "" {
		// .ci/run hands this file to promtool check metrics.
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPromStoreDown(t *testing.T) {
	r := New(func(context.Context) (Snapshot, error) {
		return Snapshot{Pipeline: ingest.PipelineStats{Received: 3}}, errors.New("db down")
	})
	body := scrape(t, r)
	if !strings.Contains(body, "earshot_store_up 0") || !strings.Contains(body, "earshot_pipeline_received_total 3") || strings.Contains(body, "db down") {
		t.Errorf("with the store down:\n%s", body)
	}
}

func TestProbes(t *testing.T) {
	var down error
	p := Probes{Ready: func(context.Context) error { return down }}
	get := func(path string) int {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code
	}
	if get("/healthz") != 200 || get("/readyz") != 200 {
		t.Errorf("healthy: /healthz %d, /readyz %d", get("/healthz"), get("/readyz"))
	}
	down = errors.New("connection refused")
	if get("/healthz") != 200 || get("/readyz") != 503 {
		t.Errorf("store down: /healthz %d, /readyz %d; want 200, 503", get("/healthz"), get("/readyz"))
	}
}

type notifierFunc func(context.Context, earshot.Notification) (bool, error)

func (f notifierFunc) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	return f(ctx, n)
}

func TestHealthJSON(t *testing.T) {
	h := &Handler{Snapshot: func(*http.Request) (Snapshot, error) { return snapshot(), nil }}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/health", nil))
	var b healthBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	if b.Status != "degraded" || len(b.Collectors) != 2 || len(b.OpenGaps) != 1 || b.OpenGaps[0].ID != "g1" || b.Pipeline.Stored != 90 {
		t.Errorf("health = %+v", b)
	}
	healthy := &Handler{Snapshot: func(*http.Request) (Snapshot, error) { return Snapshot{}, nil }}
	rec = httptest.NewRecorder()
	healthy.ServeHTTP(rec, httptest.NewRequest("GET", "/api/health", nil))
	if !strings.Contains(rec.Body.String(), `"status":"ok"`) || !strings.Contains(rec.Body.String(), `"collectors":[]`) {
		t.Errorf("empty health = %s", rec.Body)
	}
	failing := &Handler{Snapshot: func(*http.Request) (Snapshot, error) { return Snapshot{}, errors.New("db down") }}
	rec = httptest.NewRecorder()
	failing.ServeHTTP(rec, httptest.NewRequest("GET", "/api/health", nil))
	if rec.Code != 503 || strings.Contains(rec.Body.String(), "db down") {
		t.Errorf("store failing: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	failing.ServeHTTP(rec, httptest.NewRequest("POST", "/api/health", nil))
	if rec.Code != 405 {
		t.Errorf("POST: %d", rec.Code)
	}
}

func TestPromSpool(t *testing.T) {
	s := snapshot()
	s.Pipeline.Refused, s.Pipeline.Replayed = 50, 12
	s.Spool = &earshot.SpoolStats{Records: 3, Bytes: 4096, MaxBytes: 1 << 20, Oldest: at.Add(-90 * time.Second), TornTails: 1, Full: 2}
	s.At = at
	body := scrape(t, New(func(context.Context) (Snapshot, error) { return s, nil }))
	for _, want := range []string{
		`earshot_pipeline_posts_total{outcome="refused"} 50`,
		"earshot_pipeline_replayed_total 12",
		"earshot_spool_records 3",
		"earshot_spool_bytes 4096",
		"earshot_spool_max_bytes 1.048576e+06",
		"earshot_spool_oldest_age_seconds 90",
		"earshot_spool_torn_tails_total 1",
		"earshot_spool_full_total 2",
		"# TYPE earshot_spool_full_total counter",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q\n%s", want, body)
		}
	}
	// Without a spool, no spool series.
	if strings.Contains(scrape(t, New(func(context.Context) (Snapshot, error) { return snapshot(), nil })), "earshot_spool_") {
		t.Error("spool series written without a spool")
	}
}
