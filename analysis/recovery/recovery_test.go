package recovery

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

var (
	start    = time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC) // a Monday
	resolved = start.Add(4 * time.Hour)
)

// scenario is a week of calm (10% negative), an incident from 10:00 to
// 14:00 (75% negative), a drop at 15:00, a relapse at 16:00 and calm from
// 17:00 on; eight follow-ups opened at 11:00, four of them resolved at
// 19:00.
func scenario() ([]earshot.Bucket, []earshot.FollowUp) {
	var hours []earshot.Bucket
	for t := start.Add(-7 * 24 * time.Hour); t.Before(start.Add(3 * 24 * time.Hour)); t = t.Add(time.Hour) {
		b := earshot.Bucket{Start: t, Count: 20, Scored: 20, Negative: 2}
		switch {
		case !t.Before(start) && t.Before(resolved):
			b.Count, b.Scored, b.Negative = 40, 40, 30
		case t.Equal(resolved):
			b.Negative = 8
		case t.Equal(start.Add(6 * time.Hour)):
			b.Negative = 6
		}
		hours = append(hours, b)
	}
	var fus []earshot.FollowUp
	for i := range 8 {
		f := earshot.FollowUp{ID: string(rune('a' + i)), IncidentID: "inc", State: earshot.FollowUpOpen,
			CreatedAt: start.Add(time.Hour), UpdatedAt: start.Add(time.Hour)}
		if i < 4 {
			f.State, f.UpdatedAt = earshot.FollowUpResolved, start.Add(9*time.Hour)
		}
		fus = append(fus, f)
	}
	// Another incident's follow-ups do not count.
	for i := range 10 {
		fus = append(fus, earshot.FollowUp{ID: "other" + string(rune('a'+i)), IncidentID: "other", State: earshot.FollowUpOpen, CreatedAt: start})
	}
	return hours, fus
}

func TestRecommend(t *testing.T) {
	inc := earshot.Incident{ID: "inc", Title: "Login outage", Status: earshot.Resolved, StartedAt: start, ResolvedAt: resolved}
	hours, fus := scenario()
	cases := []struct {
		name       string
		now        time.Time
		open       bool
		quiet      bool
		action     string
		until      time.Time
		recovered  time.Time
		openFUs    int
		evidence   string
		currentPct float64
	}{
		{name: "during the incident", now: start.Add(3*time.Hour + 30*time.Minute), open: true, quiet: true,
			action: "the incident is still open", openFUs: 8, evidence: "peaked at 75%"},
		{name: "relapse after it", now: start.Add(6*time.Hour + 30*time.Minute), quiet: true,
			action: "negative share is still above 15%", openFUs: 8, currentPct: 0.30},
		{name: "calm, follow-ups piling", now: start.Add(8*time.Hour + 30*time.Minute), quiet: true,
			action: "at most 5 of the incident's follow-ups open (8 now)", recovered: start.Add(8 * time.Hour), openFUs: 8, currentPct: 0.10},
		{name: "both met, settling", now: start.Add(10 * time.Hour), quiet: true,
			action: "until Tue 10 Mar 19:00 UTC", until: start.Add(33 * time.Hour), recovered: start.Add(8 * time.Hour), openFUs: 4,
			evidence: "Usual negative share 10% (3360 scored posts in the 7 days before the incident); back to normal means at most 15%."},
		{name: "after the quiet period", now: start.Add(34 * time.Hour), quiet: false,
			action: "may resume", until: start.Add(33 * time.Hour), recovered: start.Add(8 * time.Hour), openFUs: 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := inc
			if c.open {
				in.Status, in.ResolvedAt = earshot.Investigating, time.Time{}
			}
			r := Recommend(in, hours, fus, c.now, Config{})
			if r.Quiet != c.quiet || !strings.Contains(r.Action, c.action) {
				t.Errorf("quiet %v %q; want quiet %v and %q", r.Quiet, r.Action, c.quiet, c.action)
			}
			if !r.Until.Equal(c.until) || !r.RecoveredAt.Equal(c.recovered) || r.OpenFollowUps != c.openFUs {
				t.Errorf("until %v recovered %v open %d; want %v, %v, %d", r.Until, r.RecoveredAt, r.OpenFollowUps, c.until, c.recovered, c.openFUs)
			}
			if !r.BaselineKnown || r.BaselineShare != 0.1 || r.PeakShare != 0.75 || !r.PeakAt.Equal(start) {
				t.Errorf("baseline %v %v, peak %v at %v", r.BaselineKnown, r.BaselineShare, r.PeakShare, r.PeakAt)
			}
			if c.currentPct != 0 && r.CurrentShare != c.currentPct {
				t.Errorf("current share %v, want %v", r.CurrentShare, c.currentPct)
			}
			if ev := strings.Join(r.Evidence, " "); !strings.Contains(ev, c.evidence) || !strings.Contains(ev, "(threshold 5)") {
				t.Errorf("evidence %q lacks %q or the threshold", ev, c.evidence)
			}
		})
	}
}

func TestRecommendWithoutBaseline(t *testing.T) {
	inc := earshot.Incident{ID: "inc", Status: earshot.Resolved, StartedAt: start, ResolvedAt: resolved}
	hours, _ := scenario()
	var after []earshot.Bucket
	for _, h := range hours {
		if !h.Start.Before(start) {
			after = append(after, h)
		}
	}
	r := Recommend(inc, after, nil, start.Add(48*time.Hour), Config{})
	if !r.Quiet || r.BaselineKnown || !strings.Contains(r.Action, "enough data") || !strings.Contains(r.Evidence[0], "Too few posts") {
		t.Errorf("no posts before the incident: %+v", r)
	}
}

func TestQuery(t *testing.T) {
	inc := earshot.Incident{StartedAt: start.Add(25 * time.Minute), Watches: []string{"acme"}}
	q := Query(inc, start.Add(5*time.Hour), Config{Baseline: 24 * time.Hour})
	if !q.From.Equal(start.Add(-24*time.Hour)) || q.Watch != "acme" || q.Bucket != time.Hour || !q.To.Equal(start.Add(5*time.Hour)) {
		t.Errorf("query %+v", q)
	}
	inc.Watches = []string{"acme", "acme-db"}
	if q := Query(inc, start, Config{}); q.Watch != "" {
		t.Errorf("two watches: query filtered on %q, want all posts", q.Watch)
	}
}
