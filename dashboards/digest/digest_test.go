package digest

import (
	"bytes"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// fixture is what a test stores: store puts it in an in-memory store.
type fixture struct {
	posts     []earshot.Post
	incidents []earshot.Incident
	spikes    []earshot.Spike
	followUps []earshot.FollowUp
}

func (f *fixture) store(t *testing.T) earshot.Store {
	t.Helper()
	st := memstore.New()
	ctx := t.Context()
	if err := st.SavePosts(ctx, f.posts); err != nil {
		t.Fatal(err)
	}
	for _, inc := range f.incidents {
		if err := st.SaveIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
	}
	for _, sp := range f.spikes {
		if err := st.SaveSpike(ctx, sp); err != nil {
			t.Fatal(err)
		}
	}
	for _, fu := range f.followUps {
		if err := st.SaveFollowUp(ctx, fu); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

var (
	end      = time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	from     = end.Add(-7 * 24 * time.Hour)
	prevFrom = end.Add(-14 * 24 * time.Hour)
)

const hostileText = `<script>alert(1)</script> "><img src=x onerror=alert(2)> *bold* [x](javascript:alert(4)) # heading`

func post(id, source string, at time.Time, score float64, reason earshot.Reason, text, url string) earshot.Post {
	label := earshot.Positive
	if score < 0 {
		label = earshot.Negative
	}
	return earshot.Post{ID: source + ":" + id, Source: source, Text: text, URL: url, CreatedAt: at, Watches: []string{"acme"},
		Author:    earshot.Author{ID: id, Handle: "user" + id, Name: "User " + id},
		Sentiment: earshot.Sentiment{Score: score, Label: label, Reason: reason}}
}

// scenario: the previous week has 10 posts (twitter 6, reddit 4), 2 of
// them negative at -0.5 and 8 positive at +0.25: negative share 20%, mean
// +0.10. This week has 15 (twitter 9, reddit 3, mastodon 3), 6 negative
// at -0.8 (4 availability, 2 login; two with the same words) and 9
// positive at +0.2: negative share 40%, mean -0.20.
func scenario() *fixture {
	f := &fixture{}
	sources := []string{"twitter", "twitter", "twitter", "twitter", "twitter", "twitter", "reddit", "reddit", "reddit", "reddit"}
	for i, src := range sources {
		at := prevFrom.Add(time.Duration(i+1) * 12 * time.Hour)
		score := 0.25
		if i < 2 {
			score = -0.5
		}
		f.posts = append(f.posts, post("p"+string(rune('a'+i)), src, at, score, "", "fine week", ""))
	}
	negTexts := []struct {
		text, url string
		reason    earshot.Reason
	}{
		{"Acme is down again!!", "https://social.example/1", earshot.ReasonOutage},
		{"RT @someone: acme is DOWN again", "https://social.example/2", earshot.ReasonOutage},
		{hostileText, "javascript:alert(3)", earshot.ReasonOutage},
		{"API errors everywhere", "", earshot.ReasonOutage},
		{"cannot log in since Tuesday", "", earshot.ReasonLogin},
		{"login loop, again", "", earshot.ReasonLogin},
	}
	sources = []string{"twitter", "twitter", "twitter", "twitter", "twitter", "twitter", "twitter", "twitter", "twitter", "reddit", "reddit", "reddit", "mastodon", "mastodon", "mastodon"}
	for i, src := range sources {
		at := from.Add(time.Duration(i+1) * 10 * time.Hour)
		if i < len(negTexts) {
			n := negTexts[i]
			// Later posts are a little less negative, so the order is known.
			f.posts = append(f.posts, post("c"+string(rune('a'+i)), src, at, -0.8+float64(i)*0.01, n.reason, n.text, n.url))
			continue
		}
		f.posts = append(f.posts, post("c"+string(rune('a'+i)), src, at, 0.2, "", "all good", ""))
	}
	// A post of another watch and one outside both periods, to be ignored.
	other := post("zz", "twitter", from.Add(time.Hour), -1, earshot.ReasonBilling, "other brand", "")
	other.Watches = []string{"other"}
	f.posts = append(f.posts, other, post("old", "twitter", prevFrom.Add(-time.Hour), -1, earshot.ReasonBilling, "old", ""))

	outage := earshot.Incident{ID: "statuspage:1", Title: "Elevated API error rates", Severity: "major", Status: earshot.Resolved,
		StartedAt: time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC), ResolvedAt: time.Date(2026, 3, 5, 13, 5, 0, 0, time.UTC),
		URL: "https://status.example/incidents/1"}
	ongoing := earshot.Incident{ID: "manual:2", Title: "Dashboard <slow>", Severity: "minor", Status: earshot.Investigating,
		StartedAt: end.Add(-2 * time.Hour), URL: "javascript:alert(5)"}
	f.incidents = []earshot.Incident{outage, ongoing}
	f.spikes = []earshot.Spike{
		{ID: "s1", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricVolume, Start: outage.StartedAt.Add(-20 * time.Minute),
			End: outage.ResolvedAt, Observed: 120, Expected: 20, IncidentID: outage.ID},
		{ID: "s2", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricNegativeShare,
			Start: from.Add(30 * time.Hour), End: from.Add(31 * time.Hour), Observed: 0.6, Expected: 0.2},
		{ID: "s3", Scope: earshot.Scope{Kind: earshot.ScopeSource, Value: "reddit"}, Metric: earshot.MetricVolume,
			Start: from.Add(40 * time.Hour), End: from.Add(41 * time.Hour), Observed: 30, Expected: 3},
	}
	resolvedNote := func(at time.Time) []earshot.Note {
		return []earshot.Note{{At: at.Add(-time.Hour), Text: "state → assigned"}, {At: at, Text: "state → resolved: called back"}}
	}
	f.followUps = []earshot.FollowUp{
		{ID: "f1", State: earshot.FollowUpOpen, CreatedAt: from.Add(24 * time.Hour)},
		{ID: "f2", State: earshot.FollowUpResolved, CreatedAt: prevFrom.Add(48 * time.Hour), Notes: resolvedNote(from.Add(48 * time.Hour)),
			UpdatedAt: end.Add(time.Hour)},
		{ID: "f3", State: earshot.FollowUpDismissed, CreatedAt: from.Add(50 * time.Hour)},
		{ID: "f4", State: earshot.FollowUpResolved, CreatedAt: prevFrom.Add(-72 * time.Hour), Notes: resolvedNote(prevFrom.Add(24 * time.Hour))},
		{ID: "f5", State: earshot.FollowUpAssigned, CreatedAt: prevFrom.Add(time.Hour)},
		{ID: "f6", State: earshot.FollowUpOpen, CreatedAt: end.Add(time.Hour)}, // after the period
	}
	return f
}

func build(t *testing.T, f *fixture, opts Options) Digest {
	t.Helper()
	d, err := Build(t.Context(), f.store(t), opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return d
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDigestNumbers(t *testing.T) {
	d := build(t, scenario(), Options{End: end, Watch: "acme"})
	// Expected values, computed from the scenario's posts by hand.
	prevMean := (2*-0.5 + 8*0.25) / 10
	curMean := (6*-0.8 + (0+1+2+3+4+5)*0.01 + 9*0.2) / 15
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"current posts", float64(d.Current.Posts), 15},
		{"previous posts", float64(d.Previous.Posts), 10},
		{"volume change", d.VolumeChange.Value, 0.5},
		{"current negative share", d.Current.NegativeShare, 0.4},
		{"previous negative share", d.Previous.NegativeShare, 0.2},
		{"negative share change", d.NegativeShareChange.Value, 0.2},
		{"current mean", d.Current.MeanSentiment, curMean},
		{"previous mean", d.Previous.MeanSentiment, prevMean},
		{"mean change", d.MeanSentimentChange.Value, curMean - prevMean},
		{"incidents", float64(len(d.Incidents)), 2},
		{"spikes linked to the outage", float64(len(d.Incidents[0].Spikes)), 1},
		{"outage duration (min)", d.Incidents[0].Duration.Minutes(), 185},
		{"ongoing duration (min)", d.Incidents[1].Duration.Minutes(), 120},
		{"unexplained spikes", float64(len(d.Unexplained)), 1},
		{"reasons", float64(len(d.Reasons)), 2},
		{"availability complaints", float64(d.Reasons[0].Count), 4},
		{"availability share", d.Reasons[0].Share, 4.0 / 6},
		{"login complaints", float64(d.Reasons[1].Count), 2},
		{"negative posts shown", float64(len(d.Negative)), 5},
		{"repeats of the first", float64(d.Negative[0].Repeats), 1},
		{"follow-ups opened", float64(d.FollowUps.Opened), 2},
		{"follow-ups resolved", float64(d.FollowUps.Resolved), 1},
		{"follow-ups open", float64(d.FollowUps.Open), 2},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !d.VolumeChange.Known || !d.NegativeShareChange.Known || !d.MeanSentimentChange.Known || !d.ReasonsKnown || d.Empty {
		t.Errorf("flags: %+v %+v %+v reasons %v empty %v", d.VolumeChange, d.NegativeShareChange, d.MeanSentimentChange, d.ReasonsKnown, d.Empty)
	}
	if d.Reasons[0].Name != "availability" || d.Reasons[1].Name != "login" {
		t.Errorf("reasons = %+v", d.Reasons)
	}
	if !d.Incidents[1].Ongoing || d.Incidents[0].Ongoing || d.Unexplained[0].ID != "s2" {
		t.Errorf("incidents %+v, unexplained %+v", d.Incidents, d.Unexplained)
	}
	wantSources := []Source{
		{Source: "twitter", Posts: 9, Previous: 6, Change: Change{0.5, true}, Negative: 6, NegativeShare: 6.0 / 9},
		{Source: "reddit", Posts: 3, Previous: 4, Change: Change{-0.25, true}, Negative: 0},
		{Source: "mastodon", Posts: 3, Previous: 0, Change: Change{}, Negative: 0},
	}
	if len(d.Sources) != len(wantSources) {
		t.Fatalf("sources = %+v", d.Sources)
	}
	for i, w := range wantSources {
		g := d.Sources[i]
		if g.Source != w.Source || g.Posts != w.Posts || g.Previous != w.Previous || g.Change.Known != w.Change.Known ||
			!near(g.Change.Value, w.Change.Value) || g.Negative != w.Negative || !near(g.NegativeShare, w.NegativeShare) {
			t.Errorf("source %d = %+v, want %+v", i, g, w)
		}
	}
	var texts []string
	for _, p := range d.Negative {
		texts = append(texts, p.Text)
	}
	if texts[0] != "Acme is down again!!" || slices.Contains(texts, "RT @someone: acme is DOWN again") || texts[1] != hostileText {
		t.Errorf("negative texts = %q", texts)
	}
	for _, want := range []string{
		`Mentions rose 50% week on week (15 against 10), driven by the 5 Mar major incident "Elevated API error rates".`,
		"40% of mentions were negative (up 20 points)",
		"1 spike had no known incident",
		"Most complaints were about availability (67%).",
		"Support opened 2 follow-ups and resolved 1; 2 are still open.",
	} {
		if !strings.Contains(d.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, d.Summary)
		}
	}
}

func TestDigestPeriodComparison(t *testing.T) {
	f := scenario()
	// Without a watch, the other brand's post counts too; spikes of a
	// source scope never do.
	d := build(t, f, Options{End: end})
	if d.Current.Posts != 16 || len(d.Unexplained) != 1 {
		t.Errorf("all watches: %d posts, %d unexplained", d.Current.Posts, len(d.Unexplained))
	}
	// A week ending a week earlier is the previous week, compared with the
	// one before it, which has only the old post.
	d = build(t, f, Options{End: from, Watch: "acme"})
	if d.Current.Posts != 10 || d.Previous.Posts != 1 || !near(d.VolumeChange.Value, 9) || !strings.Contains(d.Summary, "rose 900% week on week") {
		t.Errorf("previous week: %+v %+v\n%s", d.Current, d.VolumeChange, d.Summary)
	}
	// Falls are said as falls; other periods in their own words.
	f.posts = slices.DeleteFunc(f.posts, func(p earshot.Post) bool { return p.CreatedAt.After(from) && p.Source == "twitter" })
	d = build(t, f, Options{End: end, Watch: "acme"})
	if d.Current.Posts != 6 || !near(d.VolumeChange.Value, -0.4) || !strings.Contains(d.Summary, "Mentions fell 40% week on week (6 against 10).") {
		t.Errorf("fall: %+v\n%s", d.VolumeChange, d.Summary)
	}
	d = build(t, f, Options{End: end, Period: 24 * time.Hour, Watch: "acme"})
	if !d.From.Equal(end.Add(-24*time.Hour)) || !d.PrevFrom.Equal(end.Add(-48*time.Hour)) {
		t.Errorf("24h period: from %s prev %s", d.From, d.PrevFrom)
	}
	if c := comparison(30 * 24 * time.Hour); c != "against the previous 30 days" {
		t.Errorf("comparison(30d) = %q", c)
	}
	// End defaults to Now.
	d = build(t, f, Options{Now: func() time.Time { return end.Add(30 * time.Second) }})
	if !d.To.Equal(end) {
		t.Errorf("To = %s, want %s", d.To, end)
	}
	if _, err := Build(t.Context(), f.store(t), Options{Period: time.Minute}); err == nil {
		t.Error("a one-minute period was accepted")
	}
}

func TestDigestEmpty(t *testing.T) {
	// Every store lists posts: reasons are known, and there are none.
	st := &fixture{}
	d := build(t, st, Options{End: end})
	if !d.Empty || !d.ReasonsKnown || len(d.Reasons) != 0 || d.VolumeChange.Known {
		t.Fatalf("empty digest = %+v", d)
	}
	if want := "No mentions, incidents or spikes were recorded in the 7 days from 2 Mar to 8 Mar."; d.Summary != want {
		t.Errorf("summary = %q, want %q", d.Summary, want)
	}
	// The renderers leave out reasons a digest does not know.
	d.ReasonsKnown = false
	var h, m bytes.Buffer
	if err := HTML(&h, d); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&m, d); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"html": h.String(), "md": m.String()} {
		for _, want := range []string{"Nothing to report", "No incidents in this period.", "No posts in this period or the one before."} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
		if strings.Contains(out, "complaint reasons") {
			t.Errorf("%s shows complaint reasons the store cannot list", name)
		}
	}
}

