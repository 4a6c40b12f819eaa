package storetest

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// floatTolerance absorbs the last-bit differences of summing in another
// order; every float the suite checks is far coarser than this.
const floatTolerance = 1e-9

func sameFloat(a, b float64) bool { return math.Abs(a-b) <= floatTolerance }

// diffs collects field-by-field differences between a wanted and a got
// value, so that a failure names every wrong field at once.
type diffs []string

func (d *diffs) add(field string, got, want any) {
	*d = append(*d, fmt.Sprintf("%s: got %#v, want %#v", field, got, want))
}

func (d *diffs) str(field, got, want string) {
	if got != want {
		d.add(field, got, want)
	}
}

func (d *diffs) int(field string, got, want int64) {
	if got != want {
		d.add(field, got, want)
	}
}

func (d *diffs) float(field string, got, want float64) {
	if !sameFloat(got, want) {
		d.add(field, got, want)
	}
}

func (d *diffs) strings(field string, got, want []string) {
	if !slices.Equal(got, want) { // nil and empty are equal
		d.add(field, got, want)
	}
}

// time checks that got is the instant want, in UTC. A zero want needs a
// zero got.
func (d *diffs) time(field string, got, want time.Time) {
	switch {
	case want.IsZero():
		if !got.IsZero() {
			d.add(field, got.String(), "zero time")
		}
	case !got.Equal(want):
		d.add(field, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
	case got.Location() != time.UTC:
		d.add(field+" location", got.Location().String(), "UTC")
	}
}

func (d diffs) report(t *testing.T, what string) {
	t.Helper()
	if len(d) > 0 {
		t.Errorf("%s differs:\n\t%s", what, strings.Join(d, "\n\t"))
	}
}

func diffAuthor(d *diffs, prefix string, got, want earshot.Author) {
	d.str(prefix+".ID", got.ID, want.ID)
	d.str(prefix+".Handle", got.Handle, want.Handle)
	d.str(prefix+".Name", got.Name, want.Name)
	d.int(prefix+".Followers", got.Followers, want.Followers)
}

func diffPost(got, want earshot.Post) diffs {
	var d diffs
	d.str("ID", got.ID, want.ID)
	d.str("Source", got.Source, want.Source)
	d.str("Kind", string(got.Kind), string(want.Kind))
	d.str("URL", got.URL, want.URL)
	diffAuthor(&d, "Author", got.Author, want.Author)
	d.str("Text", got.Text, want.Text)
	d.str("Lang", got.Lang, want.Lang)
	d.time("CreatedAt", got.CreatedAt, want.CreatedAt)
	d.time("CollectedAt", got.CollectedAt, want.CollectedAt)
	d.strings("Watches", got.Watches, want.Watches)
	d.float("Sentiment.Score", got.Sentiment.Score, want.Sentiment.Score)
	d.str("Sentiment.Label", string(got.Sentiment.Label), string(want.Sentiment.Label))
	d.str("Sentiment.Reason", string(got.Sentiment.Reason), string(want.Sentiment.Reason))
	if len(got.Sentiment.Parts) != len(want.Sentiment.Parts) {
		d.add("Sentiment.Parts", got.Sentiment.Parts, want.Sentiment.Parts)
	} else {
		for k, w := range want.Sentiment.Parts {
			g, ok := got.Sentiment.Parts[k]
			if !ok || !sameFloat(g, w) {
				d.add("Sentiment.Parts", got.Sentiment.Parts, want.Sentiment.Parts)
				break
			}
		}
	}
	d.str("IncidentID", got.IncidentID, want.IncidentID)
	d.str("ParentID", got.ParentID, want.ParentID)
	d.int("Rating", int64(got.Rating), int64(want.Rating))
	d.str("AppVersion", got.AppVersion, want.AppVersion)
	if got.FromBrand != want.FromBrand {
		d.add("FromBrand", got.FromBrand, want.FromBrand)
	}
	return d
}

func checkPost(t *testing.T, got, want earshot.Post) {
	t.Helper()
	diffPost(got, want).report(t, "post "+want.ID)
}

// checkPosts compares the IDs of got with want, in order, then each post.
func checkPosts(t *testing.T, what string, got, want []earshot.Post) {
	t.Helper()
	checkList(t, what, "posts", "post ", got, want, postID, diffPost)
}

func postIDs(ps []earshot.Post) []string { return keysOf(ps, postID) }

func postID(p earshot.Post) string { return p.ID }

func diffIncident(got, want earshot.Incident) diffs {
	var d diffs
	d.str("ID", got.ID, want.ID)
	d.str("Source", got.Source, want.Source)
	d.str("Title", got.Title, want.Title)
	d.str("Status", string(got.Status), string(want.Status))
	d.str("Severity", got.Severity, want.Severity)
	d.strings("Services", got.Services, want.Services)
	d.strings("Watches", got.Watches, want.Watches)
	d.time("StartedAt", got.StartedAt, want.StartedAt)
	d.time("ResolvedAt", got.ResolvedAt, want.ResolvedAt)
	d.str("URL", got.URL, want.URL)
	d.time("UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	if len(got.Updates) != len(want.Updates) {
		d.add("len(Updates)", len(got.Updates), len(want.Updates))
	} else {
		for i, w := range want.Updates {
			g := got.Updates[i]
			p := fmt.Sprintf("Updates[%d]", i)
			d.time(p+".At", g.At, w.At)
			d.str(p+".Status", string(g.Status), string(w.Status))
			d.str(p+".Body", g.Body, w.Body)
		}
	}
	switch g, w := got.Closure, want.Closure; {
	case (g == nil) != (w == nil):
		d.add("Closure", g, w)
	case g != nil:
		d.time("Closure.At", g.At, w.At)
		d.str("Closure.By", g.By, w.By)
		d.str("Closure.Override", g.Override, w.Override)
		d.strings("Closure.Overridden", g.Overridden, w.Overridden)
	}
	return d
}

func checkIncidents(t *testing.T, what string, got, want []earshot.Incident) {
	t.Helper()
	checkList(t, what, "incidents", "incident ", got, want,
		func(in earshot.Incident) string { return in.ID }, diffIncident)
}

func diffFollowUp(got, want earshot.FollowUp) diffs {
	var d diffs
	d.str("ID", got.ID, want.ID)
	d.str("Source", got.Source, want.Source)
	diffAuthor(&d, "Author", got.Author, want.Author)
	d.str("Customer.ID", got.Customer.ID, want.Customer.ID)
	d.str("Customer.Name", got.Customer.Name, want.Customer.Name)
	d.str("Customer.Tier", got.Customer.Tier, want.Customer.Tier)
	d.strings("PostIDs", got.PostIDs, want.PostIDs)
	d.str("Reason", got.Reason, want.Reason)
	d.int("Priority", int64(got.Priority), int64(want.Priority))
	d.str("State", string(got.State), string(want.State))
	d.str("Assignee", got.Assignee, want.Assignee)
	d.str("IncidentID", got.IncidentID, want.IncidentID)
	if len(got.Notes) != len(want.Notes) {
		d.add("Notes", got.Notes, want.Notes)
	} else {
		for i, w := range want.Notes {
			g := got.Notes[i]
			p := fmt.Sprintf("Notes[%d]", i)
			d.time(p+".At", g.At, w.At)
			d.str(p+".Author", g.Author, w.Author)
			d.str(p+".Text", g.Text, w.Text)
		}
	}
	d.time("Due", got.Due, want.Due)
	d.time("CreatedAt", got.CreatedAt, want.CreatedAt)
	d.time("UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	return d
}

func checkFollowUp(t *testing.T, got, want earshot.FollowUp) {
	t.Helper()
	diffFollowUp(got, want).report(t, "follow-up "+want.ID)
}

func diffSpike(got, want earshot.Spike) diffs {
	var d diffs
	d.str("ID", got.ID, want.ID)
	d.str("Scope.Kind", string(got.Scope.Kind), string(want.Scope.Kind))
	d.str("Scope.Value", got.Scope.Value, want.Scope.Value)
	d.str("Metric", string(got.Metric), string(want.Metric))
	d.time("Start", got.Start, want.Start)
	d.time("Peak", got.Peak, want.Peak)
	d.time("End", got.End, want.End)
	d.int("Bucket", int64(got.Bucket), int64(want.Bucket))
	d.float("Observed", got.Observed, want.Observed)
	d.float("Expected", got.Expected, want.Expected)
	d.float("Score", got.Score, want.Score)
	d.str("IncidentID", got.IncidentID, want.IncidentID)
	d.float("LinkConfidence", got.LinkConfidence, want.LinkConfidence)
	return d
}

// checkSpikes compares the IDs of got with want, in order, then each spike.
func checkSpikes(t *testing.T, what string, got, want []earshot.Spike) {
	t.Helper()
	checkList(t, what, "spikes", "spike ", got, want,
		func(sp earshot.Spike) string { return sp.ID }, diffSpike)
}

func checkBuckets(t *testing.T, what string, got, want []earshot.Bucket) {
	t.Helper()
	if !sameBuckets(got, want) {
		t.Errorf("%s:\n\tgot:%s\n\twant:%s", what, showBuckets(got), showBuckets(want))
	}
}

// sameBuckets reports whether got is want, bucket by bucket, starts in
// UTC, means within rounding.
func sameBuckets(got, want []earshot.Bucket) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		g := got[i]
		if !g.Start.Equal(w.Start) || g.Start.Location() != time.UTC || g.Key != w.Key ||
			g.Count != w.Count || g.Scored != w.Scored || g.Negative != w.Negative ||
			g.Positive != w.Positive || !sameFloat(g.MeanSentiment, w.MeanSentiment) {
			return false
		}
	}
	return true
}

