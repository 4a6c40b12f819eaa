package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// queueStore is the in-memory store, recording the states FollowUps is
// asked for and listing follow-ups by ID (not the queue's order, which the
// server makes itself); err, when set, fails FollowUps and MoveFollowUp.
type queueStore struct {
	*memstore.Store
	err    error
	states [][]earshot.FollowUpState // what FollowUps was asked
}

func (q *queueStore) FollowUps(ctx context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error) {
	q.states = append(q.states, states)
	if q.err != nil {
		return nil, q.err
	}
	out, err := q.Store.FollowUps(ctx, states...)
	slices.SortFunc(out, func(a, b earshot.FollowUp) int { return strings.Compare(a.ID, b.ID) }) // not the queue's order
	return out, err
}

func (q *queueStore) MoveFollowUp(ctx context.Context, id string, t earshot.Transition) (earshot.FollowUp, error) {
	if q.err != nil {
		return earshot.FollowUp{}, q.err
	}
	return q.Store.MoveFollowUp(ctx, id, t)
}

// followUp is the stored follow-up with id, zero when none.
func (q *queueStore) followUp(id string) earshot.FollowUp {
	f, _ := q.Store.FollowUp(context.Background(), id)
	return f
}

// must panics on an error of the in-memory store, which has none.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

func queue() *queueStore {
	q := &queueStore{Store: memstore.New()}
	ctx := context.Background()
	must(q.SaveIncident(ctx, outage))
	add := func(f earshot.FollowUp, posts ...earshot.Post) {
		for _, p := range posts {
			f.PostIDs = append(f.PostIDs, p.ID)
		}
		must(q.SavePosts(ctx, posts))
		must(q.SaveFollowUp(ctx, f))
	}
	maya := earshot.Author{ID: "1", Handle: "maya", Name: "Maya Kim", Followers: 48_000}
	add(earshot.FollowUp{
		ID: "fu-p2late", Source: "twitter", Author: maya, Priority: 2, State: earshot.FollowUpOpen,
		Reason:     "3 negative posts in 2 days during incident 'Elevated API error rates and login failures'; 48k followers",
		IncidentID: outage.ID, Due: now.Add(-90 * time.Minute), CreatedAt: now.Add(-26 * time.Hour),
	},
		earshot.Post{ID: "twitter:10", Source: "twitter", Kind: earshot.KindPost, URL: "https://twitter.example/maya/status/10", Author: maya,
			Text: "still can't log in to Acme, day two", CreatedAt: now.Add(-3 * time.Hour), Sentiment: earshot.Sentiment{Score: -0.7, Label: earshot.Negative}},
		earshot.Post{ID: "twitter:9", Source: "twitter", Kind: earshot.KindPost, Author: maya,
			Text: "Acme down again", CreatedAt: now.Add(-27 * time.Hour), Sentiment: earshot.Sentiment{Score: -0.5, Label: earshot.Negative}},
	)
	add(earshot.FollowUp{
		ID: "fu-p1", Source: "mastodon", Author: earshot.Author{ID: "2", Handle: "ops@social.example", Name: "Ops Person", Followers: 90},
		Customer: earshot.Customer{ID: "c-9", Name: "Initech <Ops>", Tier: "enterprise"}, Priority: 1, State: earshot.FollowUpAssigned, Assignee: "sam", Reason: "a strongly negative post (-0.95)",
		Due: now.Add(3 * time.Hour), CreatedAt: now.Add(-time.Hour),
		Notes: []earshot.Note{{At: now.Add(-30 * time.Minute), Author: "lee", Text: "state → assigned: DM sent"}},
	},
		earshot.Post{ID: "mastodon:5", Source: "mastodon", Kind: earshot.KindPost, Author: earshot.Author{ID: "2"},
			Text: "Acme lost our data", CreatedAt: now.Add(-time.Hour), Sentiment: earshot.Sentiment{Score: -0.95, Label: earshot.Negative}},
	)
	add(earshot.FollowUp{
		ID: "fu-p2soon", Source: "reddit", Author: earshot.Author{ID: "t2_x", Name: "redditor"}, Priority: 2, State: earshot.FollowUpContacted,
		Reason: "3 negative posts in 5 hours", Due: now.Add(-10 * time.Minute), CreatedAt: now.Add(-5 * time.Hour),
	})
	add(earshot.FollowUp{
		ID: "fu-done", Source: "bluesky", Author: earshot.Author{ID: "did:plc:z", Handle: "z.bsky.example"}, Priority: 1, State: earshot.FollowUpResolved,
		Reason: "resolved one", Due: now.Add(-48 * time.Hour), CreatedAt: now.Add(-72 * time.Hour),
	})
	return q
}

