package alerts

import (
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

// LastPublicUpdate is when the public last heard about inc: its latest
// update or published publication, or its start when there is none.
func LastPublicUpdate(inc earshot.Incident, pubs []earshot.Publication) time.Time {
	last := inc.StartedAt
	for _, u := range inc.Updates {
		if u.At.After(last) {
			last = u.At
		}
	}
	for _, p := range pubs {
		if p.IncidentID == inc.ID && p.State == "published" && p.PublishedAt.After(last) {
			last = p.PublishedAt
		}
	}
	return last.UTC()
}

// GoingDark returns the going-dark alert of inc at now, given its
// publications, and whether it fires: the incident is open and nothing was
// published about it for after or longer. Its ID is stable for one silence
// (the incident and the last update before it), so raising it again
// replaces it; watch is the watch it is routed as when the incident names
// none ("" for all posts).
func GoingDark(inc earshot.Incident, pubs []earshot.Publication, now time.Time, after time.Duration, watch string) (earshot.Alert, bool) {
	now = now.UTC()
	last := LastPublicUpdate(inc, pubs)
	a := earshot.Alert{
		ID:         fmt.Sprintf("going_dark:%s:%d", inc.ID, last.Unix()),
		Kind:       earshot.AlertGoingDark,
		Watch:      watch,
		Severity:   "warning",
		IncidentID: inc.ID,
		Confidence: 1,
		Labels:     map[string]string{},
		StartsAt:   last.Add(after),
		At:         now,
	}
	if len(inc.Watches) > 0 {
		a.Watch = inc.Watches[0]
	}
	if a.Watch != "" {
		a.Labels["watch"] = a.Watch
	}
	if inc.Severity == "critical" || inc.Severity == "major" {
		a.Severity = "critical"
	}
	title := inc.Title
	if title == "" {
		title = inc.ID
	}
	what := "no public update since"
	if last.Equal(inc.StartedAt.UTC()) {
		what = "no public update since it began at"
	}
	a.Summary = fmt.Sprintf("%q is open with %s %s UTC (over %s): customers are telling the story for you. Post an update.",
		title, what, last.Format("15:04"), minutes(after))
	a.Why.Link = fmt.Sprintf("incident %s, status %s", inc.ID, inc.Status)
	return a, inc.ActiveAt(now) && !now.Before(last.Add(after))
}

func minutes(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%d min", d/time.Minute)
}