func TestDigestHTMLEscapes(t *testing.T) {
	d := build(t, scenario(), Options{End: end, Watch: "acme"})
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// The only images are the charts, drawn here and shown as data: URLs.
	if imgs, charts := strings.Count(out, "<img"), strings.Count(out, `<img src="data:image/png;base64,`); imgs != charts || charts != 2 {
		t.Errorf("HTML has %d <img, %d of them charts; want the 2 charts only", imgs, charts)
	}
	for _, bad := range []string{"<script", `href="javascript`, "#zgotmplz", "<slow>", "<link"} {
		if strings.Contains(strings.ToLower(out), bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"Dashboard &lt;slow&gt;",
		`<a href="https://status.example/incidents/1"`,
		`<a href="https://social.example/1"`,
		"<style>",
		"&#43;50% vs 10 before",
		"Elevated API error rates",
		"and 1 more like it",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// The hostile post's link is dropped, not rendered neutered.
	if n := strings.Count(out, "<a href="); n != 2 {
		t.Errorf("%d links, want 2 (the outage and the first post)", n)
	}
}

func TestDigestMarkdownEscapes(t *testing.T) {
	d := build(t, scenario(), Options{End: end, Watch: "acme"})
	var b bytes.Buffer
	if err := Markdown(&b, d); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"](javascript", "*bold*", "[x](", " # heading"} {
		if strings.Contains(out, bad) {
			t.Errorf("Markdown contains %q", bad)
		}
	}
	if m := regexp.MustCompile(`(^|[^\\])<`).FindString(out); m != "" {
		t.Errorf("Markdown has an unescaped <: %q", m)
	}
	for _, want := range []string{
		`\<script\>alert(1)\</script\>`,
		`\*bold\* \[x\]\(javascript:alert(4)) \# heading`,
		`Dashboard \<slow\>`,
		"[Elevated API error rates](https://status.example/incidents/1)",
		"(https://social.example/1)",
		`| mentions | 15 | +50% vs 10 before |`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, out)
		}
	}
	if got := md("a\nb\r\n# c"); got != `a b \# c` {
		t.Errorf("md kept a line break: %q", got)
	}
	if got := mdURL("https://x.example/a_(b)"); got != "https://x.example/a_%28b%29" {
		t.Errorf("mdURL = %q", got)
	}
}
