package link

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// Explanation is what Explain makes of a spike event.
type Explanation struct {
	// Spike is the spike with its link set (IncidentID and LinkConfidence,
	// both cleared when no incident explains it), to save.
	Spike earshot.Spike
	Match Match
	// Unreported reports a possible unreported incident: a negative spike
	// full of outage language that no incident explains.
	Unreported bool
	// Alerts are the alerts to raise, as Build returns them.
	Alerts []earshot.Alert
}

// Build returns the alerts for a spike event (see Explain).
func (l *Linker) Build(ctx context.Context, s earshot.Spike) ([]earshot.Alert, error) {
	x, err := l.Explain(ctx, s)
	return x.Alerts, err
}

// Explain links a spike, as a spike event carries it, and builds its
// alerts. For an open spike (End zero: opened or updated) they are an
// AlertSpike, and an AlertUnreported too when the spike is a possible
// unreported incident; for a closed one, an AlertResolved. IDs are the
// kind and the spike's ID ("spike:watch:acme:volume:1700000000"), so
// raising them again replaces them. When an incident is linked and a
// PostLinker is at hand, the spike's posts so far are marked with it.
func (l *Linker) Explain(ctx context.Context, s earshot.Spike) (Explanation, error) {
	at := l.spikeTime(s)
	ev, err := l.gather(ctx, s, at)
	if err != nil {
		return Explanation{}, err
	}
	incs, err := l.candidates(ctx, s)
	if err != nil {
		return Explanation{}, err
	}
	m := l.choose(ev, incs)
	x := Explanation{Spike: s, Match: m}
	x.Spike.IncidentID, x.Spike.LinkConfidence = m.Incident.ID, m.Confidence
	ev.spike = x.Spike
	if m.Linked() {
		if err := l.markPosts(ctx, s, ev.end, m.Incident.ID); err != nil {
			return x, err
		}
	} else {
		x.Unreported = l.unreported(ev)
	}
	x.Alerts = l.alerts(ev, m, x.Unreported, at, "")
	return x, nil
}

// unreported reports whether ev is a negative spike whose telling posts
// use outage language often enough: at least OutagePosts of them, and
// OutageShare. Whether an incident explains it is the caller's business.
func (l *Linker) unreported(ev *evidence) bool {
	n := len(ev.telling())
	return ev.negative && n > 0 && ev.outage >= l.cfg.OutagePosts &&
		float64(ev.outage)/float64(n) >= l.cfg.OutageShare
}

func (l *Linker) markPosts(ctx context.Context, s earshot.Spike, end time.Time, incidentID string) error {
	if l.deps.PostLinker == nil {
		return nil
	}
	q := scopeQuery(s.Scope, s.Start, end, 0)
	if _, err := l.deps.PostLinker.LinkPosts(ctx, q, incidentID); err != nil {
		return fmt.Errorf("linking posts of spike %s: %w", s.ID, err)
	}
	return nil
}

// Severities.
const (
	Critical = "critical"
	Warning  = "warning"
	Info     = "info"
)

// severity: info for a volume spike that is not negative (a launch, a
// campaign); critical for a possible unreported incident, a spike linked
// to a major or critical incident, or a spike scoring CriticalScore;
// warning otherwise.
func (l *Linker) severity(ev *evidence, m Match, unreported bool) string {
	switch sev := strings.ToLower(m.Incident.Severity); {
	case !ev.negative && ev.spike.Metric == earshot.MetricVolume:
		return Info
	case unreported, m.Linked() && (sev == "major" || sev == "critical"), ev.spike.Score >= l.cfg.CriticalScore:
		return Critical
	}
	return Warning
}

