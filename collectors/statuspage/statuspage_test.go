package statuspage

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/store/memstore"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// page serves a status page's API from testdata: incidents.json from the
// file named in incidents (with its name as the ETag), components.json.
type page struct {
	mu         sync.Mutex
	incidents  string
	requests   []string
	components int
	status     int // answer every request with this status when set
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = append(p.requests, r.URL.Path+" "+r.Header.Get("If-None-Match"))
	if p.status != 0 {
		w.WriteHeader(p.status)
		return
	}
	var file string
	switch r.URL.Path {
	case "/api/v2/incidents.json":
		etag := `"` + p.incidents + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		file = p.incidents
	case "/api/v2/components.json":
		p.components++
		file = "components.json"
	default:
		http.NotFound(w, r)
		return
	}
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func newCollector(t *testing.T, p *page) *Collector {
	t.Helper()
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	c, err := NewCollector("acme-status", Config{
		Page:       srv.URL + "/",
		Components: map[string]string{"API": "api", "Login and SSO": "login"},
		Limits:     collectors.Limits{MaxBytes: 1 << 20, Timeout: 5e9},
	}, collectors.Deps{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func golden(t *testing.T, name, base string, incidents []earshot.Incident) {
	t.Helper()
	got, _ := json.MarshalIndent(incidents, "", "  ")
	got = append(bytes.ReplaceAll(got, []byte(base), []byte("{page}")), '\n')
	path := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("incidents differ from %s (run with -update and review the diff):\n%s", path, got)
	}
}

func TestCollect(t *testing.T) {
	p := &page{incidents: "incidents_1.json"}
	c := newCollector(t, p)
	ctx := t.Context()

	first, cur, err := c.CollectIncidents(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "expected_1.json", c.base, first)
	if len(first) != 3 {
		t.Fatalf("got %d incidents, want 3 (the scheduled maintenance is skipped)", len(first))
	}
	byID := map[string]earshot.Incident{}
	for _, inc := range first {
		byID[inc.ID] = inc
	}
	api := byID["statuspage:x1p9tr4ac0vn"]
	if api.Status != earshot.Resolved || api.Severity != "major" || strings.Join(api.Services, ",") != "api" ||
		len(api.Updates) != 4 || api.Updates[0].Status != earshot.Investigating || api.ResolvedAt.IsZero() ||
		api.URL != "https://stspg.io/acme-x1p9" {
		t.Errorf("API incident = %+v", api)
	}
	login := byID["statuspage:k7m2wz9d1bq4"]
	if login.Status != earshot.Identified || login.Severity != "critical" || !login.ResolvedAt.IsZero() ||
		strings.Join(login.Services, ",") != "login,Dashboard" {
		t.Errorf("login incident = %+v (components named through components.json)", login)
	}
	charts := byID["statuspage:q3r8ne2ys6hf"]
	if charts.Status != earshot.Resolved || charts.ResolvedAt.Format("15:04") != "17:12" ||
		charts.StartedAt.Format("15:04") != "15:50" || !strings.HasSuffix(charts.URL, "/incidents/q3r8ne2ys6hf") {
		t.Errorf("postmortem incident = %+v (resolved at its resolved update, started_at kept, unsafe shortlink replaced)", charts)
	}

	// Nothing changed: the ETag gets a 304.
	if got, next, err := c.CollectIncidents(ctx, cur); !errors.Is(err, earshot.ErrNotModified) || len(got) != 0 || next != cur {
		t.Fatalf("re-poll: %d incidents, %v, cursor %q → %q", len(got), err, cur, next)
	}

	// One incident resolved: only it comes again, whole.
	p.mu.Lock()
	p.incidents = "incidents_2.json"
	p.mu.Unlock()
	second, _, err := c.CollectIncidents(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 1 || second[0].ID != login.ID || second[0].Status != earshot.Resolved || len(second[0].Updates) != 3 {
		t.Fatalf("second poll = %+v", second)
	}
	if want := `"incidents_1.json"`; !strings.HasSuffix(p.requests[2], want) {
		t.Errorf("second request sent If-None-Match %q, want %s", p.requests[2], want)
	}
}

// storedIncidents returns every incident in st, by ID.
func storedIncidents(t *testing.T, st earshot.IncidentStore) map[string]earshot.Incident {
	t.Helper()
	all, err := st.Incidents(t.Context(), time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]earshot.Incident{}
	for _, inc := range all {
		out[inc.ID] = inc
	}
	return out
}

func TestRepollNeverDuplicates(t *testing.T) {
	p := &page{incidents: "incidents_1.json"}
	c := newCollector(t, p)
	st := memstore.New()
	poller := ingest.NewIncidentPoller(c, st, st)
	for i := range 3 {
		if i == 2 {
			p.mu.Lock()
			p.incidents = "incidents_2.json"
			p.mu.Unlock()
		}
		if _, err := poller.Once(t.Context()); err != nil && !errors.Is(err, earshot.ErrNotModified) {
			t.Fatal(err)
		}
	}
	stored := storedIncidents(t, st)
	if len(stored) != 3 {
		t.Errorf("stored %d incidents, want 3", len(stored))
	}
	login := stored["statuspage:k7m2wz9d1bq4"]
	if login.Status != earshot.Resolved || len(login.Updates) != 3 {
		t.Errorf("login incident after re-polls = %+v", login)
	}
	if cur, err := st.Cursor(t.Context(), "acme-status"); err != nil || !strings.Contains(cur, `incidents_2.json`) {
		t.Errorf("cursor = %q, %v", cur, err)
	}
}

func TestCollectErrors(t *testing.T) {
	t.Run("rate limited", func(t *testing.T) {
		c := newCollector(t, &page{status: http.StatusTooManyRequests})
		_, cur, err := c.CollectIncidents(t.Context(), `{"v":1,"etag":"x"}`)
		if !errors.Is(err, earshot.ErrRateLimited) || cur != `{"v":1,"etag":"x"}` {
			t.Errorf("err = %v, cursor %q", err, cur)
		}
	})
	t.Run("malformed body", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"incidents": [{"id": 42}]}`))
		}))
		t.Cleanup(srv.Close)
		c, _ := NewCollector("x", Config{Page: srv.URL, Limits: collectors.Limits{MaxBytes: 1 << 20, Timeout: 5e9}}, collectors.Deps{HTTP: srv.Client()})
		if _, _, err := c.CollectIncidents(t.Context(), ""); err == nil || !strings.Contains(err.Error(), "decoding") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unreadable cursor starts afresh", func(t *testing.T) {
		c := newCollector(t, &page{incidents: "incidents_1.json"})
		got, _, err := c.CollectIncidents(t.Context(), "not json")
		if err != nil || len(got) != 3 {
			t.Errorf("%d incidents, %v", len(got), err)
		}
	})
}

func TestConfig(t *testing.T) {
	tests := []struct {
		yaml, want string
	}{
		{``, "collectors.statuspage[s].page: required"},
		{`page: ftp://status.example.com`, "page: must be an absolute http(s) URL"},
		{`page: https://status.example.com/?token=1`, "page: must be the page's address"},
		{"page: https://status.example.com\ncomponents: {API: ''}", "components: component \"API\""},
		{"page: https://status.example.com\ntimeout: -1s", "timeout: must be a positive"},
		{"page: https://status.example.com\nurl: x", "url: unknown key"},
		{"page: https://status.example.com\ncomponents: {API: api}", ""},
	}
	for _, tt := range tests {
		_, err := collectors.NewIncidents(Kind, "s", yamlNode(t, tt.yaml), collectors.Deps{})
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%q: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
