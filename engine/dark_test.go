package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/store/memstore"
)

// TestGoingDark: an open incident nothing is published about for 30
// minutes raises a going_dark alert, routed and delivered like others; an
// update (on the incident, or a publication) ends it, a new silence raises
// another, and resolving the incident ends that.
func TestGoingDark(t *testing.T) {
	ctx := t.Context()
	st := memstore.New()
	e, err := New(Config{Store: st, Watches: []earshot.Watch{{Name: "acme"}}, GoingDark: 30 * time.Minute, Publications: st})
	if err != nil {
		t.Fatal(err)
	}
	at := func(hm string) time.Time {
		ts, err := time.Parse("2006-01-02 15:04", "2026-12-07 "+hm)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	inc := earshot.Incident{ID: "manual:1", Title: "Login failures", Source: "manual", Status: earshot.Investigating,
		Watches: []string{"acme"}, StartedAt: at("10:00"), UpdatedAt: at("10:00"),
		Updates: []earshot.IncidentUpdate{{At: at("10:00"), Status: earshot.Investigating, Body: "Looking into it"}}}
	if err := st.SaveIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	step := func(hm string) []earshot.Notification {
		t.Helper()
		notes, err := e.Step(ctx, at(hm))
		if err != nil {
			t.Fatalf("step at %s: %v", hm, err)
		}
		return notes
	}
	darkAlerts := func() []earshot.Alert {
		t.Helper()
		all, err := st.Alerts(ctx, at("00:00"), at("23:59"))
		if err != nil {
			t.Fatal(err)
		}
		var out []earshot.Alert
		for _, a := range all {
			if a.Kind == earshot.AlertGoingDark {
				out = append(out, a)
			}
		}
		return out
	}

	step("10:20")
	if n := len(darkAlerts()); n != 0 {
		t.Fatalf("20 minutes after the last update: %d going-dark alerts, want none", n)
	}
	step("10:31")
	got := darkAlerts()
	if len(got) != 1 {
		t.Fatalf("31 minutes after the last update: %d going-dark alerts, want 1", len(got))
	}
	a := got[0]
	if a.IncidentID != "manual:1" || a.Watch != "acme" || !a.StartsAt.Equal(at("10:30")) || !a.EndsAt.IsZero() ||
		!strings.Contains(a.Summary, "Login failures") || !strings.Contains(a.Summary, "10:00 UTC") {
		t.Errorf("alert %+v", a)
	}
	notes := step("10:32")
	var delivered bool
	for _, n := range notes {
		for _, x := range n.Alerts {
			if x.ID == a.ID && !notify.Resolved(x, n.At) {
				delivered = true
			}
		}
	}
	if !delivered {
		t.Fatalf("no notification carried the going-dark alert after group_wait: %+v", notes)
	}
	if title := notify.KindTitle(a.Kind); title != "Going dark" {
		t.Errorf("kind title %q", title)
	}

	// An update breaks the silence: the alert ends at it.
	inc, _ = inc.Apply(earshot.IncidentUpdate{At: at("10:40"), Body: "Identified a bad deploy", Status: earshot.Identified})
	if err := st.SaveIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	step("10:41")
	got = darkAlerts()
	if len(got) != 1 || !got[0].EndsAt.Equal(at("10:40")) {
		t.Fatalf("after an update: %+v, want the alert ended at 10:40", got)
	}
	// A publication counts as an update; a failed one does not.
	for _, p := range []earshot.Publication{
		{ID: "p1", IncidentID: "manual:1", Channel: "statuspage", State: "published", PublishedAt: at("11:05")},
		{ID: "p2", IncidentID: "manual:1", Channel: "x", State: "failed", CreatedAt: at("11:30")},
	} {
		if err := st.SavePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	step("11:20")
	if n := len(darkAlerts()); n != 1 {
		t.Fatalf("40 minutes after the update but 15 after a publication: %d alerts, want still 1", n)
	}
	step("11:36")
	got = darkAlerts()
	if len(got) != 2 || got[1].ID == got[0].ID || !got[1].StartsAt.Equal(at("11:35")) || !got[1].EndsAt.IsZero() {
		t.Fatalf("31 minutes after the publication: %+v, want a second alert from 11:35", got)
	}
	// Resolving the incident ends it.
	inc, _ = inc.Apply(earshot.IncidentUpdate{At: at("11:50"), Status: earshot.Resolved, Body: "Fixed"})
	if err := st.SaveIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	step("11:51")
	got = darkAlerts()
	if len(got) != 2 || !got[1].EndsAt.Equal(at("11:50")) {
		t.Fatalf("after resolving: %+v, want the second alert ended at 11:50", got)
	}
	step("13:00")
	if n := len(darkAlerts()); n != 2 {
		t.Errorf("a resolved incident went dark again: %d alerts", n)
	}
}

func TestGoingDarkOff(t *testing.T) {
	st := memstore.New()
	e, err := New(Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	if err := st.SaveIncident(t.Context(), earshot.Incident{ID: "i", Status: earshot.Investigating, StartedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Step(t.Context(), t0.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	all, _ := st.Alerts(t.Context(), t0, t0.Add(6*time.Hour))
	if len(all) != 0 {
		t.Errorf("going dark is off by default, yet: %+v", all)
	}
}
