package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// ownScript is the one script the live pages load.
const ownScript = `<script src="/static/live.js" defer></script>`

// warIncident is open since 90 minutes before now, last updated 45
// minutes before now: going dark at 30 minutes.
var warIncident = earshot.Incident{
	ID: "manual:7", Source: "manual", Title: `Login outage <b>bold</b>`, Status: earshot.Identified, Severity: "major",
	Services: []string{"login"}, Watches: []string{"acme"}, StartedAt: now.Add(-90 * time.Minute), UpdatedAt: now.Add(-45 * time.Minute),
	Updates: []earshot.IncidentUpdate{
		{At: now.Add(-90 * time.Minute), Status: earshot.Investigating, Body: "Investigating login failures."},
		{At: now.Add(-45 * time.Minute), Status: earshot.Identified, Body: `Found it <img src=x onerror=alert(9)>`},
	},
}

type fakeQuiet struct{ inc, calls int }

func (q *fakeQuiet) QuietPeriod(_ context.Context, inc earshot.Incident, at time.Time) (earshot.QuietPeriod, error) {
	q.calls++
	return earshot.QuietPeriod{IncidentID: inc.ID, Quiet: true, Action: "Hold promotional posts: the incident is still open.",
		Evidence: []string{"Usual negative share 10% (400 scored posts in the 7 days before the incident)."}}, nil
}

// warStore holds a week of calm posts about acme, then the incident's
// storm: complaints with reasons, questions, a hostile post, follow-ups
// in every state, and a spike linked to the incident.
func warStore(t *testing.T) *memstore.Store {
	t.Helper()
	st := memstore.New()
	ctx := t.Context()
	var posts []earshot.Post
	neg := func(score float64, r earshot.Reason) earshot.Sentiment {
		return earshot.Sentiment{Score: score, Label: earshot.Negative, Reason: r}
	}
	for h := 7 * 24; h > 2; h-- {
		at := now.Add(-time.Duration(h) * time.Hour)
		for i := range 10 {
			p := earshot.Post{ID: fmt.Sprintf("calm:%d:%d", h, i), Source: "twitter", Text: "all good", CreatedAt: at.Add(time.Duration(i) * time.Minute),
				Watches: []string{"acme"}, Sentiment: earshot.Sentiment{Score: 0.3, Label: earshot.Positive}}
			if i == 0 {
				p.Sentiment = neg(-0.4, earshot.ReasonOther)
			}
			posts = append(posts, p)
		}
	}
	storm := []struct {
		text   string
		reason earshot.Reason
		score  float64
	}{
		{"Can't log in to Acme at all. When will login be back?", earshot.ReasonLogin, -0.8},
		{"login broken again!! when will login be back?", earshot.ReasonLogin, -0.7},
		{"Is login back yet? Still failing here.", earshot.ReasonLogin, -0.6},
		{"Acme is down for the whole team", earshot.ReasonOutage, -0.9},
		{"Will I be refunded for this downtime?", earshot.ReasonBilling, -0.5},
		{`<script>alert("post")</script> nothing works`, earshot.ReasonOutage, -0.95},
	}
	for i := range 60 {
		s := storm[i%len(storm)]
		posts = append(posts, earshot.Post{ID: fmt.Sprintf("storm:%d", i), Source: "twitter", Text: s.text,
			Author:    earshot.Author{ID: fmt.Sprint(i), Handle: fmt.Sprintf("user%d", i), Name: fmt.Sprintf("User %d", i)},
			CreatedAt: warIncident.StartedAt.Add(time.Duration(i) * time.Minute), Watches: []string{"acme"}, Sentiment: neg(s.score, s.reason)})
	}
	must(st.SavePosts(ctx, posts))
	must(st.SaveIncident(ctx, warIncident))
	must(st.SaveSpike(ctx, earshot.Spike{ID: "sp1", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricNegativeShare,
		Start: warIncident.StartedAt, Peak: warIncident.StartedAt.Add(20 * time.Minute), Bucket: time.Minute, Observed: 0.9, Expected: 0.1, Score: 0.97, IncidentID: warIncident.ID}))
	must(st.SaveSpike(ctx, earshot.Spike{ID: "sp-other", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricVolume,
		Start: warIncident.StartedAt, Peak: warIncident.StartedAt, Bucket: time.Minute, Observed: 50, Expected: 5, Score: 0.9}))
	for i, state := range []earshot.FollowUpState{earshot.FollowUpOpen, earshot.FollowUpOpen, earshot.FollowUpAssigned, earshot.FollowUpResolved} {
		must(st.SaveFollowUp(ctx, earshot.FollowUp{ID: fmt.Sprintf("fu%d", i), Source: "twitter", State: state, Assignee: "sam",
			IncidentID: warIncident.ID, Priority: 1, CreatedAt: warIncident.StartedAt, UpdatedAt: warIncident.StartedAt}))
	}
	must(st.SaveFollowUp(ctx, earshot.FollowUp{ID: "fu-other", Source: "twitter", State: earshot.FollowUpOpen, CreatedAt: now}))
	return st
}