func newSupport(t *testing.T, q *queueStore, tokens ...string) (*Server, *strings.Builder) {
	t.Helper()
	var logs strings.Builder
	return New(q, Options{Title: "Acme support", Now: func() time.Time { return now }, WriteTokens: tokens, Log: slog.New(slog.NewTextHandler(&logs, nil))}), &logs
}

func TestSupportPage(t *testing.T) {
	q := queue()
	srv, _ := newSupport(t, q)
	res, body := get(t, srv, "/support")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	for _, want := range []string{
		"<title>Acme support · support queue</title>",
		`<a href="/support" class="current" aria-current="page">Support queue</a>`,
		`<a href="/">Timeline</a>`,
		"Maya Kim", "@maya", "48k followers", "twitter",
		"3 negative posts in 2 days during incident &#39;Elevated API error rates and login failures&#39;; 48k followers",
		`During incident <a href="/incidents/` + outage.ID + `">Elevated API error rates and login failures</a> · <a href="https://status.acme.example/incidents/abc"`,
		`<a class="answer" href="https://twitter.example/maya/status/10" rel="noopener noreferrer nofollow ugc" target="_blank">Answer on twitter</a>`,
		"still can&#39;t log in to Acme, day two", "Acme down again", `href="https://twitter.example/maya/status/10"`,
		`class="status st-assigned">assigned</span> <span class="dim">→ sam</span>`,
		"<strong>lee</strong>: state → assigned: DM sent",
		"1h 30m overdue", "due in 3h 00m", "<code>fu-p1</code>",
		`<span class="customer">customer: Initech &lt;Ops&gt; (enterprise)</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Priority first, then due: P1, then the P2 overdue longest, then the
	// other P2; the resolved one is not in the active queue.
	var order []int
	for _, id := range []string{"fu-p1", "fu-p2late", "fu-p2soon"} {
		order = append(order, strings.Index(body, "<code>"+id+"</code>"))
	}
	if !slices.IsSorted(order) || order[0] < 0 {
		t.Errorf("queue order: positions %v", order)
	}
	if strings.Contains(body, "fu-done") {
		t.Error("the active queue lists a resolved follow-up")
	}
	if n := strings.Count(body, `class="fu overdue"`); n != 2 {
		t.Errorf("%d follow-ups highlighted overdue, want 2", n)
	}
	// Nobody signed in: the page reads (its filters are a GET form).
	if strings.Contains(body, `method="post"`) || strings.Contains(body, "<script") {
		t.Error("the page has a POST form or a script without a user who may act")
	}
	// The newest post comes first.
	if strings.Index(body, "day two") > strings.Index(body, "Acme down again") {
		t.Error("posts not newest first")
	}
	if !slices.Equal(q.states[0], activeStates) {
		t.Errorf("asked for states %v", q.states[0])
	}
}

func TestSupportPageFilters(t *testing.T) {
	for _, tc := range []struct {
		query       string
		want, avoid []string
	}{
		{"?state=resolved", []string{"fu-done"}, []string{"fu-p1", "fu-p2late"}},
		{"?state=assigned", []string{"fu-p1"}, []string{"fu-done", "fu-p2late", "fu-p2soon"}},
		{"?state=all", []string{"fu-done", "fu-p1", "fu-p2late", "fu-p2soon"}, nil},
		{"?state=dismissed", []string{"Nobody to follow up in state dismissed."}, []string{"fu-"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			srv, _ := newSupport(t, queue())
			res, body := get(t, srv, "/support"+tc.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, a := range tc.avoid {
				if strings.Contains(body, "<code>"+a) || strings.Contains(body, a+"</code>") {
					t.Errorf("shows %q", a)
				}
			}
		})
	}
	srv, _ := newSupport(t, queue())
	if res, body := get(t, srv, "/support?state=<script>"); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "state:") || strings.Contains(body, "<script>") {
		t.Errorf("bad state: %d %q", res.StatusCode, body)
	}
	srv, logs := newSupport(t, &queueStore{err: errors.New("duckdb: secret-dsn unreachable")})
	if res, body := get(t, srv, "/support"); res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "secret-dsn") || !strings.Contains(logs.String(), "secret-dsn") {
		t.Errorf("store failure: %d %q", res.StatusCode, body)
	}
}

func TestSupportPageEscapesHostileText(t *testing.T) {
	q := queue()
	evil := earshot.Author{ID: `"><svg onload=alert(1)>`, Handle: `"><img src=x onerror=alert(2)>`, Name: `<script>alert("name")</script>`, Followers: 3}
	must(q.SaveIncident(t.Context(), earshot.Incident{ID: "x:1", Title: `<script>alert("incident")</script>`, URL: "javascript:alert(7)"}))
	must(q.SavePosts(t.Context(), []earshot.Post{{ID: "twitter:66", Source: "twitter", Kind: "post", URL: " JaVaScRiPt:alert(5)", Author: evil,
		Text: `<script>alert(1)</script> "><img src=x onerror=alert(1)> is down`, CreatedAt: now.Add(-time.Hour),
		Watches: []string{"<i>acme</i>"}, Sentiment: earshot.Sentiment{Score: -0.9, Label: earshot.Negative}}}))
	must(q.SaveFollowUp(t.Context(), earshot.FollowUp{
		ID: `fu-"evil"`, Source: "twitter<b>", Author: evil, PostIDs: []string{"twitter:66", "twitter:gone"}, Priority: 1, State: earshot.FollowUpAssigned,
		Assignee: `<img src=x onerror=alert(9)>`, IncidentID: "x:1", Reason: `a strongly negative post during incident '<script>alert("r")</script>'`,
		Notes:     []earshot.Note{{At: now, Author: `<b>mallory</b>`, Text: `<iframe src=x onload=alert(10)>`}},
		CreatedAt: now, Due: now.Add(time.Hour),
	}))
	srv, _ := newSupport(t, q)
	res, body := get(t, srv, "/support")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, bad := range []string{"<script", "<img", "<svg", "<iframe", "<b>", "<i>", "javascript:", "JaVaScRiPt"} {
		if i := strings.Index(body, bad); i >= 0 {
			t.Errorf("page contains %q unescaped: …%s…", bad, body[max(0, i-80):min(len(body), i+80)])
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt; is down",
		"&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;",
		"@&#34;&gt;&lt;img src=x onerror=alert(2)&gt;",
		`During incident <a href="/incidents/x:1">&lt;script&gt;alert(&#34;incident&#34;)&lt;/script&gt;</a>`,
		"→ &lt;img src=x onerror=alert(9)&gt;",
		"<strong>&lt;b&gt;mallory&lt;/b&gt;</strong>: &lt;iframe src=x onload=alert(10)&gt;",
		"1 earlier or erased post(s) not shown.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks the escaped %q", want)
		}
	}
	if strings.Count(body, `class="open"`) != 1 {
		t.Error("a post without an http(s) URL got a link")
	}
}

