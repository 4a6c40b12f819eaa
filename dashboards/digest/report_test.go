package digest

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// costStore: a week of calm hours (one negative post in ten) before an
// incident at 10:00 on the last day; its hours are 80% negative until
// 12:00, then calm again from 14:00; three follow-ups belong to it.
func costStore(end time.Time) *fixture {
	f := &fixture{}
	incStart := end.Add(-14 * time.Hour)
	for h := end.Add(-14 * 24 * time.Hour); h.Before(end); h = h.Add(time.Hour) {
		neg := 1
		if !h.Before(incStart) && h.Before(incStart.Add(2*time.Hour)) {
			neg = 8
		} else if !h.Before(incStart.Add(2*time.Hour)) && h.Before(incStart.Add(4*time.Hour)) {
			neg = 5
		}
		for i := range 10 {
			score := 0.3
			if i < neg {
				score = -0.6
			}
			f.posts = append(f.posts, post(h.Format("0102T15")+string(rune('a'+i)), "twitter", h.Add(time.Duration(i)*time.Minute), score, "", "acme", ""))
		}
	}
	f.incidents = []earshot.Incident{{ID: "inc-1", Title: "Login outage", Severity: "major", Status: earshot.Resolved,
		StartedAt: incStart, ResolvedAt: incStart.Add(3 * time.Hour)}}
	f.followUps = []earshot.FollowUp{
		{ID: "f1", IncidentID: "inc-1", State: earshot.FollowUpOpen, Priority: 2, Source: "twitter", CreatedAt: incStart.Add(time.Hour),
			Author: earshot.Author{Handle: "@small", Followers: 10}, Reason: "angry"},
		{ID: "f2", IncidentID: "inc-1", State: earshot.FollowUpOpen, Priority: 1, Source: "bluesky", CreatedAt: incStart.Add(time.Hour),
			Author: earshot.Author{Handle: "@big", Followers: 50_000}, Reason: "a strongly negative post", Due: incStart.Add(2 * time.Hour)},
		{ID: "f3", IncidentID: "inc-1", State: earshot.FollowUpResolved, CreatedAt: incStart.Add(time.Hour)},
		{ID: "f4", State: earshot.FollowUpOpen, Priority: 1, CreatedAt: incStart}, // no one to call
	}
	return f
}

func TestIncidentCostAndRecommendations(t *testing.T) {
	end := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	d := build(t, costStore(end), Options{End: end, Period: 7 * 24 * time.Hour})
	if len(d.Incidents) != 1 {
		t.Fatalf("incidents: %+v", d.Incidents)
	}
	c := d.Incidents[0].Cost
	start := end.Add(-14 * time.Hour)
	if !c.Known || c.PeakNegativeShare != 0.8 || !c.PeakAt.Equal(start) || c.Baseline != 0.1 {
		t.Errorf("peak: %+v, want 80%% at the incident's start against 10%%", c)
	}
	// 50% from 12:00 is still above 10% + 5 points; 14:00's hour is calm.
	if !c.Recovered || !c.RecoveredAt.Equal(start.Add(5*time.Hour)) || c.TimeToRecover != 5*time.Hour {
		t.Errorf("recovery: %+v, want recovered at the end of the 14:00 hour, 5h after the start", c)
	}
	if c.FollowUps != 3 || c.OpenFollowUps != 2 {
		t.Errorf("follow-ups %d (%d open), want 3 (2 open)", c.FollowUps, c.OpenFollowUps)
	}
	var kinds []string
	for _, r := range d.Recommendations {
		kinds = append(kinds, r.Kind)
	}
	if got := strings.Join(kinds, ","); got != "quiet_period,follow_ups,call_customer,call_customer" {
		t.Fatalf("recommendations %s:\n%+v", got, d.Recommendations)
	}
	quiet := d.Recommendations[0]
	if !strings.Contains(quiet.Action, "until Mon 9 Mar 15:00") {
		t.Errorf("quiet period: %q, want until 24h after recovery (Mon 9 Mar 15:00)", quiet.Action)
	}
	if !strings.Contains(quiet.Evidence, "peaked at 80%") || !strings.Contains(quiet.Evidence, "recovered 5h") {
		t.Errorf("quiet period evidence: %q", quiet.Evidence)
	}
	if !strings.Contains(d.Recommendations[1].Evidence, "3 open at the end of the period, 1 past due") {
		t.Errorf("follow-ups evidence: %q", d.Recommendations[1].Evidence)
	}
	// Most urgent first; the follow-up without an author is not a call.
	if !strings.Contains(d.Recommendations[2].Action, "@big on bluesky") || !strings.Contains(d.Recommendations[2].Evidence, "50,000 followers") ||
		!strings.Contains(d.Recommendations[3].Action, "@small") {
		t.Errorf("calls: %+v", d.Recommendations[2:])
	}
}

func TestChartsDraw(t *testing.T) {
	end := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	d := build(t, costStore(end), Options{End: end, Period: 7 * 24 * time.Hour})
	charts, err := Charts(d)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 2 || charts[0].Name != "volume.png" || charts[1].Name != "negative-share.png" {
		t.Fatalf("charts: %v", charts)
	}
	if !strings.Contains(charts[1].Alt, "peaking at 19%") || !strings.Contains(charts[0].Alt, "1,680 in all") {
		t.Errorf("alt texts: %q / %q", charts[0].Alt, charts[1].Alt)
	}
	empty, err := Charts(Digest{From: end.Add(-24 * time.Hour), To: end})
	if err != nil || len(empty) != 1 {
		t.Errorf("a period with no scored posts: %d charts (%v), want the volume chart only", len(empty), err)
	}
}

func TestRenderer(t *testing.T) {
	if Renderer("pdf") != nil || Renderer("") != nil {
		t.Error("a renderer for a format that is not html or md")
	}
	d := Digest{Watch: "acme"}
	var md strings.Builder
	if err := Renderer("md")(&md, d); err != nil || !strings.HasPrefix(md.String(), "# Reputation digest: acme") {
		t.Errorf("md: %q, %v", md.String(), err)
	}
}
