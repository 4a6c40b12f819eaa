package incidentapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
)

// closingServer serves the API over a store with one resolved incident,
// a follow-up of it in state, and a week of calm before it (10% negative)
// and, since, share negative.
func closingServer(t *testing.T, state earshot.FollowUpState, since float64, u *earshot.User) (*httptest.Server, *memStore) {
	t.Helper()
	st := newMemStore()
	ctx := t.Context()
	inc := earshot.Incident{ID: "manual:1", Source: "manual", Title: "Checkout failing", Status: earshot.Resolved,
		Watches: []string{"acme"}, StartedAt: now.Add(-5 * time.Hour), ResolvedAt: now.Add(-3 * time.Hour), UpdatedAt: now.Add(-3 * time.Hour)}
	if err := st.SaveIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveFollowUp(ctx, earshot.FollowUp{ID: "f1", Source: "twitter", Author: earshot.Author{ID: "9"}, IncidentID: inc.ID, State: state, Priority: 1, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	var posts []earshot.Post
	add := func(at time.Time, n int, negShare float64) {
		for i := range n {
			s := earshot.Sentiment{Score: 0.2, Label: earshot.Positive}
			if float64(i) < negShare*float64(n) {
				s = earshot.Sentiment{Score: -0.7, Label: earshot.Negative}
			}
			posts = append(posts, earshot.Post{ID: "twitter:" + at.Format("150405") + "-" + string(rune('a'+i)), Source: "twitter", Kind: earshot.KindPost,
				Text: "x", CreatedAt: at.Add(time.Duration(i) * time.Second), Watches: []string{"acme"}, Sentiment: s})
		}
	}
	add(inc.StartedAt.Add(-24*time.Hour), 20, 0.1)
	add(now.Add(-time.Hour), 10, since)
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	h, err := New(st, Options{Tokens: []string{"s3cret"}, Closing: st, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler = h
	if u != nil {
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(auth.WithUser(r.Context(), *u)))
		})
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv, st
}

func TestCloseAPI(t *testing.T) {
	comms := earshot.User{Name: "cam", Role: earshot.RoleComms}
	support := earshot.User{Name: "sue", Role: earshot.RoleSupport}
	for _, tc := range []struct {
		name  string
		state earshot.FollowUpState
		since float64
		user  *earshot.User
		token string
		body  string
		code  int
		says  string
		by    string // who closed it, "" when it stays open
	}{
		{"comms closes a clear incident", earshot.FollowUpResolved, 0.1, &comms, "", "", 200, "", "cam"},
		{"a token acts as an admin", earshot.FollowUpDismissed, 0, nil, "s3cret", "", 200, "", "token"},
		{"a customer waits", earshot.FollowUpContacted, 0, &comms, "", "", 409, "1 follow-up(s) still waiting (0 open, 0 assigned, 1 contacted)", ""},
		{"sentiment above baseline", earshot.FollowUpResolved, 0.5, &comms, "", "{}", 409, "negative share is 50.0% (5 of 10 scored posts since", ""},
		{"comms cannot override", earshot.FollowUpOpen, 0, &comms, "", `{"override":"go"}`, 403, "only an admin can override", ""},
		{"the admin token overrides", earshot.FollowUpOpen, 0.5, nil, "s3cret", `{"override":"customer called back"}`, 200, "", "token"},
		{"support may not close", earshot.FollowUpResolved, 0, &support, "", "", 403, "sue (role support) may not close incidents", ""},
		{"nobody", earshot.FollowUpResolved, 0, nil, "", "", 401, "needs a signed-in user or a bearer token", ""},
		{"wrong token", earshot.FollowUpResolved, 0, nil, "nope", "", 401, "", ""},
		{"unknown field", earshot.FollowUpResolved, 0, &comms, "", `{"reason":"x"}`, 400, "reason: unknown field", ""},
		{"long override", earshot.FollowUpOpen, 0, nil, "s3cret", `{"override":"` + strings.Repeat("x", MaxOverrideBytes+1) + `"}`, 400, "override: must be text of at most", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, st := closingServer(t, tc.state, tc.since, tc.user)
			code, v := call(t, "POST", srv.URL+"/api/v1/incidents/manual:1/close", tc.token, tc.body)
			if code != tc.code {
				t.Fatalf("status %d, want %d: %v", code, tc.code, v)
			}
			if msg, _ := v["error"].(string); !strings.Contains(msg, tc.says) {
				t.Errorf("error %q, want it to say %q", msg, tc.says)
			}
			inc := st.stored(t)["manual:1"]
			switch {
			case tc.by == "" && inc.Closure != nil:
				t.Errorf("closed despite %d: %+v", code, inc.Closure)
			case tc.by != "" && (inc.Closure == nil || inc.Closure.By != tc.by || !inc.Closure.At.Equal(now)):
				t.Errorf("closure %+v, want by %s at %v", inc.Closure, tc.by, now)
			case tc.by != "":
				got, _ := v["incident"].(map[string]any)["closure"].(map[string]any)
				if got["by"] != tc.by {
					t.Errorf("answer's closure %v", got)
				}
			}
			if code == 409 {
				if r, _ := v["refusals"].([]any); len(r) != 1 {
					t.Errorf("refusals %v, want one", v["refusals"])
				}
			}
		})
	}

	srv, st := closingServer(t, earshot.FollowUpOpen, 0.5, nil)
	code, v := call(t, "GET", srv.URL+"/api/v1/incidents/manual:1/closure", "", "")
	if code != 200 {
		t.Fatalf("closure check: %d %v", code, v)
	}
	check := v["check"].(map[string]any)
	if f := check["followups"].(map[string]any); f["open"] != 1.0 {
		t.Errorf("follow-up counts %v", f)
	}
	if r := check["recovery"].(map[string]any); r["since_negative"] != 5.0 || r["since_scored"] != 10.0 || r["baseline_negative"] != 2.0 || r["baseline_scored"] != 20.0 {
		t.Errorf("recovery %v", r)
	}
	if r, _ := v["refusals"].([]any); len(r) != 2 {
		t.Errorf("refusals %v, want two", v["refusals"])
	}
	code, v = call(t, "POST", srv.URL+"/api/v1/incidents/manual:1/close", "s3cret", `{"override":"all called"}`)
	if code != 200 {
		t.Fatalf("override: %d %v", code, v)
	}
	c := st.stored(t)["manual:1"].Closure
	if c == nil || c.Override != "all called" || len(c.Overridden) != 2 {
		t.Fatalf("closure %+v", c)
	}
	if code, v := call(t, "POST", srv.URL+"/api/v1/incidents/manual:1/close", "s3cret", ""); code != 409 || !strings.Contains(v["error"].(string), "was closed already, by token") {
		t.Errorf("closing twice: %d %v", code, v)
	}
	if code, _ := call(t, "POST", srv.URL+"/api/v1/incidents/manual:9/close", "s3cret", ""); code != 404 {
		t.Errorf("unknown incident: %d", code)
	}
	// The incident's JSON carries its closure.
	code, v = call(t, "GET", srv.URL+"/api/v1/incidents/manual:1", "", "")
	if code != 200 || v["closure"].(map[string]any)["override"] != "all called" {
		t.Errorf("the incident's JSON lacks its closure: %v", v)
	}
}
