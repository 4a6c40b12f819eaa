package statusfeed

import (
	"bytes"
	"context"
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

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/store/memstore"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// feedServer serves testdata/<file>, with an ETag when etag is set.
type feedServer struct {
	mu   sync.Mutex
	file string
	etag bool
	hits int
}

func (f *feedServer) set(file string) {
	f.mu.Lock()
	f.file = file
	f.mu.Unlock()
}

func (f *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits++
	if f.etag {
		tag := `"` + f.file + `"`
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", tag)
	}
	b, err := os.ReadFile(filepath.Join("testdata", f.file))
	if err != nil {
		b = []byte(f.file) // the test's own body
	}
	w.Write(b)
}

func newCollector(t *testing.T, f *feedServer, services ...string) *Collector {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := NewCollector("acme-history", Config{URL: srv.URL + "/history", Services: services, Source: "acme_status",
		Limits: collectors.Limits{MaxBytes: 1 << 20, Timeout: 5 * time.Second}}, collectors.Deps{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func golden(t *testing.T, name string, incidents []earshot.Incident) {
	t.Helper()
	got, _ := json.MarshalIndent(incidents, "", "  ")
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *updateGolden {
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

func TestFeeds(t *testing.T) {
	for _, file := range []string{"acme_history.rss", "acme_history.atom", "lamb_history.rss"} {
		t.Run(file, func(t *testing.T) {
			c := newCollector(t, &feedServer{file: file}, "api")
			got, _, err := c.CollectIncidents(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.ReplaceAll(file, ".", "_")+".expected.json", got)
		})
	}
}

func TestStatuspageRSS(t *testing.T) {
	c := newCollector(t, &feedServer{file: "acme_history.rss"})
	got, _, err := c.CollectIncidents(t.Context(), "")
	if err != nil || len(got) != 4 {
		t.Fatalf("%d incidents, %v", len(got), err)
	}
	api := got[0]
	if api.ID != "acme_status:https://status.acme.test/incidents/a1b2c3d4e5f6" || api.Status != earshot.Resolved ||
		len(api.Updates) != 5 || api.Services != nil {
		t.Fatalf("api incident = %+v", api)
	}
	wantStatuses := []earshot.IncidentStatus{"investigating", "identified", "monitoring", "monitoring", "resolved"}
	for i, u := range api.Updates {
		if u.Status != wantStatuses[i] {
			t.Errorf("update %d status %s, want %s (Update keeps the status before it)", i, u.Status, wantStatuses[i])
		}
	}
	if api.Updates[3].Body != "Error rates are back to normal & we are closing this out." {
		t.Errorf("update body = %q", api.Updates[3].Body)
	}
	if !api.StartedAt.Equal(time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)) || !api.ResolvedAt.Equal(time.Date(2026, 3, 2, 10, 14, 0, 0, time.UTC)) {
		t.Errorf("api incident runs %v – %v", api.StartedAt, api.ResolvedAt)
	}
	if login := got[1]; login.Status != earshot.Identified || !login.ResolvedAt.IsZero() {
		t.Errorf("ongoing incident = %+v", login)
	}
	// Dec 31, 23:45 PST of an item dated Jan 1: the year before.
	if hooks := got[2]; !hooks.StartedAt.Equal(time.Date(2026, 1, 1, 7, 45, 0, 0, time.UTC)) ||
		!hooks.ResolvedAt.Equal(time.Date(2026, 1, 1, 9, 20, 0, 0, time.UTC)) {
		t.Errorf("year-crossing incident runs %v – %v", hooks.StartedAt, hooks.ResolvedAt)
	}
	pm := got[3]
	if pm.Status != earshot.Resolved || !pm.ResolvedAt.Equal(time.Date(2026, 2, 27, 17, 12, 0, 0, time.UTC)) ||
		pm.Updates[2].Body != "# What happened\nA queue consumer stalled after a deploy.\nWe now alert on consumer lag." {
		t.Errorf("postmortem incident = %+v", pm)
	}
}

func TestRSSAndAtomAgree(t *testing.T) {
	rss, _, err1 := newCollector(t, &feedServer{file: "acme_history.rss"}).CollectIncidents(t.Context(), "")
	atom, _, err2 := newCollector(t, &feedServer{file: "acme_history.atom"}).CollectIncidents(t.Context(), "")
	if err1 != nil || err2 != nil || len(atom) != 2 {
		t.Fatal(err1, err2, len(atom))
	}
	for i := range atom {
		a, r := atom[i], rss[i]
		if a.ID != r.ID || a.Status != r.Status || len(a.Updates) != len(r.Updates) || !a.StartedAt.Equal(r.StartedAt) {
			t.Errorf("atom %+v\nrss %+v", a, r)
		}
	}
	if !atom[0].UpdatedAt.Equal(time.Date(2026, 3, 2, 10, 20, 0, 0, time.UTC)) {
		t.Errorf("atom UpdatedAt = %v, want the entry's <updated>", atom[0].UpdatedAt)
	}
}

func TestLambStatus(t *testing.T) {
	got, _, err := newCollector(t, &feedServer{file: "lamb_history.rss"}).CollectIncidents(t.Context(), "")
	if err != nil || len(got) != 2 {
		t.Fatalf("%d incidents (maintenance skipped), %v", len(got), err)
	}
	if dns := got[0]; dns.Status != earshot.Monitoring || len(dns.Updates) != 3 || !dns.StartedAt.Equal(time.Date(2026, 3, 3, 7, 21, 0, 0, time.UTC)) {
		t.Errorf("dns incident = %+v", dns)
	}
	cdn := got[1]
	if cdn.ID != "acme_status:cdn-syd-0301" || cdn.Status != earshot.Resolved || cdn.URL != "" ||
		!cdn.ResolvedAt.Equal(time.Date(2026, 3, 1, 22, 10, 0, 0, time.UTC)) || !strings.HasPrefix(cdn.Updates[0].Body, "Requests served") {
		t.Errorf("plain-text incident = %+v", cdn)
	}
}

func TestUndatedItemsSkipped(t *testing.T) {
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>s</title>
<item><title>No date</title><link>https://s.example.com/incidents/1</link><description>Resolved - fine now.</description></item>
<item><title>Dated by its text</title><link>https://s.example.com/incidents/2</link>
<description>&lt;small&gt;Mar 2, 2026, 10:00 UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Investigating&lt;/strong&gt; - looking.</description></item>
</channel></rss>`
	got, _, err := newCollector(t, &feedServer{file: feed}).CollectIncidents(t.Context(), "")
	if err != nil || len(got) != 1 || !strings.HasSuffix(got[0].ID, "/incidents/2") {
		t.Errorf("%v %+v", err, got)
	}
}

func TestParseDate(t *testing.T) {
	ref := time.Date(2026, 3, 2, 12, 0, 0, 0, time.FixedZone("", -8*3600))
	tests := []struct {
		line string
		want time.Time
	}{
		{"Mar 2, 09:05 UTC", time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)},
		{"Mar  2, 09:05 UTC", time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)},
		{"May 13, 2017, 06:45 UTC", time.Date(2017, 5, 13, 6, 45, 0, 0, time.UTC)},
		{"Jun 10, 2024 - 11:10 PDT", time.Date(2024, 6, 10, 18, 10, 0, 0, time.UTC)},
		{"Mar 1, 09:09 XYZ", time.Date(2026, 3, 1, 17, 9, 0, 0, time.UTC)}, // unknown zone: the item's offset
		{"Dec 30, 3:15 PM EST", time.Date(2025, 12, 30, 20, 15, 0, 0, time.UTC)},
		{"Mar 2, 10:00 +01:00", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.line, ref)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.line, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"We are investigating.", "Foo 2, 10:00 UTC", "Mar 40, 10:00 UTC", "Mar 2, 25:00 UTC"} {
		if got, ok := parseDate(bad, ref); ok {
			t.Errorf("parseDate(%q) = %v, want no date", bad, got)
		}
	}
}

// countingStore is the in-memory store, counting incident saves.
type countingStore struct {
	*memstore.Store
	saves int
}

func (m *countingStore) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	m.saves++
	return m.Store.SaveIncident(ctx, inc)
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

func TestRepoll(t *testing.T) {
	t.Run("etag", func(t *testing.T) {
		f := &feedServer{file: "acme_history.rss", etag: true}
		c := newCollector(t, f)
		_, cur, err := c.CollectIncidents(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		if got, next, err := c.CollectIncidents(t.Context(), cur); !errors.Is(err, earshot.ErrNotModified) || len(got) != 0 || next != cur {
			t.Errorf("re-poll: %d incidents, %v", len(got), err)
		}
	})
	t.Run("no validators: only changed incidents", func(t *testing.T) {
		f := &feedServer{file: "acme_history.rss"}
		c := newCollector(t, f)
		st := &countingStore{Store: memstore.New()}
		p := ingest.NewIncidentPoller(c, st, st)
		for range 2 {
			if _, err := p.Once(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(storedIncidents(t, st)); st.saves != 4 || n != 4 {
			t.Fatalf("after two polls of the same feed: %d saves of %d incidents, want 4 of 4", st.saves, n)
		}
		// The SSO incident is resolved: only it is saved again, whole.
		b, _ := os.ReadFile("testdata/acme_history.rss")
		resolved := strings.Replace(string(b), "&lt;p&gt;&lt;small&gt;Mar &lt;var data-var=&apos;date&apos;&gt; 2&lt;/var&gt;, &lt;var data-var=&apos;time&apos;&gt;12:40",
			"&lt;p&gt;&lt;small&gt;Mar 2, 13:05 UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - Sign-in works again.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Mar &lt;var data-var=&apos;date&apos;&gt; 2&lt;/var&gt;, &lt;var data-var=&apos;time&apos;&gt;12:40", 1)
		f.set(resolved)
		if _, err := p.Once(t.Context()); err != nil {
			t.Fatal(err)
		}
		stored := storedIncidents(t, st)
		login := stored["acme_status:https://status.acme.test/incidents/k7m2wz9d1bq4"]
		if st.saves != 5 || len(stored) != 4 || login.Status != earshot.Resolved || len(login.Updates) != 3 {
			t.Errorf("after the change: %d saves, %d incidents, login %+v", st.saves, len(stored), login)
		}
	})
}

func TestBadFeeds(t *testing.T) {
	for _, body := range []string{"", "<html><body>status</body></html>", "<rss><channel><item><title>x</title>"} {
		c := newCollector(t, &feedServer{file: body})
		if _, cur, err := c.CollectIncidents(t.Context(), `{"v":1}`); err == nil || cur != `{"v":1}` {
			t.Errorf("body %q: err = %v, cursor %q", body, err, cur)
		}
	}
}

func TestConfig(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{``, "collectors.status_feed[f].url: required"},
		{`url: file:///etc/passwd`, "url: must be an absolute http(s) URL"},
		{"url: https://s.example.com/history.rss\nservices: [api, '']", "services[1]: is empty"},
		{"url: https://s.example.com/history.rss\nsource: 'a b'", "source: must be"},
		{"url: https://s.example.com/history.rss\nkind: comment", "kind: unknown key"},
		{"url: https://s.example.com/history.rss\nservices: [api]", ""},
	}
	for _, tt := range tests {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(tt.yaml), &n); err != nil {
			t.Fatal(err)
		}
		var raw collectors.Decoder
		if len(n.Content) > 0 {
			raw = n.Content[0]
		}
		_, err := collectors.NewIncidents(Kind, "f", raw, collectors.Deps{})
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%q: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
