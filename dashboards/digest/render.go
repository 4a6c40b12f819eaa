package digest

import (
	"bufio"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

const maxPostRunes = 500

//go:embed digest.html
var htmlSource string

var htmlTemplate = template.Must(template.New("digest").Parse(htmlSource))

// view is the digest as the renderers show it: every value in words.
type view struct {
	Title, Range, Summary string
	Empty                 bool
	Cards                 []card
	Incidents             []incidentView
	Unexplained           []spikeView
	Reasons               []reasonView
	ReasonsKnown          bool
	ReasonsSampled        bool
	Sources               []sourceView
	Negative              []postView
	FollowUps             FollowUps
	Charts                []chartView
	Recommendations       []Recommendation
}

type chartView struct {
	Src template.URL
	Alt string
}

type card struct{ Value, Label, Change, Tone string }

type incidentView struct {
	Title, Severity, Status, Started, Duration, Link string
	// Peak, Recovery and FollowUps are its reputational cost in words.
	Peak, Recovery, FollowUps string
	Spikes                    []spikeView
}

type spikeView struct{ Scope, Metric, Started, Observed, Expected string }

type reasonView struct{ Name, Count, Share string }

type sourceView struct{ Source, Posts, Previous, Change, NegativeShare string }

type postView struct {
	Author, Source, Time, Score, Text, Link string
	Repeats                                 int
}

func (d Digest) view() view {
	v := view{
		Title:          "Reputation digest",
		Range:          fmt.Sprintf("%s to %s UTC (%s)", d.From.UTC().Format("Mon 2 Jan 2006 15:04"), d.To.UTC().Format("Mon 2 Jan 2006 15:04"), periodName(d.Period)),
		Summary:        d.Summary,
		Empty:          d.Empty,
		ReasonsKnown:   d.ReasonsKnown,
		ReasonsSampled: d.ReasonsSampled,
		FollowUps:      d.FollowUps,
	}
	if d.Watch != "" {
		v.Title += ": " + oneLine(d.Watch, 80)
	}
	cmpWords := "vs " + thousands(d.Previous.Posts) + " before"
	mentions := card{Value: thousands(d.Current.Posts), Label: "mentions", Change: "no earlier mentions to compare"}
	if d.VolumeChange.Known {
		mentions.Change = fmt.Sprintf("%s %s", signedPercent(d.VolumeChange.Value), cmpWords)
	}
	negative := card{Value: "–", Label: "negative", Change: "not scored", Tone: "neg"}
	mean := card{Value: "–", Label: "mean sentiment (−1 to +1)", Change: "not scored"}
	if d.Current.Scored > 0 {
		negative.Value, negative.Change = percent(d.Current.NegativeShare), "no earlier scores to compare"
		mean.Value, mean.Change = signed(d.Current.MeanSentiment), "no earlier scores to compare"
		if d.NegativeShareChange.Known {
			negative.Change = signedPoints(d.NegativeShareChange.Value) + " vs " + percent(d.Previous.NegativeShare) + " before"
			mean.Change = signedDelta(d.MeanSentimentChange.Value) + " vs " + signed(d.Previous.MeanSentiment) + " before"
		}
	}
	open := card{Value: fmt.Sprint(d.FollowUps.Open), Label: "follow-ups open", Change: fmt.Sprintf("%d opened, %d resolved", d.FollowUps.Opened, d.FollowUps.Resolved)}
	v.Cards = []card{mentions, negative, mean, open}

	for _, inc := range d.Incidents {
		iv := incidentView{
			Title:    oneLine(inc.Title, 200),
			Severity: oneLine(or(inc.Severity, "unknown"), 40),
			Status:   oneLine(string(inc.Status), 40),
			Started:  inc.StartedAt.UTC().Format("Mon 2 Jan 15:04"),
			Duration: duration(inc.Duration),
			Link:     safeLink(inc.URL),
		}
		if inc.Ongoing {
			iv.Duration += " so far"
		}
		iv.Peak, iv.Recovery = "too few posts to tell", "–"
		if c := inc.Cost; c.Known {
			iv.Peak = fmt.Sprintf("%s negative at %s (usually %s)", percent(c.PeakNegativeShare), c.PeakAt.UTC().Format("Mon 2 Jan 15:04"), percent(c.Baseline))
			iv.Recovery = "not yet recovered"
			if c.Recovered {
				iv.Recovery = duration(c.TimeToRecover)
			}
		}
		iv.FollowUps = fmt.Sprintf("%d (%d open)", inc.Cost.FollowUps, inc.Cost.OpenFollowUps)
		for _, sp := range inc.Spikes {
			iv.Spikes = append(iv.Spikes, viewSpike(sp))
		}
		v.Incidents = append(v.Incidents, iv)
	}
	for _, sp := range d.Unexplained {
		v.Unexplained = append(v.Unexplained, viewSpike(sp))
	}
	for _, r := range d.Reasons {
		v.Reasons = append(v.Reasons, reasonView{Name: reasonName(r.Name), Count: thousands(int64(r.Count)), Share: percent(r.Share)})
	}
	for _, s := range d.Sources {
		sv := sourceView{Source: oneLine(or(s.Source, "(unknown)"), 60), Posts: thousands(s.Posts), Previous: thousands(s.Previous), Change: "new", NegativeShare: percent(s.NegativeShare)}
		if s.Change.Known {
			sv.Change = signedPercent(s.Change.Value)
		}
		if s.Scored == 0 {
			sv.NegativeShare = "–"
		}
		v.Sources = append(v.Sources, sv)
	}
	for _, p := range d.Negative {
		v.Negative = append(v.Negative, viewPost(p))
	}
	for _, r := range d.Recommendations {
		v.Recommendations = append(v.Recommendations, Recommendation{Kind: r.Kind, Action: oneLine(r.Action, 400), Evidence: oneLine(r.Evidence, 600)})
	}
	return v
}

func viewSpike(sp earshot.Spike) spikeView {
	v := spikeView{Scope: "all posts", Metric: string(sp.Metric), Started: sp.Start.UTC().Format("Mon 2 Jan 15:04")}
	if sp.Scope.Kind != earshot.ScopeAll {
		v.Scope = string(sp.Scope.Kind) + " " + oneLine(sp.Scope.Value, 60)
	}
	switch sp.Metric {
	case earshot.MetricVolume:
		v.Metric = "volume"
		v.Observed, v.Expected = fmt.Sprintf("%.0f", sp.Observed), fmt.Sprintf("%.0f", sp.Expected)
	case earshot.MetricNegativeShare:
		v.Metric = "negative share"
		v.Observed, v.Expected = percent(sp.Observed), percent(sp.Expected)
	default:
		v.Metric = "net sentiment"
		v.Observed, v.Expected = signed(sp.Observed), signed(sp.Expected)
	}
	return v
}

func viewPost(p NegativePost) postView {
	v := postView{
		Author:  oneLine(p.Author.Name, 80),
		Source:  oneLine(p.Source, 40),
		Time:    p.CreatedAt.UTC().Format("Mon 2 Jan 15:04"),
		Score:   signed(p.Sentiment.Score),
		Text:    oneLine(p.Text, maxPostRunes),
		Link:    safeLink(p.URL),
		Repeats: p.Repeats,
	}
	if h := strings.TrimPrefix(p.Author.Handle, "@"); h != "" {
		v.Author = strings.TrimSpace(v.Author + " @" + oneLine(h, 60))
	}
	if v.Author == "" {
		v.Author = oneLine(p.Author.ID, 80)
	}
	return v
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

func signedPercent(v float64) string {
	p := math.Round(100 * v)
	if p == 0 {
		return "±0%"
	}
	return strings.Replace(fmt.Sprintf("%+.0f%%", p), "-", "−", 1)
}

func signedPoints(v float64) string {
	p := math.Round(100 * v)
	if p == 0 {
		return "±0 pts"
	}
	return strings.Replace(fmt.Sprintf("%+.0f pts", p), "-", "−", 1)
}

func signedDelta(v float64) string {
	if math.Round(100*v) == 0 {
		return "±0.00"
	}
	return strings.Replace(fmt.Sprintf("%+.2f", v), "-", "−", 1)
}

func duration(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %02dm", d/time.Hour, (d%time.Hour)/time.Minute)
	}
	return fmt.Sprintf("%d days", d/(24*time.Hour))
}

// HTML writes d as one self-contained HTML page (inline CSS, no scripts,
// nothing loaded from elsewhere), fit to mail: every value is escaped and
// only http(s) links are kept.
// The charts show as data: URLs.
func HTML(w io.Writer, d Digest) error {
	charts, err := Charts(d)
	if err != nil {
		return err
	}
	return HTMLWithCharts(w, d, charts, func(c Chart) string {
		return "data:image/png;base64," + base64.StdEncoding.EncodeToString(c.PNG)
	})
}

// HTMLWithCharts writes d as HTML showing charts, each at the URL src
// gives it (a cid: URL in mail). src must return a URL it built, never
// one from input.
func HTMLWithCharts(w io.Writer, d Digest, charts []Chart, src func(Chart) string) error {
	v := d.view()
	for _, c := range charts {
		v.Charts = append(v.Charts, chartView{Src: template.URL(src(c)), Alt: c.Alt})
	}
	return htmlTemplate.Execute(w, v)
}

// Markdown writes d as Markdown; post text, titles and names are escaped
// so that nothing in them is read as Markdown or HTML, and only http(s)
// links are kept.
func Markdown(w io.Writer, d Digest) error {
	v := d.view()
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# %s\n\n", md(v.Title))
	p("%s\n\n", md(v.Range))
	p("%s\n\n", md(v.Summary))
	if v.Empty {
		p("**Nothing to report:** no posts, incidents or spikes were recorded in this period.\n\n")
	}
	p("| Measure | This period | Change |\n|---|---|---|\n")
	for _, c := range v.Cards {
		p("| %s | %s | %s |\n", md(c.Label), md(c.Value), md(c.Change))
	}
	if len(v.Recommendations) > 0 {
		p("\n## Recommendations\n\n")
		for _, r := range v.Recommendations {
			p("- **%s** %s\n", md(r.Action), md(r.Evidence))
		}
	}
	p("\n## Incidents\n\n")
	if len(v.Incidents) == 0 {
		p("No incidents in this period.\n")
	}
	for _, inc := range v.Incidents {
		title := md(inc.Title)
		if inc.Link != "" {
			title = fmt.Sprintf("[%s](%s)", title, mdURL(inc.Link))
		}
		p("- **%s**: %s, %s, started %s, lasted %s", title, md(inc.Severity), md(inc.Status), md(inc.Started), md(inc.Duration))
		if n := len(inc.Spikes); n > 0 {
			p("; %s linked", md(plural(int64(n), "spike")))
		}
		p("\n  - %s\n", md(fmt.Sprintf("Cost: peak negativity %s; time to recover %s; follow-ups %s", inc.Peak, inc.Recovery, inc.FollowUps)))
		for _, sp := range inc.Spikes {
			p("  - %s\n", md(spikeLine(sp)))
		}
	}
	p("\n## Unexplained spikes\n\n")
	if len(v.Unexplained) == 0 {
		p("None: every spike had a known incident behind it.\n")
	}
	for _, sp := range v.Unexplained {
		p("- %s\n", md(spikeLine(sp)))
	}
	if v.ReasonsKnown {
		p("\n## Top complaint reasons\n\n")
		if len(v.Reasons) == 0 {
			p("No scored negative posts in this period.\n")
		}
		for _, r := range v.Reasons {
			p("- %s: %s (%s)\n", md(r.Name), md(r.Count), md(r.Share))
		}
		if v.ReasonsSampled {
			p("\n%s\n", md("Counted over the newest 10,000 posts of the period."))
		}
	}
	p("\n## Sources\n\n")
	if len(v.Sources) == 0 {
		p("No posts in this period or the one before.\n")
	} else {
		p("| Source | Posts | Before | Change | Negative |\n|---|---|---|---|---|\n")
		for _, s := range v.Sources {
			p("| %s | %s | %s | %s | %s |\n", md(s.Source), md(s.Posts), md(s.Previous), md(s.Change), md(s.NegativeShare))
		}
	}
	p("\n## Most negative posts\n\n")
	if len(v.Negative) == 0 {
		p("No scored negative posts in this period.\n")
	}
	for i, post := range v.Negative {
		p("%d\\. %s, %s, %s, score %s", i+1, md(post.Author), md(post.Source), md(post.Time), md(post.Score))
		if post.Repeats > 0 {
			p(" (%s)", md(fmt.Sprintf("and %s like it", plural(int64(post.Repeats), "more post"))))
		}
		if post.Link != "" {
			p(", [link](%s)", mdURL(post.Link))
		}
		p("\n\n   > %s\n\n", md(post.Text))
	}
	p("\n## Follow-ups\n\n")
	p("%s\n", md(fmt.Sprintf("%d opened, %d resolved, %d still open.", v.FollowUps.Opened, v.FollowUps.Resolved, v.FollowUps.Open)))
	return b.Flush()
}

func spikeLine(sp spikeView) string {
	return fmt.Sprintf("%s, %s from %s: %s against %s expected", sp.Metric, sp.Scope, sp.Started, sp.Observed, sp.Expected)
}

// mdSpecial are the characters Markdown (CommonMark and GitHub's) may read
// as syntax or HTML anywhere in a line: emphasis, code, links, images, raw
// HTML and entities, tables, strikethrough.
const mdSpecial = "\\`*_{}[]<>#|!~&"

// md escapes s for a Markdown line: the characters in mdSpecial get a
// backslash, and "://" and "www." are broken so nothing turns into an
// autolink. Ordinary prose (dates, "+12%", parentheses) stays readable.
func md(s string) string {
	s = oneLine(s, math.MaxInt)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(mdSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return strings.NewReplacer("://", ":\\/\\/", "www.", "www\\.", "WWW.", "WWW\\.", "\\](", "\\]\\(").Replace(b.String())
}

// mdURL makes a safe http(s) link's address fit inside ( ).
func mdURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20", "\\", "%5C").Replace(u)
}

// Renderer returns the writer of a digest in format, "html" (HTML) or
// "md" (Markdown); nil for any other.
func Renderer(format string) func(w io.Writer, d Digest) error {
	return map[string]func(io.Writer, Digest) error{"html": HTML, "md": Markdown}[format]
}
