package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

var now = time.Date(2026, 3, 13, 17, 0, 0, 0, time.UTC)

// recStore is the in-memory store, recording what the dashboard asks;
// err, when set, fails every question the dashboard asks.
type recStore struct {
	*memstore.Store
	err error

	mu        sync.Mutex // the page asks its questions at once
	seriesQ   []earshot.SeriesQuery
	postQ     []earshot.PostQuery
	incidentQ [][2]time.Time
}

func (f *recStore) Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error) {
	f.mu.Lock()
	f.seriesQ = append(f.seriesQ, q)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return f.Store.Series(ctx, q)
}

// mainSeries is the first series asked for without a grouping: the
// page's chart (the page asks its questions at once, in any order).
func (f *recStore) mainSeries(t *testing.T) earshot.SeriesQuery {
	t.Helper()
	for _, q := range f.seriesQ {
		if q.GroupBy == earshot.GroupNone {
			return q
		}
	}
	t.Fatalf("no ungrouped series asked for among %d", len(f.seriesQ))
	return earshot.SeriesQuery{}
}

func (f *recStore) TopNegative(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	f.mu.Lock()
	f.postQ = append(f.postQ, q)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return f.Store.TopNegative(ctx, q)
}

func (f *recStore) Incidents(ctx context.Context, from, to time.Time) ([]earshot.Incident, error) {
	f.mu.Lock()
	f.incidentQ = append(f.incidentQ, [2]time.Time{from, to})
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return f.Store.Incidents(ctx, from, to)
}

func (f *recStore) Spikes(ctx context.Context, from, to time.Time) ([]earshot.Spike, error) {
	if f.err != nil {
		return nil, f.err
	}
	return f.Store.Spikes(ctx, from, to)
}

// fixture is what a test stores; store puts it in a recStore.
type fixture struct {
	posts     []earshot.Post
	negative  []earshot.Post // the posts the page lists as most negative
	incidents []earshot.Incident
	spikes    []earshot.Spike
	err       error
}

func (f *fixture) store(t *testing.T) *recStore {
	t.Helper()
	st := &recStore{Store: memstore.New()}
	ctx := t.Context()
	if err := st.SavePosts(ctx, append(slices.Clone(f.posts), f.negative...)); err != nil {
		t.Fatal(err)
	}
	for _, inc := range f.incidents {
		if err := st.SaveIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
	}
	for _, sp := range f.spikes {
		if err := st.SaveSpike(ctx, sp); err != nil {
			t.Fatal(err)
		}
	}
	st.err = f.err
	return st
}

// background is n posts of no watch created at, negative of them scored
// -0.4, positive +0.5, the rest neutral, three in four on twitter and the
// others on reddit; they have no link.
func background(at time.Time, n, negative, positive int) []earshot.Post {
	out := make([]earshot.Post, n)
	for i := range out {
		p := earshot.Post{ID: fmt.Sprintf("bg:%d:%d", at.Unix(), i), Source: "twitter", Kind: earshot.KindPost,
			Text: "background", CreatedAt: at.Add(time.Duration(i) * time.Second), Sentiment: earshot.Sentiment{Label: earshot.Neutral}}
		if i%4 == 3 {
			p.Source = "reddit"
		}
		switch {
		case i < negative:
			p.Sentiment = earshot.Sentiment{Score: -0.4, Label: earshot.Negative}
		case i < negative+positive:
			p.Sentiment = earshot.Sentiment{Score: 0.5, Label: earshot.Positive}
		}
		out[i] = p
	}
	return out
}

func newServer(t *testing.T, f *recStore) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	return New(f, Options{Title: "Acme comms", Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(&logs, nil))}), &logs
}

