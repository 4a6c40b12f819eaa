package web

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound/publishapi"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/publish"
	_ "github.com/earshot/earshot/publish/all"
	"github.com/earshot/earshot/store/memstore"
)

var publishShot = flag.String("publish-screenshot", "", "write a screenshot of the publish page, after publishing, to this PNG file")

var pubStart = time.Date(2026, 12, 7, 14, 5, 0, 0, time.UTC)

func pubIncident(t *testing.T, st *memstore.Store) earshot.Incident {
	t.Helper()
	inc := earshot.Incident{ID: "manual:42", Source: "manual", Title: `Login <script>alert("t")</script> failures`,
		Status: earshot.Identified, Services: []string{"login"}, StartedAt: pubStart, UpdatedAt: pubStart}
	if err := st.SaveIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	return inc
}

func TestPublishPage(t *testing.T) {
	st := memstore.New()
	inc := pubIncident(t, st)
	ctx := t.Context()
	for _, p := range []earshot.Publication{
		{ID: "pub-1", IncidentID: inc.ID, Channel: "mastodon", Phase: "investigating", Text: `We're on it <img src=x onerror=alert(1)>`,
			State: "published", By: "ana", RemoteID: "1", URL: "https://social.example/@acme/1", CreatedAt: pubStart, PublishedAt: pubStart},
		{ID: "pub-2", IncidentID: inc.ID, Channel: "x", Phase: "investigating", Text: "We're on it", State: "failed", By: "ana",
			Error: "x answered 403 Forbidden: duplicate content", URL: "javascript:alert(1)", CreatedAt: pubStart},
		{ID: "pub-3", IncidentID: inc.ID, Channel: "statuspage", Phase: "identified", Text: "Found it", State: "pending", By: "ana",
			CreatedAt: pubStart.Add(time.Minute)},
	} {
		if err := st.SavePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	s := New(st, Options{Now: func() time.Time { return pubStart.Add(time.Hour) }, Publish: PublishOptions{Publications: st,
		Channels: []PublishChannel{{Name: "statuspage", Limit: 5000, Unit: "runes", Kind: "statuspage"}, {Name: "x", Limit: 280, Unit: "weighted", Kind: "social"}},
		Approval: true}})
	resp, body := get(t, s, "/incidents/manual:42/publish")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`Login &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; failures`,
		`We&#39;re on it &lt;img src=x onerror=alert(1)&gt;`,
		`<option value="identified" selected>`,
		`value="statuspage" data-kind="statuspage"`, `value="x" data-kind="social"`,
		`<a href="https://social.example/@acme/1"`,
		`x answered 403 Forbidden: duplicate content`,
		`<button type="button" class="approve" data-id="pub-3">Approve</button>`,
		`Ask for approval`,
		`<script src="/static/publish.js" defer></script>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "javascript:alert") || strings.Contains(body, "<img src=x") {
		t.Error("page carries a hostile link or tag")
	}
	// Newest first.
	if strings.Index(body, `data-id="pub-3"`) > strings.Index(body, `data-id="pub-1"`) {
		t.Error("publications are not newest first")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP %q does not let the page's own script run and call the API", csp)
	}
	if resp, _ := get(t, s, "/incidents/nope/publish"); resp.StatusCode != 404 {
		t.Errorf("unknown incident: %d", resp.StatusCode)
	}
	if resp, _ := get(t, New(st, Options{}), "/incidents/manual:42/publish"); resp.StatusCode != 404 {
		t.Errorf("publishing off: %d", resp.StatusCode)
	}
	draftsOnly := New(st, Options{Publish: PublishOptions{Publications: st}})
	if resp, body := get(t, draftsOnly, "/incidents/manual:42/publish"); resp.StatusCode != 200 ||
		!strings.Contains(body, "Load draft") || !strings.Contains(body, `id="text-long"`) || !strings.Contains(body, `id="text-social"`) ||
		!strings.Contains(body, "No publishing channel is configured") || strings.Contains(body, "publish-button") {
		t.Errorf("with no channel: %d, want drafts of both kinds and no publish button", resp.StatusCode)
	}
	if resp, body := get(t, s, "/static/publish.js"); resp.StatusCode != 200 || !strings.Contains(body, "/api/v1/incidents/") {
		t.Errorf("publish.js: %d", resp.StatusCode)
	}
}

// fakeAPIs are a Mastodon instance and Statuspage's API in one test
// server, answering in their formats and keeping what they were sent.
type fakeAPIs struct {
	mu       sync.Mutex
	statuses []map[string]any
	pages    []map[string]map[string]any
	auth     []string
}

func (f *fakeAPIs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	w.Header().Set("Content-Type", "application/json")
	b, _ := io.ReadAll(r.Body)
	switch {
	case r.URL.Path == "/api/v1/statuses" && r.Header.Get("Authorization") == "Bearer masto-tok":
		var body map[string]any
		_ = json.Unmarshal(b, &body)
		f.statuses = append(f.statuses, body)
		_, _ = io.WriteString(w, `{"id":"113001","url":"https://social.example/@acme/113001","uri":"https://social.example/users/acme/statuses/113001","visibility":"public"}`)
	case r.URL.Path == "/v1/pages/pg1/incidents" && r.Header.Get("Authorization") == "OAuth sp-key":
		var body map[string]map[string]any
		_ = json.Unmarshal(b, &body)
		f.pages = append(f.pages, body)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"kx5v2rs8z1lq","name":"Login failures","status":"identified","shortlink":"https://stspg.io/kx5v2"}`)
	default:
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"unauthorized"}`)
	}
}

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH: the publish page is not tried in a browser (apt-get install chromium)")
	return ""
}

// TestPublishInChromium loads a draft on the publish page, edits it,
// sees the previews, publishes to Statuspage and Mastodon (test servers
// speaking their APIs) and sees the stored publications with their links.
func TestPublishInChromium(t *testing.T) {
	bin := chromiumPath(t)
	apis := &fakeAPIs{}
	remote := httptest.NewServer(apis)
	defer remote.Close()

	st := memstore.New()
	inc := pubIncident(t, st)
	inc.Title = "Login failures" // hostile titles are TestPublishPage's
	if err := st.SaveIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	cfg := publish.DefaultConfig()
	cfg.Channels = map[string]publish.ChannelConfig{
		"statuspage": {BaseURL: remote.URL, PageID: "pg1", Token: "env:SP"},
		"mastodon":   {BaseURL: remote.URL, Token: "env:MASTO"},
	}
	secrets := map[string]string{"SP": "sp-key", "MASTO": "masto-tok"}
	chans, err := publish.Open(cfg, publish.Deps{Getenv: func(k string) string { return secrets[k] }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return pubStart.Add(40 * time.Minute) }
	svc, err := publish.New(st, cfg, publish.Options{Channels: chans, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	var pcs []PublishChannel
	for _, c := range svc.Channels() {
		pcs = append(pcs, PublishChannel{Name: c.Name, Limit: c.Limit, Unit: string(c.Unit), Kind: c.Kind})
	}
	mux := http.NewServeMux()
	mux.Handle("/", New(st, Options{Now: clock, Publish: PublishOptions{Publications: st, Channels: pcs}}))
	api := publishapi.New(svc, publishapi.Options{})
	for _, p := range publishapi.Routes {
		mux.Handle(p, api)
	}
	// Signed in as ana, of comms, as the sign-in middleware would.
	signedIn := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(auth.WithUser(r.Context(), earshot.User{Name: "ana", Role: earshot.RoleComms})))
	})
	srv := httptest.NewServer(signedIn)
	defer srv.Close()

	alloc, cancel := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1200, 900))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] { return chromedp.Poll[chromedp.Void](expr) }
	str := func(a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	count := func(expr string) int {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	do(chromedp.Navigate(srv.URL+"/incidents/"+inc.ID+"/publish"),
		chromedp.WaitReady("#compose"),
		chromedp.Click("#load-draft"),
		poll(`document.getElementById("text-long").value.includes("[ETA]") && document.getElementById("text-social").value.includes("[ETA]")`))
	long, social := str(chromedp.Value("#text-long")), str(chromedp.Value("#text-social"))
	if !strings.Contains(long, "identified the cause") || !strings.Contains(long, "login") || !strings.Contains(social, "fix is underway") {
		t.Fatalf("drafts: long %q, social %q", long, social)
	}

	// Publishing with [ETA] left in is refused, plainly, and sends nothing.
	do(chromedp.Click("#publish-button"), poll(`document.getElementById("message").textContent.startsWith("Not published")`))
	msg := str(chromedp.Text("#message"))
	apis.mu.Lock()
	sent := len(apis.statuses) + len(apis.pages)
	apis.mu.Unlock()
	if !strings.Contains(msg, "[ETA]") || sent != 0 {
		t.Fatalf("message %q; %d requests sent", msg, sent)
	}

	// Edit: fill the ETA in both, type the social one.
	edited := strings.ReplaceAll(social, "[ETA]", "15:30 UTC")
	typed := strings.Index(edited, "15:30 UTC")
	do(chromedp.SetValue("#text-long", strings.ReplaceAll(long, "[ETA]", "15:30 UTC")),
		chromedp.SetValue("#text-social", edited[:typed]),
		chromedp.SendKeys("#text-social", edited[typed:]),
		// The preview of the whole text, not of one typed halfway.
		poll(`document.querySelectorAll("#previews li.preview").length === 2 &&
			document.querySelector('#previews li[data-channel="mastodon"] .text').textContent === `+jsString(edited)))
	if got, want := str(chromedp.Text(`#previews li[data-channel="mastodon"] .count`)), itoa(publish.Graphemes.Count(edited))+" / 500"; got != want {
		t.Errorf("mastodon preview count %q, want %q", got, want)
	}

	do(chromedp.Click("#publish-button"), poll(`document.querySelectorAll("#publications tr.pub.st-published").length === 2`))
	msg = str(chromedp.Text("#message"))
	rows := count(`document.querySelectorAll("#publications tr.pub").length`)
	link := str(chromedp.Text(`#publications tr.pub a[href^="https://social.example"]`))
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(`#publications tr.pub a[href^="https://stspg.io"]`, "href"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(msg, "Published to Status page, Mastodon") || rows != 2 || link != "https://social.example/@acme/113001" || href.Value != "https://stspg.io/kx5v2" {
		t.Errorf("after publishing: message %q, %d rows, link %q, href %q", msg, rows, link, href.Value)
	}

	apis.mu.Lock()
	if len(apis.statuses) != 1 || apis.statuses[0]["status"] != edited {
		t.Errorf("Mastodon was sent %v, want the edited social text", apis.statuses)
	}
	if len(apis.pages) != 1 || apis.pages[0]["incident"]["status"] != "identified" || !strings.Contains(apis.pages[0]["incident"]["body"].(string), "15:30 UTC") {
		t.Errorf("Statuspage was sent %v", apis.pages)
	}
	apis.mu.Unlock()

	if *publishShot != "" {
		// The screenshot in docs/publishing.md: go test -run PublishInChromium -publish-screenshot FILE.
		do(chromedp.SetValue("#text-social", edited), poll(`document.querySelectorAll("#previews li.preview").length === 2`))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*publishShot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A reload shows the stored publications, rendered by the server.
	do(chromedp.Navigate(srv.URL+"/incidents/"+inc.ID+"/publish"), chromedp.WaitReady("#publications"))
	if n := count(`document.querySelectorAll("#publications tr.pub.st-published a").length`); n != 2 {
		t.Errorf("after a reload, %d links to publications, want 2", n)
	}
	pubs, _ := st.Publications(t.Context(), inc.ID)
	if len(pubs) != 2 || pubs[0].By != "ana" {
		t.Errorf("stored %+v", pubs)
	}
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
