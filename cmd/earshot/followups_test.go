package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/demo"
)

// TestDemoFollowUps: the demo's support queue lists the outage's unhappy
// customers, its repeat complainers among them, never the brand itself,
// and the demo token moves a follow-up.
func TestDemoFollowUps(t *testing.T) {
	if testing.Short() {
		t.Skip("demo end to end is not short")
	}
	dsn := "duckdb://" + filepath.Join(t.TempDir(), "demo.duckdb")
	url, log, stop := startCommand(t, []string{"demo", "-addr", "127.0.0.1:0", "-days", "5", "-store", dsn}, `dashboard at (http://\S+/)`)
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	if !strings.Contains(log, "flagged") || !strings.Contains(log, `write token is "`+app.DemoToken+`"`) {
		t.Errorf("the demo does not say what it flagged or its write token:\n%s", log)
	}

	var inc struct {
		Incidents []earshot.Incident `json:"incidents"`
	}
	if err := json.Unmarshal([]byte(get(t, url+"api/incidents")), &inc); err != nil {
		t.Fatal(err)
	}
	var outage string
	for _, i := range inc.Incidents {
		if i.Severity == "major" {
			outage = i.ID
		}
	}
	var q struct {
		FollowUps []earshot.FollowUp `json:"followups"`
	}
	if err := json.Unmarshal([]byte(get(t, url+"api/followups?state=open")), &q); err != nil {
		t.Fatal(err)
	}
	brand := map[string]bool{}
	for _, w := range demo.Watches() {
		for _, h := range w.Handles {
			brand[strings.ToLower(h)] = true
		}
	}
	var during, repeat int
	for _, f := range q.FollowUps {
		if f.State != earshot.FollowUpOpen || f.Author.ID == "" || f.Reason == "" || f.Priority < 1 || f.Priority > 4 || f.Due.IsZero() {
			t.Errorf("follow-up %+v", f)
		}
		if brand[strings.ToLower(f.Author.Handle)] {
			t.Errorf("the brand's own account is flagged: %+v", f)
		}
		if f.IncidentID == outage {
			during++
			if len(f.PostIDs) >= 3 {
				repeat++
			}
		}
	}
	t.Logf("%d open follow-ups, %d from the outage, %d of them repeat complainers", len(q.FollowUps), during, repeat)
	if len(q.FollowUps) < 5 || during < 5 || repeat < 3 {
		t.Errorf("%d open follow-ups, %d from the outage %s, %d repeat complainers among them; want a few of each", len(q.FollowUps), during, outage, repeat)
	}
	if len(q.FollowUps) > 0 && !slices.IsSortedFunc(q.FollowUps, func(a, b earshot.FollowUp) int { return a.Priority - b.Priority }) {
		t.Error("the queue is not by priority")
	}
	if page := get(t, url+"support"); !strings.Contains(page, "Customers to follow up") || !strings.Contains(page, "Elevated API error rates") {
		t.Error("the support page does not list the outage's customers")
	}

	// The demo signs every visitor in as its admin, so a move needs no
	// token; a wrong token is refused, the demo's is taken.
	if len(q.FollowUps) > 1 {
		target := url + "api/followups/" + q.FollowUps[0].ID + "/move"
		other := url + "api/followups/" + q.FollowUps[1].ID + "/move"
		for _, tc := range []struct {
			auth, target string
			code         int
		}{{"Bearer wrong", target, http.StatusUnauthorized}, {"", target, http.StatusOK}, {"Bearer " + app.DemoToken, other, http.StatusOK}} {
			target := tc.target
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, target, strings.NewReader(`{"to":"assigned","assignee":"sam","actor":"test"}`))
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tc.code {
				t.Errorf("move with %q: %d %s", tc.auth, res.StatusCode, b)
			}
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("demo exited %d", code)
	}
	stopped = true

	// No follow-up holds a post by the brand's own accounts.
	st, err := openStore(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.FollowUps(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		for _, id := range f.PostIDs {
			p, err := st.Post(t.Context(), id)
			if err != nil {
				t.Fatalf("post %s of %s: %v", id, f.ID, err)
			}
			if p.FromBrand || p.Author.ID != f.Author.ID || p.Source != f.Source || p.Sentiment.Label != earshot.Negative {
				t.Errorf("follow-up %s holds post %+v", f.ID, p)
			}
		}
	}
}