func get(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, target, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var outage = earshot.Incident{
	ID:        "statuspage:abc",
	Source:    "statuspage",
	Title:     "Elevated API error rates and login failures",
	Status:    earshot.Identified,
	Severity:  "major",
	Services:  []string{"api", "login"},
	StartedAt: now.Add(-3 * time.Hour),
	URL:       "https://status.acme.example/incidents/abc",
	Updates: []earshot.IncidentUpdate{
		{At: now.Add(-3 * time.Hour), Status: earshot.Investigating, Body: "We are investigating."},
		{At: now.Add(-2 * time.Hour), Status: earshot.Identified, Body: "A bad auth config push; rolling back."},
	},
}

func scenario() *fixture {
	f := &fixture{incidents: []earshot.Incident{outage}}
	for h := 7 * 24; h > 0; h-- {
		start := now.Add(-time.Duration(h) * time.Hour)
		if h <= 3 {
			f.posts = append(f.posts, background(start, 400, 320, 10)...)
		} else {
			f.posts = append(f.posts, background(start, 40, 6, 16)...)
		}
	}
	f.negative = []earshot.Post{{
		ID: "twitter:1", Source: "twitter", Kind: earshot.KindPost, URL: "https://twitter.example/maya/status/1",
		Author:    earshot.Author{ID: "1", Handle: "maya", Name: "Maya Kim", Followers: 12_300},
		Text:      "@acmecloud can't log in, 500 errors everywhere. Unacceptable.",
		CreatedAt: now.Add(-2 * time.Hour), Watches: []string{"acme"},
		Sentiment: earshot.Sentiment{Score: -0.91, Label: earshot.Negative},
	}}
	return f
}

func TestPage(t *testing.T) {
	f := scenario().store(t)
	srv, _ := newServer(t, f)
	res, body := get(t, srv, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	for _, want := range []string{
		"<title>Acme comms · last 7d</title>",
		`<meta http-equiv="refresh" content="60">`,
		`class="band-major"`,
		"Elevated API error rates and login failures · identified", // band label
		">identified</span>",
		"api, login",
		"ongoing",
		"A bad auth config push; rolling back.",
		"@acmecloud can&#39;t log in, 500 errors everywhere. Unacceptable.",
		"Maya Kim", "@maya", "12k followers", `href="https://twitter.example/maya/status/1"`,
		"-0.91",
		"posts per hour",
		"Time (UTC)",
		`href="/?range=24h"`, `href="/?range=30d"`,
		">twitter</a>", ">reddit</a>",
		"Mar 13", // a labelled day on the time axis
		// Both charts, each named for screen readers.
		`aria-label="Posts per hour, negative posts highlighted, incidents shaded"`,
		`aria-label="Mean sentiment per hour, incidents shaded"`, `<path class="line" d="M`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The one script is the dashboard's own, served from here.
	if own := strings.Count(body, ownScript); own != 1 || strings.Count(body, "<script") != 1 || strings.Contains(body, `src="http`) || strings.Contains(body, `href="//`) {
		t.Error("page loads a script other than its own, or an external asset")
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "connect-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if !strings.Contains(body, `<noscript><meta http-equiv="refresh" content="60"></noscript>`) {
		t.Error("without scripts the page no longer refreshes")
	}
	if n := strings.Count(body, `class="bar"`); n != 168 {
		t.Errorf("%d bars, want 168 (7 days of hours)", n)
	}
	// twitter (900 posts) before reddit (300).
	if strings.Index(body, ">twitter</a>") > strings.Index(body, ">reddit</a>") {
		t.Error("sources not ordered by volume")
	}
	q := f.mainSeries(t)
	if q.Bucket != time.Hour || !q.From.Equal(now.Add(-7*24*time.Hour)) || !q.To.Equal(now) || q.GroupBy != earshot.GroupNone {
		t.Errorf("series query %+v", q)
	}
	if f.postQ[0].Limit != negativeFetch {
		t.Errorf("negative posts limit %d", f.postQ[0].Limit)
	}
}

func TestPageRanges(t *testing.T) {
	for _, tc := range []struct {
		rng    string
		bucket time.Duration
		bars   int
		ylabel string
	}{
		{"24h", time.Minute, 144, "posts per 10 min"},
		{"7d", time.Hour, 168, "posts per hour"},
		{"14d", time.Hour, 169, "posts per 2 h"}, // 16:00 two weeks ago to the bar now open,
		{"30d", time.Hour, 121, "posts per 6 h"},
	} {
		t.Run(tc.rng, func(t *testing.T) {
			f := scenario().store(t)
			srv, _ := newServer(t, f)
			res, body := get(t, srv, "/?range="+tc.rng+"&watch=acme")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := f.mainSeries(t).Bucket; got != tc.bucket {
				t.Errorf("bucket %v, want %v", got, tc.bucket)
			}
			if f.mainSeries(t).Watch != "acme" || f.postQ[0].Watch != "acme" {
				t.Error("watch filter not passed to the store")
			}
			if n := strings.Count(body, `class="bar"`); n != tc.bars {
				t.Errorf("%d bars, want %d", n, tc.bars)
			}
			if !strings.Contains(body, tc.ylabel) || !strings.Contains(body, `class="current" aria-current="page">`+tc.rng+"<") {
				t.Errorf("page lacks %q or the current range", tc.ylabel)
			}
			if !strings.Contains(body, `href="/?range=`+tc.rng+`&amp;source=twitter&amp;watch=acme"`) {
				t.Error("source links do not keep the range and watch")
			}
		})
	}
}

func TestPageEscapesHostilePosts(t *testing.T) {
	f := scenario()
	f.negative = []earshot.Post{
		{
			ID: "twitter:2", Source: "twitter<b>", Kind: "post",
			URL:       "javascript:alert(3)",
			Author:    earshot.Author{ID: "2", Handle: `"><img src=x onerror=alert(2)>`, Name: `<script>alert("name")</script>`},
			Text:      `<script>alert(1)</script> "><img src=x onerror=alert(1)> is down`,
			CreatedAt: now.Add(-time.Hour), Watches: []string{"<i>acme</i>"},
			Sentiment: earshot.Sentiment{Score: -0.8, Label: earshot.Negative},
		},
		{
			ID: "mastodon:3", Source: "mastodon", Kind: "post",
			URL:       `"><img src=x onerror=alert(4)>`,
			Author:    earshot.Author{ID: "3", Name: "Eve"},
			Text:      "not a link",
			CreatedAt: now.Add(-time.Hour),
			Sentiment: earshot.Sentiment{Score: -0.7, Label: earshot.Negative},
		},
		{
			ID: "bluesky:4", Source: "bluesky", Kind: "post",
			URL:       ` JaVaScRiPt:alert(5)`,
			Author:    earshot.Author{ID: "4", Name: "Mallory"},
			Text:      "also not a link",
			CreatedAt: now.Add(-time.Hour),
			Sentiment: earshot.Sentiment{Score: -0.6, Label: earshot.Negative},
		},
		{
			ID: "reddit:5", Source: "reddit", Kind: "comment",
			URL:       `https://reddit.example/r/x/"onmouseover="alert(6)`,
			Author:    earshot.Author{ID: "5", Name: "Trudy"},
			Text:      "a link with a quote in it",
			CreatedAt: now.Add(-time.Hour),
			Sentiment: earshot.Sentiment{Score: -0.5, Label: earshot.Negative},
		},
	}
	f.incidents = []earshot.Incident{{
		ID: "x:1", Title: `<script>alert("incident")</script>`, Status: earshot.Investigating, StartedAt: now.Add(-time.Hour),
		URL: "javascript:alert(7)", Updates: []earshot.IncidentUpdate{{At: now, Body: `<img src=x onerror=alert(8)>`}},
	}}
	f.posts = append(f.posts, earshot.Post{ID: "x:source", Source: `<script>alert("source")</script>`, CreatedAt: now.Add(-time.Hour)})
	srv, _ := newServer(t, f.store(t))
	res, body := get(t, srv, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	body = strings.Replace(body, ownScript, "", 1)
	for _, bad := range []string{"<script", "<img", "<b>", "<i>", "javascript:", "JaVaScRiPt", `"onmouseover="`, "alert(4)"} {
		if i := strings.Index(body, bad); i >= 0 {
			t.Errorf("page contains %q unescaped: …%s…", bad, body[max(0, i-80):min(len(body), i+80)])
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt; is down",
		"&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;",
		"@&#34;&gt;&lt;img src=x onerror=alert(2)&gt;",
		"&lt;script&gt;alert(&#34;incident&#34;)&lt;/script&gt;",
		"&lt;img src=x onerror=alert(8)&gt;",
		"&lt;script&gt;alert(&#34;source&#34;)&lt;/script&gt;",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks the escaped %q", want)
		}
	}
	// Only the http(s) post gets a link; the others are text only.
	if n := strings.Count(body, `class="open"`); n != 1 {
		t.Errorf("%d post links, want 1 (only the https one)", n)
	}
}

func TestPageEmpty(t *testing.T) {
	srv, _ := newServer(t, (&fixture{}).store(t))
	res, body := get(t, srv, "/?range=24h")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(body, "No data yet") || !strings.Contains(body, "No posts and no incidents in the last 24h.") {
		t.Error("page lacks the empty-state message")
	}
	if strings.Contains(body, `class="chart"`) {
		t.Error("empty page draws charts")
	}
}

func TestPageErrors(t *testing.T) {
	srv, _ := newServer(t, scenario().store(t))
	res, body := get(t, srv, "/?range=2d")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "range:") {
		t.Errorf("bad range: %d %q", res.StatusCode, body)
	}
	res, _ = get(t, srv, "/nope")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: %d", res.StatusCode)
	}

	f := (&fixture{err: errors.New("duckdb: connection refused (secret-dsn)")}).store(t)
	srv, logs := newServer(t, f)
	res, body = get(t, srv, "/")
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("store failure: status %d", res.StatusCode)
	}
	if strings.Contains(body, "secret-dsn") {
		t.Error("store error leaked to the client")
	}
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("store error not logged: %q", logs.String())
	}
}

