package alerts

import (
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestGoingDarkAlert(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	inc := earshot.Incident{ID: "sp:1", Title: "API errors", Status: earshot.Investigating, Severity: "major", StartedAt: t0}
	cases := []struct {
		name   string
		inc    earshot.Incident
		pubs   []earshot.Publication
		now    time.Time
		firing bool
		last   time.Time
	}{
		{"just under", inc, nil, t0.Add(29 * time.Minute), false, t0},
		{"at the limit", inc, nil, t0.Add(30 * time.Minute), true, t0},
		{"published since", inc, []earshot.Publication{{IncidentID: "sp:1", State: "published", PublishedAt: t0.Add(20 * time.Minute)}},
			t0.Add(40 * time.Minute), false, t0.Add(20 * time.Minute)},
		{"pending and other incidents' do not count", inc, []earshot.Publication{
			{IncidentID: "sp:1", State: "pending", CreatedAt: t0.Add(20 * time.Minute)},
			{IncidentID: "sp:2", State: "published", PublishedAt: t0.Add(20 * time.Minute)}},
			t0.Add(40 * time.Minute), true, t0},
		{"resolved", func() earshot.Incident {
			i := inc
			i.Status, i.ResolvedAt = earshot.Resolved, t0.Add(10*time.Minute)
			return i
		}(), nil,
			t0.Add(2 * time.Hour), false, t0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, firing := GoingDark(c.inc, c.pubs, c.now, 30*time.Minute, "all")
			if firing != c.firing || !LastPublicUpdate(c.inc, c.pubs).Equal(c.last) {
				t.Errorf("firing %v last %v, want %v %v", firing, LastPublicUpdate(c.inc, c.pubs), c.firing, c.last)
			}
			if a.Kind != earshot.AlertGoingDark || a.Severity != "critical" || a.Watch != "all" || Labels(a)["incident"] != "sp:1" {
				t.Errorf("alert %+v", a)
			}
		})
	}
	a1, _ := GoingDark(inc, nil, t0.Add(time.Hour), 30*time.Minute, "")
	a2, _ := GoingDark(inc, nil, t0.Add(2*time.Hour), 30*time.Minute, "")
	if a1.ID != a2.ID || a1.Summary != a2.Summary {
		t.Errorf("one silence gave two alerts or summaries: %q %q / %q %q", a1.ID, a1.Summary, a2.ID, a2.Summary)
	}
}
