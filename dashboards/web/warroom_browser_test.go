package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/dashboards/live"
)

// browse serves h and opens a headless Chromium on it.
func browse(t *testing.T, h http.Handler) (context.Context, string) {
	t.Helper()
	bin := chromium(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	alloc, cancel := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx, srv.URL
}

// liveServer is the dashboard with the event stream beside it, as serve
// mounts them.
func liveServer(srv *Server, hub *live.Hub) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.Handle("GET /api/v1/events", hub)
	return mux
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// poll waits until expr is true in the page; the test's deadline bounds
// it.
func poll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// TestWarRoomInChromium: the war room of an incident renders as people see
// it, hostile posts as text, and events published on the server change
// the page without a reload.
func TestWarRoomInChromium(t *testing.T) {
	st := warStore(t)
	hub := live.NewHub(live.Options{})
	t.Cleanup(hub.Close)
	srv := New(st, Options{Title: "Acme comms", Now: func() time.Time { return now }, Quiet: &fakeQuiet{}})
	ctx, base := browse(t, liveServer(srv, hub))

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/incidents/manual:7/warroom"), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	if title := eval[string](t, ctx, `document.title`); title != "War room · Login outage <b>bold</b> · Acme comms" {
		t.Errorf("title %q", title)
	}
	text := eval[string](t, ctx, `document.body.innerText`)
	for _, want := range []string{`<script>alert("post")</script> nothing works`, "Write an update", "Is login back yet?", "1 of 4 done",
		"Hold promotional posts", "Found it <img src=x onerror=alert(9)>"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page as seen lacks %q", want)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('svg.chart').length`); n != 2 {
		t.Errorf("%d charts drawn, want 2", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('main img, main script').length`); n != 0 {
		t.Errorf("%d images or scripts inside the page's content: hostile text became markup", n)
	}
	if w := eval[float64](t, ctx, `document.querySelector('svg.chart').getBoundingClientRect().width`); w < 600 {
		t.Errorf("the timeline is %.0f px wide", w)
	}

	// The script connects; then events arrive.
	poll(t, ctx, "the live stream", `document.getElementById('live-status').textContent === 'live'`)
	eval[bool](t, ctx, `window.sameLoad = true`)
	upd := warIncident
	upd, err := upd.Apply(earshot.IncidentUpdate{At: now, Status: earshot.Monitoring, Body: `Fix deployed <img src=x onerror="window.pwned=1">`})
	if err != nil {
		t.Fatal(err)
	}
	hub.Publish(earshot.Event{Type: earshot.EventIncident, IncidentID: upd.ID, Data: upd})
	hub.Publish(earshot.Event{Type: earshot.EventPosts, Data: []earshot.PostCount{{Watch: "acme", Minute: now, Posts: 7, Negative: 5}}})
	hub.Publish(earshot.Event{Type: earshot.EventFollowUp, IncidentID: upd.ID, Data: map[string]any{"id": "fu0", "state": "resolved", "incident_id": upd.ID}})
	hub.Publish(earshot.Event{Type: earshot.EventAlert, IncidentID: upd.ID, Data: earshot.Alert{Kind: earshot.AlertSpike, Summary: `<b>acme</b> negative share up`}})
	// Another incident's change is not this room's.
	hub.Publish(earshot.Event{Type: earshot.EventIncident, IncidentID: "other", Data: earshot.Incident{ID: "other", Title: "Unrelated", Status: earshot.Resolved}})

	poll(t, ctx, "the new status", `document.querySelector('[data-live-field="status"]').textContent === 'monitoring'`)
	poll(t, ctx, "the follow-up moved", `document.querySelector('[data-live-field="fu-done"]').textContent === '2'`)
	poll(t, ctx, "the posts counted", `document.querySelector('[data-live-count="posts"]').textContent === '7'`)
	poll(t, ctx, "the alert in the feed", `document.getElementById('live-feed').innerText.includes('<b>acme</b> negative share up')`)
	if !eval[bool](t, ctx, `window.sameLoad === true`) {
		t.Error("the page reloaded")
	}
	if got := eval[string](t, ctx, `document.querySelector('#updates li .text').textContent`); got != `Fix deployed <img src=x onerror="window.pwned=1">` {
		t.Errorf("newest update shown: %q", got)
	}
	if got := eval[string](t, ctx, `document.getElementById('last-update').getAttribute('datetime')`); got != "2026-03-13T17:00:00Z" {
		t.Errorf("last public update %q, want the new update's time", got)
	}
	if eval[bool](t, ctx, `window.pwned === 1 || document.querySelectorAll('main img, #live-feed b').length > 0`) {
		t.Error("text from an event became markup")
	}
	if strings.Contains(eval[string](t, ctx, `document.getElementById('live-feed').innerText`), "Unrelated") {
		t.Error("another incident's change shows in this war room")
	}
	if got := eval[string](t, ctx, `document.querySelector('[data-fu-state="open"]').textContent + '/' + document.querySelector('[data-fu-state="resolved"]').textContent`); got != "1/2" {
		t.Errorf("open/resolved after the move: %s, want 1/2", got)
	}
}

// TestTimelineLiveInChromium: the timeline counts new posts and lists a
// spike as they arrive, without a reload.
func TestTimelineLiveInChromium(t *testing.T) {
	f := scenario().store(t)
	hub := live.NewHub(live.Options{})
	t.Cleanup(hub.Close)
	srv, _ := newServer(t, f)
	ctx, base := browse(t, liveServer(srv, hub))
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the live stream", `document.getElementById('live-status').textContent === 'live'`)
	eval[bool](t, ctx, `window.sameLoad = true`)
	hub.Publish(earshot.Event{Type: earshot.EventPosts, Data: []earshot.PostCount{{Watch: "acme", Minute: now, Posts: 3, Negative: 1}, {Watch: "", Minute: now, Posts: 2}}})
	hub.Publish(earshot.Event{Type: earshot.EventSpike, Data: earshot.Spike{ID: "s", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "<i>acme</i>"},
		Metric: earshot.MetricNegativeShare, Observed: 0.62, Expected: 0.1}})
	poll(t, ctx, "the posts counted", `document.querySelector('[data-live-count="posts"]').textContent === '5'`)
	poll(t, ctx, "the spike listed", `document.getElementById('live-feed').innerText.includes('negative share on <i>acme</i>: 62% negative against 10% expected')`)
	if got := eval[string](t, ctx, `document.querySelector('[data-live-count="negative"]').textContent`); got != "1" {
		t.Errorf("negative count %q, want 1", got)
	}
	if !eval[bool](t, ctx, `window.sameLoad === true`) {
		t.Error("the page reloaded")
	}
	if eval[int](t, ctx, `document.querySelectorAll('#live-feed i').length`) != 0 {
		t.Error("a watch name from an event became markup")
	}
}

// TestLiveRefusedInChromium: when the stream refuses the page (too many
// live pages), the page says it is not live rather than pretending.
func TestLiveRefusedInChromium(t *testing.T) {
	st := warStore(t)
	hub := live.NewHub(live.Options{MaxClients: 1})
	t.Cleanup(hub.Close)
	sub, _, _, err := hub.Subscribe(0, false) // the one place taken
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()
	ctx, base := browse(t, liveServer(New(st, Options{Now: func() time.Time { return now }}), hub))
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/incidents/manual:7/warroom"), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the refusal shown", `document.getElementById('live-status').textContent.startsWith('not live')`)
}