func TestTimelineLinksToSupport(t *testing.T) {
	srv, _ := newServer(t, scenario().store(t))
	if _, body := get(t, srv, "/"); !strings.Contains(body, `<a href="/support">Support queue</a>`) {
		t.Error("the timeline has no link to the support queue")
	}
}

func TestAPIFollowUps(t *testing.T) {
	for _, tc := range []struct {
		query  string
		states []earshot.FollowUpState
		ids    []string
	}{
		{"", activeStates, []string{"fu-p1", "fu-p2late", "fu-p2soon"}},
		{"?state=open,contacted", []earshot.FollowUpState{earshot.FollowUpOpen, earshot.FollowUpContacted}, []string{"fu-p2late", "fu-p2soon"}},
		{"?state=resolved&state=assigned", []earshot.FollowUpState{earshot.FollowUpAssigned, earshot.FollowUpResolved}, []string{"fu-done", "fu-p1"}},
		{"?state=all", allStates, []string{"fu-done", "fu-p1", "fu-p2late", "fu-p2soon"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q := queue()
			srv, _ := newSupport(t, q)
			res, body := get(t, srv, "/api/followups"+tc.query)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("status %d %s", res.StatusCode, body)
			}
			var got struct {
				States    []earshot.FollowUpState `json:"states"`
				FollowUps []earshot.FollowUp      `json:"followups"`
			}
			decodeInto(t, body, &got)
			var ids []string
			for _, f := range got.FollowUps {
				ids = append(ids, f.ID)
			}
			if !slices.Equal(ids, tc.ids) || !slices.Equal(got.States, tc.states) || !slices.Equal(q.states[0], tc.states) {
				t.Errorf("ids %v states %v (asked %v); want %v %v", ids, got.States, q.states[0], tc.ids, tc.states)
			}
		})
	}
	srv, _ := newSupport(t, queue())
	if res, body := get(t, srv, "/api/followups?state=closed"); res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(decode(t, body)["error"].(string), "state: ") {
		t.Errorf("bad state: %d %s", res.StatusCode, body)
	}
	if _, body := get(t, New(&queueStore{Store: memstore.New()}, Options{}), "/api/followups"); !strings.Contains(body, `"followups":[]`) {
		t.Errorf("empty queue: %s", body)
	}
}