func TestPageDefaultRange(t *testing.T) {
	f := scenario().store(t)
	srv := New(f, Options{Now: func() time.Time { return now }, DefaultRange: 3 * 24 * time.Hour})
	res, body := get(t, srv, "/")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<title>Earshot · last 3d</title>") {
		t.Fatalf("status %d; title missing", res.StatusCode)
	}
	if q := f.mainSeries(t); q.Bucket != time.Hour || !q.From.Equal(now.Add(-72*time.Hour)) {
		t.Errorf("series query %+v", q)
	}
}

func TestStatic(t *testing.T) {
	srv, _ := newServer(t, (&fixture{}).store(t))
	res, body := get(t, srv, "/static/style.css")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(body, ".band-major") {
		t.Fatalf("style.css: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	res, body = get(t, srv, "/healthz")
	if res.StatusCode != http.StatusOK || body != "ok\n" {
		t.Fatalf("healthz: %d %q", res.StatusCode, body)
	}
}

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	return m
}

func TestAPISeries(t *testing.T) {
	// At now-2h 12 posts: 7 negative, 1 positive, 2 neutral, 2 unscored
	// (mean -0.5); at now-1h 3 posts (mean 0.25).
	fx := scenario()
	fx.negative = nil
	for i := range 15 {
		p := earshot.Post{ID: fmt.Sprintf("twitter:s%d", i), Source: "twitter", Watches: []string{"acme"}, CreatedAt: now.Add(-2 * time.Hour)}
		switch {
		case i < 7:
			p.Sentiment = earshot.Sentiment{Score: -0.75, Label: earshot.Negative}
		case i == 7:
			p.Sentiment = earshot.Sentiment{Score: 0.25, Label: earshot.Positive}
		case i < 10:
			p.Sentiment = earshot.Sentiment{Label: earshot.Neutral}
		case i >= 12:
			p.CreatedAt = now.Add(-time.Hour)
			p.Sentiment = earshot.Sentiment{Score: 0.25, Label: earshot.Neutral}
		}
		fx.posts = append(fx.posts, p)
	}
	f := fx.store(t)
	srv, _ := newServer(t, f)
	res, body := get(t, srv, "/api/series?from=2026-03-13T10:00:00Z&to=2026-03-13T17:00:00%2B00:00&bucket=1m&group=source&watch=acme&source=twitter")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("status %d, type %q: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	want := earshot.SeriesQuery{
		From: time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC), To: now,
		Bucket: time.Minute, GroupBy: earshot.GroupSource, Watch: "acme", Source: "twitter",
	}
	if got := f.seriesQ[0]; got != want {
		t.Errorf("query %+v, want %+v", got, want)
	}
	var got struct {
		From, To      time.Time
		Bucket, Group string
		Watch, Source string
		Points        []earshot.Bucket
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if !got.From.Equal(want.From) || !got.To.Equal(now) || got.Bucket != "1m" || got.Group != "source" || got.Watch != "acme" || got.Source != "twitter" {
		t.Errorf("envelope %+v", got)
	}
	if len(got.Points) != 2 || got.Points[0].Count != 12 || got.Points[0].Negative != 7 || got.Points[0].MeanSentiment != -0.5 || got.Points[1].Key != "twitter" {
		t.Errorf("points %+v", got.Points)
	}
	m := decode(t, body)
	p := m["points"].([]any)[0].(map[string]any)
	for _, k := range []string{"start", "key", "count", "scored", "negative", "positive", "mean_sentiment"} {
		if _, ok := p[k]; !ok {
			t.Errorf("point lacks %q: %v", k, p)
		}
	}
}

func TestAPIDefaults(t *testing.T) {
	f := (&fixture{}).store(t)
	srv, _ := newServer(t, f)
	_, body := get(t, srv, "/api/series")
	q := f.seriesQ[0]
	if !q.From.Equal(now.Add(-7*24*time.Hour)) || !q.To.Equal(now) || q.Bucket != time.Hour || q.GroupBy != earshot.GroupNone {
		t.Errorf("default query %+v", q)
	}
	if want := `{"from":"2026-03-06T17:00:00Z","to":"2026-03-13T17:00:00Z","bucket":"1h","group":"","points":[]}` + "\n"; body != want {
		t.Errorf("body %s, want %s", body, want)
	}
	_, body = get(t, srv, "/api/incidents")
	if want := `{"from":"2026-03-06T17:00:00Z","to":"2026-03-13T17:00:00Z","incidents":[]}` + "\n"; body != want {
		t.Errorf("body %s, want %s", body, want)
	}
	_, body = get(t, srv, "/api/posts/negative")
	if want := `{"from":"2026-03-06T17:00:00Z","to":"2026-03-13T17:00:00Z","limit":20,"posts":[]}` + "\n"; body != want {
		t.Errorf("body %s, want %s", body, want)
	}
	if q := f.postQ[0]; q.Limit != 20 || !q.To.Equal(now) {
		t.Errorf("default post query %+v", q)
	}
}

func TestAPIIncidentsAndPosts(t *testing.T) {
	f := scenario().store(t)
	srv, _ := newServer(t, f)
	res, body := get(t, srv, "/api/incidents?from=2026-03-13T00:00:00Z&to=2026-03-14T00:00:00Z")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("incidents: %d %s", res.StatusCode, body)
	}
	var inc struct{ Incidents []earshot.Incident }
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		t.Fatal(err)
	}
	if len(inc.Incidents) != 1 || inc.Incidents[0].Title != outage.Title || inc.Incidents[0].Status != earshot.Identified {
		t.Errorf("incidents %+v", inc.Incidents)
	}
	if got := f.incidentQ[0]; !got[0].Equal(time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC)) || !got[1].Equal(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("incident window %v", got)
	}

	res, body = get(t, srv, "/api/posts/negative?limit=5&watch=acme&source=twitter")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("posts: %d %s", res.StatusCode, body)
	}
	var posts struct {
		Limit int
		Posts []earshot.Post
	}
	if err := json.Unmarshal([]byte(body), &posts); err != nil {
		t.Fatal(err)
	}
	if posts.Limit != 5 || len(posts.Posts) != 1 || posts.Posts[0].Sentiment.Score != -0.91 || posts.Posts[0].Author.Handle != "maya" {
		t.Errorf("posts %+v", posts)
	}
	if q := f.postQ[0]; q.Limit != 5 || q.Watch != "acme" || q.Source != "twitter" {
		t.Errorf("post query %+v", q)
	}
}

