package metrics

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
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
		Pipeline: earshot.PipelineStats{Received: 100, Stored: 90, Duplicates: 7, Rejected: 3, Pending: 4},
	}
}

func TestProm(t *testing.T) {
	h := &Handler{Snapshot: func(*http.Request) (Snapshot, error) { return snapshot(), nil }}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`earshot_collector_consecutive_failures{collector="tw",kind="twitter"} 2`,
		`earshot_collector_backoff_seconds{collector="tw",kind="twitter"} 90`,
		`earshot_collector_posts_last_hour{collector="odd\"name",kind="rss"} 17`,
		`earshot_collector_last_success_timestamp_seconds{collector="tw",kind="twitter"} 1.7724456e+09`,
		`earshot_collector_open_gaps{collector="tw",kind="twitter"} 1`,
		`earshot_collector_open_gaps{collector="odd\"name",kind="rss"} 0`,
		`earshot_pipeline_posts_total{outcome="stored"} 90`,
		`earshot_pipeline_pending 4`,
		"# TYPE earshot_pipeline_posts_total counter",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q\n%s", want, body)
		}
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
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
	failing.ServeHTTP(rec, httptest.NewRequest("POST", "/metrics", nil))
	if rec.Code != 405 {
		t.Errorf("POST: %d", rec.Code)
	}
}

func TestPromSpool(t *testing.T) {
	s := snapshot()
	s.Pipeline.Refused, s.Pipeline.Replayed = 50, 12
	s.Spool = &earshot.SpoolStats{Records: 3, Bytes: 4096, MaxBytes: 1 << 20, Oldest: at.Add(-90 * time.Second), TornTails: 1, Full: 2}
	s.At = at
	var b strings.Builder
	WriteProm(&b, s)
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
		if !strings.Contains(b.String(), want) {
			t.Errorf("/metrics lacks %q\n%s", want, b.String())
		}
	}
	// Without a spool, no spool series.
	b.Reset()
	WriteProm(&b, snapshot())
	if strings.Contains(b.String(), "earshot_spool_") {
		t.Error("spool series written without a spool")
	}
}