func post(t *testing.T, h http.Handler, target, auth, body string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, target, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestAPIMoveAuth(t *testing.T) {
	const body = `{"to":"contacted"}`
	for _, tc := range []struct {
		name   string
		tokens []string
		auth   string
		code   int
	}{
		{"no header", []string{"s3cret"}, "", http.StatusUnauthorized},
		{"wrong token", []string{"s3cret"}, "Bearer s3cre", http.StatusUnauthorized},
		{"longer token", []string{"s3cret"}, "Bearer s3cret-and-more", http.StatusUnauthorized},
		{"empty bearer", []string{"s3cret"}, "Bearer ", http.StatusUnauthorized},
		{"basic auth", []string{"s3cret"}, "Basic czNjcmV0Og==", http.StatusUnauthorized},
		{"lower-case scheme", []string{"s3cret"}, "bearer s3cret", http.StatusUnauthorized},
		{"no tokens configured", nil, "Bearer ", http.StatusUnauthorized},
		{"only empty tokens configured", []string{"", " "}, "Bearer  ", http.StatusUnauthorized},
		{"right token", []string{"s3cret"}, "Bearer s3cret", http.StatusOK},
		{"second token", []string{"other", "s3cret"}, "Bearer s3cret", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := queue()
			srv, _ := newSupport(t, q, tc.tokens...)
			res, out := post(t, srv, "/api/followups/fu-p2late/move", tc.auth, body)
			if res.StatusCode != tc.code {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.code, out)
			}
			if tc.code == http.StatusUnauthorized {
				if res.Header.Get("WWW-Authenticate") == "" || decode(t, out)["error"] == nil {
					t.Errorf("401 without a challenge or an error: %v %s", res.Header, out)
				}
				if q.followUp("fu-p2late").State != earshot.FollowUpOpen {
					t.Error("an unauthorized move changed the follow-up")
				}
			}
		})
	}
}