func TestWarRoom(t *testing.T) {
	st := warStore(t)
	quiet := &fakeQuiet{}
	for _, p := range []earshot.Publication{
		{ID: "p1", IncidentID: warIncident.ID, Channel: "mastodon", State: "published", By: "alex", Text: "We are on it <i>now</i>",
			URL: "https://social.example/@acme/1", CreatedAt: now.Add(-70 * time.Minute), PublishedAt: now.Add(-70 * time.Minute)},
		{ID: "p2", IncidentID: warIncident.ID, Channel: "x", State: "failed", By: "alex", Text: "retry me", Error: "rate limited",
			URL: "javascript:alert(1)", CreatedAt: now.Add(-10 * time.Minute)},
	} {
		if err := st.SavePublication(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	srv := New(st, Options{Title: "Acme comms", Now: func() time.Time { return now }, Publications: st, Quiet: quiet})
	res, body := get(t, srv, "/incidents/manual:7/warroom")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	for _, want := range []string{
		`href="/incidents/manual:7/publish"`, ">Write an update<", `href="/incidents/manual:7"`,
		"Login outage &lt;b&gt;bold&lt;/b&gt;",
		// 45 minutes since the last update, over the 30 of going dark.
		`datetime="2026-03-13T16:15:00Z">45 min ago`, "Going dark", `class="card wr-since dark"`,
		// The updates, newest first: the failed publication, the update, the published one.
		"x, failed: rate limited", "Found it &lt;img src=x onerror=alert(9)&gt;", "mastodon, published", "by alex",
		`href="https://social.example/@acme/1"`,
		// Complaints by reason, most common first, with samples.
		"login <span class=\"dim\">· 30 negative posts (50%)", "availability <span class=\"dim\">· 20 negative posts (33%)",
		"&lt;script&gt;alert(&#34;post&#34;)&lt;/script&gt; nothing works",
		// Questions grouped: the three wordings about login being back are
		// one (each as common: the first in order names it).
		`<span class="count">30×</span> <span class="text-inline">Is login back yet?</span>`,
		`<span class="count">10×</span> <span class="text-inline">Will I be refunded for this downtime?</span>`,
		// Follow-ups: 1 of 4 done, counts by state, and each one's state for the script.
		`<span data-live-field="fu-done">1</span> of <span data-live-field="fu-total">4</span>`,
		`data-fu-state="open">2<`, `data-fu-state="assigned">1<`, `data-fu-state="resolved">1<`,
		`data-states="{&#34;fu0&#34;:&#34;open&#34;,&#34;fu1&#34;:&#34;open&#34;,&#34;fu2&#34;:&#34;assigned&#34;,&#34;fu3&#34;:&#34;resolved&#34;}"`,
		// Recovery: 100% negative since, against 10% before.
		"<strong class=\"neg\">100%</strong> of 60 scored posts, against <strong>10%</strong>",
		"Hold promotional posts: the incident is still open.", "Usual negative share 10%",
		// Only the spike linked to it.
		"negative share", ">90%<",
		// The timeline's charts, named for screen readers.
		` around the incident, negative posts highlighted"`, ` around the incident"`, `class="bar-neg"`, `<path class="line" d="M`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("war room lacks %q", want)
		}
	}
	if strings.Contains(body, "fu-other") || strings.Contains(body, ">50<") {
		t.Error("the war room shows another incident's follow-up or an unlinked spike")
	}
	if i := strings.Index(body, "x, failed"); i < 0 || i > strings.Index(body, "Found it") || strings.Index(body, "Found it") > strings.Index(body, "mastodon, published") {
		t.Error("updates not newest first")
	}
	rest := strings.Replace(body, ownScript, "", 1)
	for _, bad := range []string{"<script", "<img", "<b>", "<i>", "javascript:"} {
		if i := strings.Index(rest, bad); i >= 0 {
			t.Errorf("war room contains %q unescaped: …%s…", bad, rest[max(0, i-80):min(len(rest), i+80)])
		}
	}
	if quiet.calls != 1 {
		t.Errorf("quiet period computed %d times", quiet.calls)
	}

	if res, _ := get(t, srv, "/incidents/nope/warroom"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown incident: %d, want 404", res.StatusCode)
	}
}

func TestWarRoomQuietIncident(t *testing.T) {
	st := memstore.New()
	inc := earshot.Incident{ID: "i1", Title: "Slow dashboards", Status: earshot.Investigating, StartedAt: now.Add(-10 * time.Minute)}
	must(st.SaveIncident(t.Context(), inc))
	srv := New(st, Options{Now: func() time.Time { return now }})
	res, body := get(t, srv, "/incidents/i1/warroom")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	for _, want := range []string{"none yet", "Nothing published since it began 10 min ago", "Nothing published yet.",
		"No posts around this incident.", "No follow-up is linked", "No questions in the posts", "No negative posts since it began"} {
		if !strings.Contains(body, want) {
			t.Errorf("war room of a quiet incident lacks %q", want)
		}
	}
	if strings.Contains(body, "wr-since dark") {
		t.Error("10 minutes in, the war room says going dark")
	}
}

type eventRecorder struct{ events []earshot.Event }

func (r *eventRecorder) Publish(e earshot.Event) { r.events = append(r.events, e) }

func TestMovePublishesEvent(t *testing.T) {
	st := warStore(t)
	rec := &eventRecorder{}
	srv := New(st, Options{Now: func() time.Time { return now }, WriteTokens: []string{"tok"}, Events: rec})
	res, body := post(t, srv, "/api/followups/fu0/move", "Bearer tok", `{"to":"contacted"}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("move: %d %s", res.StatusCode, body)
	}
	if len(rec.events) != 1 || rec.events[0].Type != earshot.EventFollowUp || rec.events[0].IncidentID != warIncident.ID {
		t.Fatalf("events %+v", rec.events)
	}
	res, _ = post(t, srv, "/api/followups/fu3/move", "Bearer tok", `{"to":"contacted"}`)
	if res.StatusCode != http.StatusConflict || len(rec.events) != 1 {
		t.Errorf("a refused move: %d, %d events", res.StatusCode, len(rec.events))
	}
}

func TestQuestions(t *testing.T) {
	got := questions("Down again. When is it back?? Anyone else!\nIs the API down?no idea")
	want := []string{"When is it back??", "Is the API down?"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("questions = %q, want %q", got, want)
	}
	if k1, k2 := questionKey("When will LOGIN be back?"), questionKey("is login back yet??"); k1 != k2 || k1 != "back login" {
		t.Errorf("keys %q and %q, want both \"back login\"", k1, k2)
	}
	if k := questionKey("what?"); k != "" {
		t.Errorf("a question with no content word has key %q", k)
	}
}
