package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/duckdb"
)

const serveFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Acme community</title><link>https://community.example.com/</link><language>en</language>
<item><guid>c-1</guid><title>Down again</title>
<description><![CDATA[<p>Acme Cloud is <b>down</b> again and I can't log in. This is unacceptable.</p><script>alert(1)</script>]]></description>
<pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate><author>sam@example.com (Sam)</author></item>
<item><guid>c-2</guid><title>Thanks</title>
<description>Thanks Acme, it's back up and working great</description>
<pubDate>Mon, 02 Mar 2026 11:00:00 +0000</pubDate></item>
<item><guid>c-3</guid><title>Gardening</title>
<description>My tomatoes are growing</description>
<pubDate>Mon, 02 Mar 2026 12:00:00 +0000</pubDate></item>
</channel></rss>`

// TestServeWalkingSkeleton runs `earshot serve` with an RSS collector
// against a local feed into a DuckDB file, waits until the dashboard's API
// sees the posts, stops it with its context and checks what the file holds.
func TestServeWalkingSkeleton(t *testing.T) {
	if testing.Short() {
		t.Skip("serve end to end is not short")
	}
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, serveFeed)
	}))
	defer feed.Close()

	dir := t.TempDir()
	dbPath := filepath.Join(dir, "earshot.duckdb")
	cfgPath := filepath.Join(dir, "earshot.yaml")
	cfg := fmt.Sprintf(`store: duckdb://%s
listen: 127.0.0.1:0
watches:
  - name: acme
    terms: [Acme, Acme Cloud]
pipeline:
  flush_interval: 50ms
  unmatched: drop
collectors:
  - type: rss
    name: community
    interval: 1h
    url: %s
    allow_private_networks: true
`, dbPath, feed.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	// An exec reads through an API token made by the CLI.
	token := addUserWithToken(t, cfgPath, "erin", "exec", "read")
	base, _, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `url=(http://\S+/)`)

	api := base + "api/posts/negative?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z"
	var posts []earshot.Post
	for range 200 {
		var body struct {
			Posts []earshot.Post `json:"posts"`
		}
		if err := json.Unmarshal([]byte(getAs(t, api, token)), &body); err != nil {
			t.Fatal(err)
		}
		if posts = body.Posts; len(posts) >= 2 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if len(posts) != 2 {
		t.Fatalf("API shows %d posts, want the 2 that mention Acme", len(posts))
	}
	worst := posts[0]
	if !strings.HasSuffix(worst.ID, "#c-1") || worst.Sentiment.Label != earshot.Negative || strings.ContainsAny(worst.Text, "<>") || strings.Contains(worst.Text, "alert") {
		t.Errorf("most negative post = %+v", worst)
	}

	// The operators' endpoints: /metrics through the client library (the
	// scrape goes to promtool in CI), the probes and the digests page.
	scrape := get(t, base+"metrics")
	for _, want := range []string{
		`earshot_pipeline_posts_total{outcome="stored"} 2`,
		`earshot_collector_last_run_timestamp_seconds{collector="community",kind="rss"}`,
		"earshot_store_up 1",
		"# TYPE earshot_pipeline_received_total counter",
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, scrape)
		}
	}
	if path := os.Getenv("EARSHOT_METRICS_SCRAPE"); path != "" {
		if err := os.WriteFile(path, []byte(scrape), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := get(t, base+"healthz"); got != "ok\n" {
		t.Errorf("/healthz = %q", got)
	}
	if got := get(t, base+"readyz"); got != "ready\n" {
		t.Errorf("/readyz = %q", got)
	}
	if got := getAs(t, base+"digests", token); !strings.Contains(got, "No digest has been sent yet") {
		t.Errorf("/digests = %q", got)
	}

	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	st, err := duckdb.Open(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cur, err := st.Cursor(t.Context(), "community")
	if err != nil || cur == "" {
		t.Errorf("collector cursor not saved: %q, %v", cur, err)
	}
	n, err := st.CountPosts(t.Context(), earshot.PostQuery{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || n != 2 {
		t.Errorf("file holds %d posts (%v), want 2", n, err)
	}
}

// With web.read_tokens, serve answers 401 to every page and GET API
// without a token, keeps /healthz open, and lets the write routes check
// their own tokens.
func TestServeReadTokens(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "earshot.yaml")
	cfg := fmt.Sprintf(`store: duckdb://%s/e.duckdb
listen: 127.0.0.1:0
web:
  read_tokens: [reader-secret]
  api_tokens: [writer-secret]
ingest:
  tokens: [ingest-secret]
server:
  write_rate: 0.001
  write_burst: 1
`, dir)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	base, _, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `url=(http://\S+/)`)
	defer stop()
	do := func(method, path, token, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+strings.TrimPrefix(path, "/"), strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	post := `{"id":"1","source":"f","text":"Acme","created_at":"2026-03-02T10:00:00Z"}`
	for _, tc := range []struct {
		method, path, token, body string
		want                      int
	}{
		{"GET", "/", "", "", 401},
		{"GET", "/support", "", "", 401},
		{"GET", "/api/incidents", "", "", 401},
		{"GET", "/api/alerts", "", "", 401},
		{"GET", "/api/health", "", "", 401},
		{"GET", "/api/incidents", "ingest-secret", "", 401}, // a write token of another route does not read
		{"GET", "/", "reader-secret", "", 200},
		{"GET", "/api/incidents", "writer-secret", "", 200},
		{"GET", "/healthz", "", "", 200},
		{"GET", "/signin", "", "", 200},
		{"POST", "/api/v1/ingest", "", post, 401},
		{"POST", "/api/v1/ingest", "ingest-secret", post, 200},
		{"POST", "/api/v1/ingest", "ingest-secret", post, 429}, // write_burst 1
	} {
		if got := do(tc.method, tc.path, tc.token, tc.body); got != tc.want {
			t.Errorf("%s %s (token %q): %d, want %d", tc.method, tc.path, tc.token, got, tc.want)
		}
	}
}

// A fresh serve, with no user and no token, serves nothing but the probes:
// a page says how to create the first admin, an API says it in JSON.
func TestServeFreshInstall(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "earshot.yaml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf("store: duckdb://%s/e.duckdb\nlisten: 127.0.0.1:0\n", dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	base, log, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `url=(http://\S+/)`)
	defer stop()
	do := func(path, accept string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := do("", "text/html"); code != 401 || !strings.Contains(body, "earshot user add NAME --role admin") {
		t.Errorf("page: %d %q; want 401 telling how to add the first admin", code, body)
	}
	if code, body := do("api/incidents", "application/json"); code != 401 || !strings.Contains(body, `"error":"Earshot has no users yet`) {
		t.Errorf("API: %d %q; want a JSON 401 with the hint", code, body)
	}
	for _, p := range []string{"healthz", "readyz"} {
		if code, _ := do(p, ""); code != 200 {
			t.Errorf("/%s: %d, want 200", p, code)
		}
	}
	if !strings.Contains(log, "web.session_secret is not set") {
		t.Errorf("no warning about the random session secret in:\n%s", log)
	}
}

// TestServeRetention: serve with a DuckDB store keeping posts 30 days
// drops the older ones as it starts, logs it, and keeps the rest.
func TestServeRetention(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "e.duckdb")
	st, err := duckdb.Open(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	old := earshot.Post{ID: "rss:old", Source: "rss", Kind: earshot.KindPost, CreatedAt: time.Now().Add(-31 * 24 * time.Hour), CollectedAt: time.Now()}
	recent := earshot.Post{ID: "rss:recent", Source: "rss", Kind: earshot.KindPost, CreatedAt: time.Now().Add(-time.Hour), CollectedAt: time.Now()}
	if err := st.SavePosts(t.Context(), []earshot.Post{old, recent}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfgPath := filepath.Join(dir, "earshot.yaml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf("store: duckdb://%s?retention=30d\nlisten: 127.0.0.1:0\n", dbPath)), 0o600); err != nil {
		t.Fatal(err)
	}
	dropped, _, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `msg="dropped expired data" part=retention dropped="\[(posts: \d+) created before`)
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	if dropped != "posts: 1" {
		t.Errorf("serve logged it dropped %q, want the one old post", dropped)
	}
	if st, err = duckdb.Open(t.Context(), dbPath); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Post(t.Context(), old.ID); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("the old post after serve: %v, want not found", err)
	}
	if _, err := st.Post(t.Context(), recent.ID); err != nil {
		t.Errorf("the recent post after serve: %v", err)
	}
}