func TestAPIMove(t *testing.T) {
	const tok = "Bearer s3cret"
	q := queue()
	srv, logs := newSupport(t, q, "s3cret")
	res, body := post(t, srv, "/api/followups/fu-p2late/move", tok, `{"to":"assigned","assignee":" sam ","note":"DM sent","actor":"lee"}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var got earshot.FollowUp
	decodeInto(t, body, &got)
	stored := q.followUp("fu-p2late")
	if got.State != earshot.FollowUpAssigned || got.Assignee != "sam" || stored.State != earshot.FollowUpAssigned || !stored.UpdatedAt.Equal(now) {
		t.Errorf("moved: %+v; stored %+v", got, stored)
	}
	// The actor the client sent is ignored: a write token acts as "token".
	if n := stored.Notes; len(n) != 1 || n[0].Author != "token" || n[0].Text != "state → assigned: DM sent" || !n[0].At.Equal(now) {
		t.Errorf("notes %+v", n)
	}
	if !strings.Contains(logs.String(), "follow-up moved") || strings.Contains(logs.String(), "s3cret") {
		t.Errorf("log %q", logs.String())
	}
	if res, body := post(t, srv, "/api/followups/fu-p2late/move", tok, `{"to":"contacted","channel":"dm"}`); res.StatusCode != http.StatusOK {
		t.Fatalf("contacted: %d %s", res.StatusCode, body)
	}
	if n := q.followUp("fu-p2late").Notes; n[len(n)-1].Author != "token" || n[len(n)-1].Text != "state → contacted by dm" {
		t.Errorf("notes %+v", n)
	}

	for _, tc := range []struct {
		name, id, body string
		code           int
		msg            string
	}{
		{"final state", "fu-done", `{"to":"assigned","assignee":"sam"}`, http.StatusConflict, "follow-up fu-done is resolved; it cannot move any more"},
		{"backwards", "fu-p2late", `{"to":"open"}`, http.StatusConflict, "follow-up fu-p2late is contacted; it cannot move to open (it can move to assigned, resolved, dismissed)"},
		{"same state", "fu-p1", `{"to":"assigned","assignee":"sam"}`, http.StatusConflict, "follow-up fu-p1 is assigned already"},
		{"assign with nobody", "fu-p2soon", `{"to":"assigned"}`, http.StatusConflict, "follow-up fu-p2soon has no assignee; assigning it needs one"},
		{"unknown follow-up", "fu-nope", `{"to":"dismissed"}`, http.StatusNotFound, "no follow-up fu-nope"},
		{"unknown state", "fu-p1", `{"to":"closed"}`, http.StatusBadRequest, "to: must be"},
		{"no state", "fu-p1", `{"assignee":"x"}`, http.StatusBadRequest, "to: required"},
		{"unknown field", "fu-p1", `{"to":"contacted","priority":1}`, http.StatusBadRequest, "unknown field"},
		{"not JSON", "fu-p1", `to=contacted`, http.StatusBadRequest, "not a JSON object"},
		{"long note", "fu-p1", `{"to":"contacted","note":"` + strings.Repeat("x", maxNoteBytes+1) + `"}`, http.StatusBadRequest, "note: longer than"},
		{"huge body", "fu-p1", `{"to":"contacted","note":"` + strings.Repeat("x", maxMoveBytes) + `"}`, http.StatusRequestEntityTooLarge, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := q.followUp(tc.id)
			res, body := post(t, srv, "/api/followups/"+tc.id+"/move", tok, tc.body)
			if res.StatusCode != tc.code {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.code, body)
			}
			if msg, _ := decode(t, body)["error"].(string); !strings.Contains(msg, tc.msg) {
				t.Errorf("error %q, want %q", msg, tc.msg)
			}
			if after := q.followUp(tc.id); after.State != before.State || len(after.Notes) != len(before.Notes) {
				t.Errorf("a refused move changed the follow-up: %+v", after)
			}
		})
	}

	q.err = errors.New("clickhouse: password=hunter2 refused")
	if res, body := post(t, srv, "/api/followups/fu-p1/move", tok, `{"to":"contacted"}`); res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "hunter2") {
		t.Errorf("store failure: %d %s", res.StatusCode, body)
	}
	if res, _ := get(t, srv, "/api/followups/fu-p1/move"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET on move: %d", res.StatusCode)
	}
}

func decodeInto(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
}