func TestAPIBadParams(t *testing.T) {
	for _, tc := range []struct {
		target, param string
	}{
		{"/api/series?from=yesterday", "from"},
		{"/api/series?to=2026-13-01T00:00:00Z", "to"},
		{"/api/series?from=2026-03-13T00:00:00Z&to=2026-03-12T00:00:00Z", "from"},
		{"/api/series?from=2026-03-13T00:00:00Z&to=2026-03-13T00:00:00Z", "from"},
		{"/api/series?bucket=5m", "bucket"},
		{"/api/series?bucket=1m&from=2020-01-01T00:00:00Z", "bucket"},
		{"/api/series?group=author", "group"},
		{"/api/series?watch=" + strings.Repeat("a", 300), "watch"},
		{"/api/incidents?from=2026-03-13", "from"},
		{"/api/posts/negative?limit=0", "limit"},
		{"/api/posts/negative?limit=many", "limit"},
		{"/api/posts/negative?limit=100000", "limit"},
		{"/api/posts/negative?source=" + strings.Repeat("s", 300), "source"},
	} {
		t.Run(tc.target[:min(len(tc.target), 60)], func(t *testing.T) {
			f := (&fixture{}).store(t)
			srv, _ := newServer(t, f)
			res, body := get(t, srv, tc.target)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", res.StatusCode, body)
			}
			msg, _ := decode(t, body)["error"].(string)
			if !strings.HasPrefix(msg, tc.param+":") {
				t.Errorf("error %q does not name %q", msg, tc.param)
			}
			if len(f.seriesQ)+len(f.postQ)+len(f.incidentQ) > 0 {
				t.Error("the store was queried despite a bad parameter")
			}
		})
	}
}

