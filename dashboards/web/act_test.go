package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
)

var (
	sue = earshot.User{Name: "sue", Role: earshot.RoleSupport}
	cam = earshot.User{Name: "cam", Role: earshot.RoleComms}
	ada = earshot.User{Name: "ada", Role: earshot.RoleAdmin}
	eve = earshot.User{Name: "eve", Role: earshot.RoleExec}
)

// signedIn stands for the sign-in middleware: every request is u's.
func signedIn(u earshot.User, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(auth.WithUser(r.Context(), u)))
	})
}

// browser is a client with cookies that follows redirects, against a
// server where every request is u's.
type browser struct {
	t   *testing.T
	url string
	c   *http.Client
}

func newBrowser(t *testing.T, srv *Server, u earshot.User) *browser {
	t.Helper()
	ts := httptest.NewServer(signedIn(u, srv))
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, url: ts.URL, c: &http.Client{Jar: jar}}
}

func (b *browser) do(req *http.Request) (int, string) {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequestWithContext(b.t.Context(), http.MethodGet, b.url+path, nil)
	return b.do(req)
}

// submit posts a form as the page's buttons do, and follows the redirect.
func (b *browser) submit(path string, form url.Values) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequestWithContext(b.t.Context(), http.MethodPost, b.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func flashOf(body string) string {
	i := strings.Index(body, `<p class="flash`)
	if i < 0 {
		return ""
	}
	s := body[i:]
	s = s[strings.Index(s, ">")+1:]
	return s[:strings.Index(s, "</p>")]
}

func TestSupportActsEndToEnd(t *testing.T) {
	q := queue()
	srv, _ := newSupport(t, q)
	b := newBrowser(t, srv, sue)
	back := url.Values{"source": {"twitter"}, "state": {"all"}}.Encode()
	act := func(action string, extra url.Values, ids ...string) string {
		t.Helper()
		form := url.Values{"action": {action}, "id": ids, "back": {back}}
		for k, v := range extra {
			form[k] = v
		}
		code, body := b.submit("/support/act", form)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", action, code, body)
		}
		// Back on the page, filters kept: only the twitter follow-up shows.
		if !strings.Contains(body, "<code>fu-p2late</code>") || strings.Contains(body, "<code>fu-p1</code>") {
			t.Fatalf("%s: not back on the filtered page", action)
		}
		return flashOf(body)
	}
	steps := []struct {
		action string
		extra  url.Values
		flash  string
		state  earshot.FollowUpState
		note   string
	}{
		{"assign-me", nil, "Assigned 1 follow-up to you.", earshot.FollowUpAssigned, "state → assigned"},
		{"note", url.Values{"note": {"  asked for the account ID  "}}, "Added a note to 1 follow-up.", earshot.FollowUpAssigned, "asked for the account ID"},
		{"contacted", url.Values{"channel": {"dm"}, "note": {"sent a DM"}}, "Marked 1 follow-up contacted.", earshot.FollowUpContacted, "state → contacted by dm: sent a DM"},
		{"resolve", url.Values{"note": {"refund issued"}}, "Resolved 1 follow-up.", earshot.FollowUpResolved, "state → resolved: refund issued"},
	}
	for i, st := range steps {
		if got := act(st.action, st.extra, "fu-p2late"); got != st.flash {
			t.Errorf("%s: flash %q, want %q", st.action, got, st.flash)
		}
		f := q.followUp("fu-p2late")
		last := f.Notes[len(f.Notes)-1]
		if f.State != st.state || f.Assignee != "sue" || len(f.Notes) != i+1 || last.Author != "sue" || last.Text != st.note || !last.At.Equal(now) {
			t.Errorf("%s: stored %s, %q, notes %+v", st.action, f.State, f.Assignee, f.Notes)
		}
	}
	// The flash shows once.
	if _, body := b.get("/support"); flashOf(body) != "" {
		t.Errorf("flash shown twice: %q", flashOf(body))
	}
	// Resolved: a plain error, nothing changed.
	if got := act("dismiss", url.Values{"reason": {"spam"}}, "fu-p2late"); got != "Not done: follow-up fu-p2late is resolved; it cannot move any more." {
		t.Errorf("acting on a resolved one: flash %q", got)
	}
	if n := len(q.followUp("fu-p2late").Notes); n != 4 {
		t.Errorf("a refused action added a note: %d notes", n)
	}
}

func TestSupportActBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		form  url.Values
		flash string
	}{
		{"dismiss without a reason", url.Values{"action": {"dismiss"}, "id": {"fu-p1"}, "reason": {"  "}}, "Dismissing needs a reason"},
		{"contacted without a channel", url.Values{"action": {"contacted"}, "id": {"fu-p1"}}, "Say how the customer was contacted: reply, dm, email, phone, chat, other."},
		{"contacted by pigeon", url.Values{"action": {"contacted"}, "id": {"fu-p1"}, "channel": {"pigeon"}}, "Say how the customer was contacted"},
		{"assign to nobody", url.Values{"action": {"assign"}, "id": {"fu-p1"}}, "Assigning needs a name"},
		{"empty note", url.Values{"action": {"note"}, "id": {"fu-p1"}}, "Type a note first."},
		{"nothing selected", url.Values{"action": {"resolve"}}, "Select at least one follow-up first."},
		{"unknown action", url.Values{"action": {"delete"}, "id": {"fu-p1"}}, "Unknown action"},
		{"long note", url.Values{"action": {"note"}, "id": {"fu-p1"}, "note": {strings.Repeat("x", maxNoteBytes+1)}}, "The note is longer than"},
		{"unknown follow-up", url.Values{"action": {"resolve"}, "id": {"fu-nope"}}, "Not done: no follow-up fu-nope."},
		{"same assignee", url.Values{"action": {"assign"}, "id": {"fu-p1"}, "assignee": {"sam"}}, "Not done: follow-up fu-p1 is assigned already."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := queue()
			srv, _ := newSupport(t, q)
			b := newBrowser(t, srv, sue)
			before := q.followUp("fu-p1")
			code, body := b.submit("/support/act", tc.form)
			if code != http.StatusOK || !strings.Contains(flashOf(body), tc.flash) || !strings.Contains(body, `class="flash flash-error" role="alert"`) {
				t.Errorf("status %d, flash %q; want an error saying %q", code, flashOf(body), tc.flash)
			}
			if after := q.followUp("fu-p1"); after.State != before.State || len(after.Notes) != len(before.Notes) || after.Assignee != before.Assignee {
				t.Errorf("refused input changed the follow-up: %+v", after)
			}
		})
	}
}

func TestSupportActRoles(t *testing.T) {
	form := url.Values{"action": {"assign-me"}, "id": {"fu-p2late"}}
	for _, tc := range []struct {
		name string
		h    func(*Server) http.Handler
		code int
		msg  string
	}{
		{"exec reads only", func(s *Server) http.Handler { return signedIn(eve, s) }, http.StatusForbidden, "only support or an admin can act"},
		{"comms reads only", func(s *Server) http.Handler { return signedIn(cam, s) }, http.StatusForbidden, "signed in as cam (comms)"},
		{"nobody", func(s *Server) http.Handler { return s }, http.StatusUnauthorized, "Sign in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := queue()
			srv, _ := newSupport(t, q)
			rec := httptest.NewRecorder()
			req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/support/act", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			tc.h(srv).ServeHTTP(rec, req)
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.msg) {
				t.Errorf("status %d %q, want %d saying %q", rec.Code, rec.Body.String(), tc.code, tc.msg)
			}
			if f := q.followUp("fu-p2late"); f.State != earshot.FollowUpOpen {
				t.Errorf("a refused user moved the follow-up: %+v", f)
			}
		})
	}
	// An exec sees the queue without the forms.
	srv, _ := newSupport(t, queue())
	_, body := newBrowser(t, srv, eve).get("/support")
	if strings.Contains(body, `method="post"`) || !strings.Contains(body, "You read the queue as exec") || !strings.Contains(body, "signed in as <strong>eve</strong> (exec)") {
		t.Error("the exec's page offers actions, or does not say why not")
	}
	// Support sees them on every active row, and the bulk form.
	_, body = newBrowser(t, srv, sue).get("/support")
	if n := strings.Count(body, `action="/support/act"`); n != 4 {
		t.Errorf("%d action forms for 3 rows, want 3 and the bulk one", n)
	}
}