// alerts builds the alerts of a spike. relink, when set, says how the
// linked incident came late ("opened 18 min after the spike began"): the
// alert is then an AlertSpike saying so, whether the spike is over or not.
func (l *Linker) alerts(ev *evidence, m Match, unreported bool, at time.Time, relink string) []earshot.Alert {
	s := ev.spike
	why := l.why(ev)
	why.Link = m.Reason
	base := earshot.Alert{
		SpikeID:    s.ID,
		Metric:     s.Metric,
		Severity:   l.severity(ev, m, unreported),
		IncidentID: m.Incident.ID,
		Confidence: m.Confidence,
		Why:        why,
		StartsAt:   s.Start,
		EndsAt:     s.End,
		At:         at,
	}
	if s.Scope.Kind == earshot.ScopeWatch {
		base.Watch = s.Scope.Value
	}
	var out []earshot.Alert
	add := func(kind earshot.AlertKind, summary, link string) {
		a := base
		a.Kind, a.ID, a.Summary, a.Why.Link = kind, string(kind)+":"+s.ID, summary, link
		a.Labels = l.labels(a, s.Scope)
		out = append(out, a)
	}
	what := l.describe(ev)
	incident := "incident " + quote(m.Incident.Title, m.Incident.ID)
	switch {
	case relink != "":
		add(earshot.AlertSpike,
			fmt.Sprintf("%s since %s; now linked to %s, %s (confidence %.2f)", what, l.clock(s.Start), incident, relink, m.Confidence),
			incident+" "+relink+"; linked: "+m.Reason)
		return out
	case !s.End.IsZero():
		summary := "Over: " + what + ", " + l.clock(s.Start) + "–" + l.clock(s.End)
		if m.Linked() {
			summary += "; linked to " + incident
		}
		add(earshot.AlertResolved, summary, m.Reason)
		return out
	}
	verdict := "no incident explains it"
	switch {
	case m.Linked() && m.Aftermath:
		verdict = fmt.Sprintf("customers still upset after %s, resolved at %s (confidence %.2f)", incident, l.clock(m.Incident.ResolvedAt), m.Confidence)
	case m.Linked():
		verdict = fmt.Sprintf("linked to %s (confidence %.2f)", incident, m.Confidence)
	case !ev.negative:
		verdict = tone(ev)
	}
	add(earshot.AlertSpike, what+" since "+l.clock(s.Start)+"; "+verdict, m.Reason)
	if unreported {
		n := len(ev.telling())
		said := strings.Join(topKeys(ev.outageTerms, 3, nil), ", ")
		add(earshot.AlertUnreported,
			fmt.Sprintf("Possible unreported incident on %s: %d of %d negative posts (%s) report an outage (%s) since %s, and no incident explains it",
				scopeName(s.Scope), ev.outage, n, percent(float64(ev.outage)/float64(n)), said, l.clock(s.Start)),
			fmt.Sprintf("%s; %d of %d negative posts use outage language (%s)", m.Reason, ev.outage, n, said))
	}
	return out
}

func (l *Linker) labels(a earshot.Alert, sc earshot.Scope) map[string]string {
	lb := map[string]string{
		"kind":     string(a.Kind),
		"severity": a.Severity,
		"metric":   string(a.Metric),
		"scope":    string(sc.Kind),
	}
	switch sc.Kind {
	case earshot.ScopeWatch:
		lb["watch"] = sc.Value
	case earshot.ScopeSource:
		lb["source"] = sc.Value
	}
	if a.IncidentID != "" {
		lb["incident"] = a.IncidentID
	}
	return lb
}

// describe says what spiked: "acme: 42% negative vs 8% expected".
func (l *Linker) describe(ev *evidence) string {
	s := ev.spike
	var v string
	switch s.Metric {
	case earshot.MetricVolume:
		per := "bucket"
		if s.Bucket > 0 {
			per = strings.TrimPrefix(duration(s.Bucket), "1 ")
		}
		v = fmt.Sprintf("%.0f posts per %s vs %.0f expected", s.Observed, per, s.Expected)
	case earshot.MetricNegativeShare:
		v = fmt.Sprintf("%s negative vs %s expected", percent(s.Observed), percent(s.Expected))
	case earshot.MetricNetSentiment:
		v = fmt.Sprintf("net sentiment %+.2f vs %+.2f expected", s.Observed, s.Expected)
	default:
		v = fmt.Sprintf("%s %.3g vs %.3g expected", s.Metric, s.Observed, s.Expected)
	}
	return scopeName(s.Scope) + ": " + v
}

func scopeName(sc earshot.Scope) string {
	switch sc.Kind {
	case earshot.ScopeWatch:
		return sc.Value
	case earshot.ScopeSource:
		return "posts on " + sc.Value
	}
	return "all posts"
}

// tone says how a spike that is not negative feels.
func tone(ev *evidence) string {
	switch {
	case ev.scored == 0:
		return "posts not scored"
	case 2*ev.positives >= ev.scored:
		return "mostly positive"
	}
	return "mostly neutral"
}