func TestAPIStoreError(t *testing.T) {
	for _, target := range []string{"/api/series", "/api/incidents", "/api/posts/negative"} {
		f := (&fixture{err: errors.New("clickhouse: auth failed for user=earshot password=hunter2")}).store(t)
		srv, logs := newServer(t, f)
		res, body := get(t, srv, target)
		if res.StatusCode != http.StatusInternalServerError {
			t.Fatalf("%s: status %d", target, res.StatusCode)
		}
		msg, _ := decode(t, body)["error"].(string)
		if msg == "" || strings.Contains(body, "hunter2") {
			t.Errorf("%s: error %q", target, body)
		}
		if !strings.Contains(logs.String(), "auth failed") {
			t.Errorf("%s: not logged", target)
		}
	}
}

func TestAPIRouting(t *testing.T) {
	srv, _ := newServer(t, (&fixture{}).store(t))
	res, body := get(t, srv, "/api/nope")
	if res.StatusCode != http.StatusNotFound || decode(t, body)["error"] == nil {
		t.Errorf("unknown endpoint: %d %s", res.StatusCode, body)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/api/series", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
}

func TestRebin(t *testing.T) {
	from := now.Add(-time.Hour)
	bins := rebin([]earshot.Bucket{
		{Start: from, Count: 4, Scored: 4, Negative: 2, MeanSentiment: -0.5},
		{Start: from.Add(5 * time.Minute), Count: 2, Scored: 1, Positive: 1, MeanSentiment: 1},
		{Start: from.Add(50 * time.Minute), Count: 1, Scored: 0},
		{Start: from.Add(-time.Hour), Count: 99}, // outside: ignored
	}, from, now, 10*time.Minute)
	if len(bins) != 6 {
		t.Fatalf("%d bins, want 6", len(bins))
	}
	if b := bins[0]; b.count != 6 || b.scored != 5 || b.neg != 2 || b.pos != 1 || b.mean() != -0.2 {
		t.Errorf("first bin %+v mean %v", b, b.mean())
	}
	if bins[1].count != 0 || bins[5].count != 1 || bins[5].mean() != 0 {
		t.Errorf("bins %+v", bins)
	}
}

func TestSafeLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://twitter.example/a/status/1": "https://twitter.example/a/status/1",
		"http://blog.example/x?a=1&b=2":      "http://blog.example/x?a=1&b=2",
		"javascript:alert(1)":                "",
		" JavaScript:alert(1)":               "",
		"data:text/html,<script>":            "",
		"//evil.example/x":                   "",
		"/relative":                          "",
		"":                                   "",
		"https:///nohost":                    "",
	} {
		if got := safeLink(in); got != want {
			t.Errorf("safeLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPageListsSpikes(t *testing.T) {
	start := now.Add(-26 * time.Hour)
	f := (&fixture{
		posts:     background(start, 40, 30, 0),
		incidents: []earshot.Incident{{ID: "sp:1", Title: "API errors", Status: earshot.Resolved, StartedAt: start, ResolvedAt: start.Add(time.Hour)}},
		spikes: []earshot.Spike{
			{ID: "a", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricVolume, Start: start, End: start.Add(time.Hour), Observed: 412, Expected: 38, Score: 0.93, IncidentID: "sp:1"},
			{ID: "b", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme<script>"}, Metric: earshot.MetricNegativeShare, Start: start.Add(3 * time.Hour), Observed: 0.71, Expected: 0.2, Score: 0.8},
			{ID: "c", Scope: earshot.Scope{Kind: earshot.ScopeSource, Value: "reddit"}, Metric: earshot.MetricVolume, Start: start},
		},
	}).store(t)
	srv, _ := newServer(t, f)
	_, body := get(t, srv, "/")
	for _, want := range []string{"Spikes detected", "watch acme", "412", "API errors", "negative share", "71%", "no known incident", "ongoing", "acme&lt;script&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "source reddit") {
		t.Error("a per-source spike is listed on the unfiltered page")
	}
	_, body = get(t, srv, "/?source=reddit")
	if !strings.Contains(body, "source reddit") || strings.Contains(body, "watch acme") {
		t.Error("the source filter does not pick that source's spikes")
	}
	_, js := get(t, srv, "/api/spikes")
	if !strings.Contains(js, `"spikes":[`) || !strings.Contains(js, `"observed":412`) {
		t.Errorf("/api/spikes = %s", js)
	}
}

func TestNegativePostsFoldRepeats(t *testing.T) {
	post := func(id, text string, score float64) earshot.Post {
		return earshot.Post{ID: id, Source: "twitter", Text: text, CreatedAt: now.Add(-time.Hour), Sentiment: earshot.Sentiment{Score: score, Label: earshot.Negative}}
	}
	negative := []earshot.Post{
		post("a", "@acmecloud Login is BROKEN again!", -0.9),
		post("b", "RT @someone: login is broken again https://t.co/x", -0.9),
		post("c", "Billing charged me twice", -0.8),
		post("d", "login is broken again.", -0.7),
	}
	srv, _ := newServer(t, (&fixture{negative: negative}).store(t))
	_, body := get(t, srv, "/")
	if n := strings.Count(body, `<p class="text">`); n != 2 {
		t.Errorf("%d posts listed, want 2 distinct texts", n)
	}
	if !strings.Contains(body, "and 2 more posts saying the same") {
		t.Error("the repeats of the login complaint are not counted")
	}
	got := distinctPosts(negative, 1)
	if len(got) != 1 || got[0].Similar != 2 {
		t.Errorf("distinctPosts(.., 1) = %+v; repeats of the post shown still count", got)
	}
}

// TestPageOneWatch: with a single watch configured, the spikes over all
// posts are that watch's again and are not listed; silences are.
func TestPageOneWatch(t *testing.T) {
	start := now.Add(-26 * time.Hour)
	f := (&fixture{
		posts: background(start, 40, 30, 0),
		spikes: []earshot.Spike{
			{ID: "a", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricVolume, Start: start, Observed: 412, Expected: 38},
			{ID: "b", Scope: earshot.Scope{Kind: earshot.ScopeAll}, Metric: earshot.MetricVolume, Start: start, Observed: 413, Expected: 39},
		},
	}).store(t)
	sil := memstore.New()
	for _, sl := range []earshot.Silence{
		{ID: "m", Matchers: []string{`watch="acme"`}, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour), CreatedBy: "zoë", Comment: "<b>maintenance</b>"},
		{ID: "old", Matchers: []string{`watch="beta"`}, StartsAt: now.Add(-72 * time.Hour), EndsAt: now.Add(-48 * time.Hour)},
	} {
		if err := sil.SaveSilence(t.Context(), sl); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		watches []string
		all     bool
	}{{[]string{"acme"}, false}, {[]string{"acme", "beta"}, true}, {nil, true}} {
		srv := New(f, Options{Now: func() time.Time { return now }, Watches: tc.watches, Silences: sil})
		_, body := get(t, srv, "/")
		if got := strings.Contains(body, "all posts"); got != tc.all {
			t.Errorf("watches %v: all posts listed %v, want %v", tc.watches, got, tc.all)
		}
		if !strings.Contains(body, "watch acme") {
			t.Errorf("watches %v: the watch's spike is not listed", tc.watches)
		}
		for _, want := range []string{"Silences", `watch=&#34;acme&#34;`, "active", "zoë", "&lt;b&gt;maintenance"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, "beta&#34;") {
			t.Error("a silence over for two days is listed")
		}
	}
}