func TestSupportActBulk(t *testing.T) {
	q := queue()
	srv, _ := newSupport(t, q)
	b := newBrowser(t, srv, ada)
	code, body := b.submit("/support/act", url.Values{"action": {"dismiss"}, "reason": {"duplicates of a known case"},
		"id": {"fu-p1", "fu-p2soon", "fu-done", "fu-p1"}})
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if got, want := flashOf(body), "Dismissed 2 follow-ups. Not done: follow-up fu-done is resolved; it cannot move any more."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	for _, id := range []string{"fu-p1", "fu-p2soon"} {
		f := q.followUp(id)
		last := f.Notes[len(f.Notes)-1]
		if f.State != earshot.FollowUpDismissed || last.Author != "ada" || last.Text != "state → dismissed (reason: duplicates of a known case)" {
			t.Errorf("%s: %s, %+v", id, f.State, last)
		}
	}
	if f := q.followUp("fu-p2late"); f.State != earshot.FollowUpOpen {
		t.Errorf("an unselected follow-up moved: %s", f.State)
	}
	_, body = b.submit("/support/act", url.Values{"action": {"assign"}, "assignee": {" kim "}, "id": {"fu-p2late"}})
	if got := flashOf(body); got != "Assigned 1 follow-up to kim." {
		t.Errorf("assigning to someone: flash %q", got)
	}
	if f := q.followUp("fu-p2late"); f.Assignee != "kim" || f.Notes[len(f.Notes)-1].Author != "ada" {
		t.Errorf("assigned to %q, trail %+v", f.Assignee, f.Notes)
	}
}

func TestSupportFilters(t *testing.T) {
	q := queue()
	ctx := t.Context()
	must(q.SavePosts(ctx, []earshot.Post{{ID: "mastodon:5", Source: "mastodon", Kind: earshot.KindPost, Author: earshot.Author{ID: "2"},
		Text: "Acme lost our data", CreatedAt: now.Add(-time.Hour), Watches: []string{"acme pay"}, Sentiment: earshot.Sentiment{Score: -0.95, Label: earshot.Negative}}}))
	srv := New(q, Options{Now: func() time.Time { return now }, Watches: []string{"acme", "acme pay"}, Log: slog.New(slog.DiscardHandler)})
	b := newBrowser(t, srv, earshot.User{Name: "sam", Role: earshot.RoleSupport})
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"fu-p1", "fu-p2late", "fu-p2soon"}},
		{"?source=reddit", []string{"fu-p2soon"}},
		{"?priority=1", []string{"fu-p1"}},
		{"?priority=1&state=all", []string{"fu-done", "fu-p1"}},
		{"?incident=" + url.QueryEscape(outage.ID), []string{"fu-p2late"}},
		{"?incident=none", []string{"fu-p1", "fu-p2soon"}},
		{"?assignee=me", []string{"fu-p1"}}, // sam's
		{"?assignee=none", []string{"fu-p2late", "fu-p2soon"}},
		{"?overdue=1", []string{"fu-p2late", "fu-p2soon"}},
		{"?overdue=1&source=twitter", []string{"fu-p2late"}},
		{"?watch=acme+pay", []string{"fu-p1"}},
		{"?watch=acme", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			code, body := b.get("/support" + tc.query)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			var got []string
			for _, id := range []string{"fu-done", "fu-p1", "fu-p2late", "fu-p2soon"} {
				if strings.Contains(body, "<code>"+id+"</code>") {
					got = append(got, id)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("shows %v, want %v", got, tc.want)
			}
			if tc.query != "" && !strings.Contains(body, "clear filters") && !strings.HasPrefix(tc.query, "?state") {
				t.Error("no way to clear the filters")
			}
		})
	}
	// The filters stay in the state links and in the forms' way back.
	_, body := b.get("/support?source=reddit&overdue=1")
	for _, want := range []string{
		`href="/support?overdue=1&amp;source=reddit&amp;state=all"`,
		`name="back" value="overdue=1&amp;source=reddit"`,
		`<option value="reddit" selected>reddit</option>`,
		`name="overdue" value="1" checked`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"?priority=9", "?overdue=maybe", "?state=closed", "?source=" + strings.Repeat("x", maxIDBytes+1)} {
		if code, body := b.get("/support" + bad); code != http.StatusBadRequest {
			t.Errorf("%s: status %d %q, want 400", bad, code, body)
		}
	}
}

func TestAPIMoveUsesSignedInUser(t *testing.T) {
	q := queue()
	srv, _ := newSupport(t, q) // no write token: the user is the credential
	b := newBrowser(t, srv, sue)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, b.url+"/api/followups/fu-p2late/move",
		strings.NewReader(`{"to":"dismissed","reason":"bot","actor":"mallory"}`))
	if code, body := b.do(req); code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	n := q.followUp("fu-p2late").Notes
	if len(n) != 1 || n[0].Author != "sue" || n[0].Text != "state → dismissed (reason: bot)" {
		t.Errorf("notes %+v: the trail must name the signed-in user, not the actor sent", n)
	}
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, newBrowser(t, srv, eve).url+"/api/followups/fu-p1/move", strings.NewReader(`{"to":"contacted"}`))
	if code, body := b.do(req); code != http.StatusForbidden || !strings.Contains(body, "eve (role exec) may read the queue") {
		t.Errorf("exec moving: %d %s", code, body)
	}
}