// showBuckets is bs for a failure message, one bucket a line.
func showBuckets(bs []earshot.Bucket) string {
	var sb strings.Builder
	for _, b := range bs {
		fmt.Fprintf(&sb, "\n\t\t%s %q count=%d scored=%d neg=%d pos=%d mean=%.4f",
			b.Start.Format(time.RFC3339), b.Key, b.Count, b.Scored, b.Negative, b.Positive, b.MeanSentiment)
	}
	return sb.String()
}

func diffHealth(got, want earshot.SourceHealth) diffs {
	var d diffs
	d.str("Collector", got.Collector, want.Collector)
	d.str("Kind", got.Kind, want.Kind)
	d.time("LastRun", got.LastRun, want.LastRun)
	d.time("LastSuccess", got.LastSuccess, want.LastSuccess)
	d.str("LastError", got.LastError, want.LastError)
	d.time("LastErrorAt", got.LastErrorAt, want.LastErrorAt)
	d.int("Failures", int64(got.Failures), int64(want.Failures))
	d.int("Backoff", int64(got.Backoff), int64(want.Backoff))
	d.int("PostsLastHour", got.PostsLastHour, want.PostsLastHour)
	d.time("UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	return d
}

// checkHealth compares the collectors of got with want, in order, then
// each collector's health.
func checkHealth(t *testing.T, what string, got, want []earshot.SourceHealth) {
	t.Helper()
	checkList(t, what, "collectors", "health of ", got, want,
		func(h earshot.SourceHealth) string { return h.Collector }, diffHealth)
}

func diffGap(got, want earshot.Gap) diffs {
	var d diffs
	d.str("ID", got.ID, want.ID)
	d.str("Collector", got.Collector, want.Collector)
	d.time("From", got.From, want.From)
	d.time("To", got.To, want.To)
	d.str("Reason", got.Reason, want.Reason)
	d.time("FilledAt", got.FilledAt, want.FilledAt)
	return d
}

// checkGaps compares the IDs of got with want, in order, then each gap.
func checkGaps(t *testing.T, what string, got, want []earshot.Gap) {
	t.Helper()
	checkList(t, what, "gaps", "gap ", got, want, func(g earshot.Gap) string { return g.ID }, diffGap)
}

// checkHashes compares got, the answer of PostHashes, with want.
func checkHashes(t *testing.T, what string, got, want map[string]uint64) {
	t.Helper()
	var d []string
	for _, id := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[id]
		switch {
		case !ok:
			d = append(d, fmt.Sprintf("%q: missing, want %#x", id, want[id]))
		case g != want[id]:
			d = append(d, fmt.Sprintf("%q: got %#x, want %#x", id, g, want[id]))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[id]; !ok {
			d = append(d, fmt.Sprintf("%q: got %#x, want no entry", id, got[id]))
		}
	}
	if len(d) > 10 {
		d = append(d[:10], fmt.Sprintf("... and %d more", len(d)-10))
	}
	if len(d) > 0 {
		t.Errorf("%s differs:\n\t%s", what, strings.Join(d, "\n\t"))
	}
}

func diffLabels(d *diffs, field string, got, want map[string]string) {
	if !maps.Equal(got, want) { // nil and empty are equal
		d.add(field, got, want)
	}
}

func diffCounts(d *diffs, field string, got, want []earshot.Count) {
	if len(got) != len(want) {
		d.add(field, got, want)
		return
	}
	for i, w := range want {
		if g := got[i]; g.Name != w.Name || g.Count != w.Count || !sameFloat(g.Share, w.Share) {
			d.add(fmt.Sprintf("%s[%d]", field, i), g, w)
		}
	}
}

func diffWhy(d *diffs, got, want earshot.Why) {
	if len(got.Terms) != len(want.Terms) {
		d.add("Why.Terms", got.Terms, want.Terms)
	} else {
		for i, w := range want.Terms {
			if g := got.Terms[i]; g.Term != w.Term || g.Count != w.Count || !sameFloat(g.Lift, w.Lift) {
				d.add(fmt.Sprintf("Why.Terms[%d]", i), g, w)
			}
		}
	}
	diffCounts(d, "Why.Reasons", got.Reasons, want.Reasons)
	diffCounts(d, "Why.Sources", got.Sources, want.Sources)
	if len(got.Posts) != len(want.Posts) {
		d.add("Why.Posts", postIDs(got.Posts), postIDs(want.Posts))
	} else {
		for i, w := range want.Posts {
			for _, pd := range diffPost(got.Posts[i], w) {
				*d = append(*d, fmt.Sprintf("Why.Posts[%d].%s", i, pd))
			}
		}
	}
	d.str("Why.Link", got.Link, want.Link)
}

func diffAlert(got, want earshot.Alert) diffs {
	var d diffs
	d.str("ID", got.ID, want.ID)
	d.str("Kind", string(got.Kind), string(want.Kind))
	d.str("SpikeID", got.SpikeID, want.SpikeID)
	d.str("Watch", got.Watch, want.Watch)
	d.str("Metric", string(got.Metric), string(want.Metric))
	d.str("Severity", got.Severity, want.Severity)
	diffLabels(&d, "Labels", got.Labels, want.Labels)
	d.str("IncidentID", got.IncidentID, want.IncidentID)
	d.float("Confidence", got.Confidence, want.Confidence)
	d.str("Summary", got.Summary, want.Summary)
	diffWhy(&d, got.Why, want.Why)
	d.time("StartsAt", got.StartsAt, want.StartsAt)
	d.time("EndsAt", got.EndsAt, want.EndsAt)
	d.time("At", got.At, want.At)
	return d
}

// checkAlerts compares the IDs of got with want, in order, then each
// alert.
func checkAlerts(t *testing.T, what string, got, want []earshot.Alert) {
	t.Helper()
	checkList(t, what, "alerts", "alert ", got, want, func(a earshot.Alert) string { return a.ID }, diffAlert)
}

func diffDelivery(got, want earshot.Delivery) diffs {
	var d diffs
	d.str("ID", got.ID, want.ID)
	d.str("Receiver", got.Receiver, want.Receiver)
	d.str("GroupKey", got.GroupKey, want.GroupKey)
	d.strings("AlertIDs", got.AlertIDs, want.AlertIDs)
	d.int("Attempt", int64(got.Attempt), int64(want.Attempt))
	d.time("At", got.At, want.At)
	if got.OK != want.OK {
		d.add("OK", got.OK, want.OK)
	}
	d.str("Error", got.Error, want.Error)
	return d
}

// checkDeliveries compares the IDs of got with want, in order, then each
// attempt.
func checkDeliveries(t *testing.T, what string, got, want []earshot.Delivery) {
	t.Helper()
	checkList(t, what, "deliveries", "delivery ", got, want,
		func(d earshot.Delivery) string { return d.ID }, diffDelivery)
}

func checkAuthors(t *testing.T, what string, got, want []earshot.AuthorStats) {
	t.Helper()
	checkList(t, what, "authors", "author ", got, want,
		func(a earshot.AuthorStats) string { return a.Source + "/" + a.Author.ID }, diffAuthorStats)
}

func diffAuthorStats(g, w earshot.AuthorStats) diffs {
	var d diffs
	d.str("Source", g.Source, w.Source)
	d.str("Author.ID", g.Author.ID, w.Author.ID)
	d.str("Author.Handle", g.Author.Handle, w.Author.Handle)
	d.str("Author.Name", g.Author.Name, w.Author.Name)
	d.int("Posts", g.Posts, w.Posts)
	d.int("Negative", g.Negative, w.Negative)
	d.float("MeanSentiment", g.MeanSentiment, w.MeanSentiment)
	d.int("Reach", g.Reach, w.Reach)
	d.time("FirstAt", g.FirstAt, w.FirstAt)
	d.time("LastAt", g.LastAt, w.LastAt)
	return d
}

// checkList compares the lists a store returned (got) and should have
// (want): first the keys of their items, in order, then each pair of items
// with diff. A failure names the list's items (plural, "alerts") and each
// item as label and its key ("alert a-1").
func checkList[T any](t *testing.T, what, plural, label string, got, want []T, key func(T) string, diff func(got, want T) diffs) {
	t.Helper()
	if !slices.Equal(keysOf(got, key), keysOf(want, key)) {
		t.Errorf("%s: got %s %q, want %q", what, plural, keysOf(got, key), keysOf(want, key))
		return
	}
	for i := range want {
		diff(got[i], want[i]).report(t, what+": "+label+key(want[i]))
	}
}

// keysOf returns the key of each of items.
func keysOf[T any](items []T, key func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}
