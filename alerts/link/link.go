package link

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// IncidentLister lists incidents: the part of earshot.IncidentStore
// linking needs.
type IncidentLister interface {
	// Incidents returns the incidents open at any time in [from, to).
	Incidents(ctx context.Context, from, to time.Time) ([]earshot.Incident, error)
}

// SpikeLister lists spikes: the part of earshot.SpikeStore relinking
// needs.
type SpikeLister interface {
	// Spikes returns the spikes overlapping [from, to).
	Spikes(ctx context.Context, from, to time.Time) ([]earshot.Spike, error)
}

// Deps are what a Linker reads, and perhaps writes.
type Deps struct {
	Incidents IncidentLister
	Posts     earshot.PostLister
	// Spikes is read by Relink only.
	Spikes SpikeLister
	// PostLinker, when set, is told to mark the posts of every linked
	// spike with the incident's ID. When nil, Posts is used if it is an
	// earshot.PostLinker too; otherwise posts are not marked.
	PostLinker earshot.PostLinker
	// Watches give each watch's services.
	Watches []earshot.Watch
	// Now is the clock alerts are raised on and open spikes read up to.
	// When nil, the data's clock is used: the end of a closed spike, the
	// end of an open spike's peak bucket, an incident's last update.
	Now func() time.Time
}

// Linker links spikes to the incidents that explain them and builds the
// alerts that tell people. It holds no state between calls and is safe
// for concurrent use when its Deps are.
type Linker struct {
	deps    Deps
	cfg     Config
	loc     *time.Location
	watches map[string]earshot.Watch
	// brand holds the stems of the watches' own names, which every post
	// uses and so say nothing about an incident.
	brand map[string]bool
}

// New returns a Linker. deps.Incidents and deps.Posts are required.
func New(deps Deps, cfg Config) (*Linker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Incidents == nil || deps.Posts == nil {
		return nil, fmt.Errorf("link: Incidents and Posts are required")
	}
	if deps.PostLinker == nil {
		deps.PostLinker, _ = deps.Posts.(earshot.PostLinker)
	}
	loc, _ := time.LoadLocation(cfg.TimeZone)
	l := &Linker{deps: deps, cfg: cfg, loc: loc, watches: map[string]earshot.Watch{}, brand: map[string]bool{}}
	for _, w := range deps.Watches {
		l.watches[w.Name] = w
		for _, t := range slices.Concat([]string{w.Name}, w.Terms, w.Handles) {
			for _, s := range stems(terms(t)) {
				l.brand[s] = true
			}
		}
	}
	return l, nil
}

// Signals are a link's four signals, each in [0, 1].
type Signals struct {
	// Time is 1 when the incident was open when the spike began, falling
	// to 0.6 as the incident starts up to Lead after it and to 0.4 as it
	// was resolved up to Lag before it; 0 beyond, which vetoes the link.
	Time float64 `json:"time"`
	// Services is 1 when the incident names one of the spike's services,
	// 0.8 when it names none (it covers all), 0.6 when the spike's
	// services are unknown, 0 when both name services and none agree.
	Services float64 `json:"services"`
	// Terms is the share of the spike's posts (its negative posts, for a
	// negative spike) that use the incident's words, title and services
	// counting fully and words of its updates half, over 0.5 (capped at 1).
	Terms float64 `json:"terms"`
	// Reasons is the share of the spike's negative posts whose complaint
	// reason is one the incident's text points at, over 0.6 (capped at
	// 1); 0.5 when the incident's text points at no reason; 0 when no
	// post is negative.
	Reasons float64 `json:"reasons"`
}

// Match is the outcome of linking a spike.
type Match struct {
	// Incident is the linked incident; zero when none explains the spike.
	Incident earshot.Incident
	// Confidence in [0, 1], rounded to hundredths; 0 when not linked.
	Confidence float64
	Signals    Signals
	// Reason says in words why the incident was linked, or why none was.
	Reason string
	// Aftermath is set when the spike began more than Lag after the
	// incident was resolved: customers still upset after it.
	Aftermath bool
}

// Linked reports whether an incident explains the spike.
func (m Match) Linked() bool { return m.Incident.ID != "" }

// Link returns the incident that best explains s, if any scores at least
// MinConfidence. A spike already linked keeps its incident unless another
// scores 0.05 more.
func (l *Linker) Link(ctx context.Context, s earshot.Spike) (Match, error) {
	ev, err := l.gather(ctx, s, l.spikeTime(s))
	if err != nil {
		return Match{}, err
	}
	incs, err := l.candidates(ctx, s)
	if err != nil {
		return Match{}, err
	}
	return l.choose(ev, incs), nil
}

// keepMargin is how much more another incident must score to take a spike
// from the incident it is linked to.
const keepMargin = 0.05

func (l *Linker) candidates(ctx context.Context, s earshot.Spike, extra ...earshot.Incident) ([]earshot.Incident, error) {
	incs, err := l.deps.Incidents.Incidents(ctx, s.Start.Add(-max(l.cfg.Lag, l.cfg.Aftermath)), s.Start.Add(l.cfg.Lead+time.Second))
	if err != nil {
		return nil, fmt.Errorf("listing incidents: %w", err)
	}
	for _, x := range extra {
		if i := slices.IndexFunc(incs, func(inc earshot.Incident) bool { return inc.ID == x.ID }); i >= 0 {
			incs[i] = x
		} else {
			incs = append(incs, x)
		}
	}
	return incs, nil
}

// choose scores every incident against ev and returns the best link, or
// a Match without incident whose Reason names the closest candidate.
func (l *Linker) choose(ev *evidence, incs []earshot.Incident) Match {
	var all []Match
	for _, inc := range incs {
		if inc.ID == "" || inc.StartedAt.IsZero() || !inScope(inc, ev.spike.Scope) {
			continue
		}
		all = append(all, l.score(ev, inc))
	}
	// Best first; ties to the incident that started nearer the spike,
	// then by ID, so the choice never depends on the store's order.
	slices.SortFunc(all, func(a, b Match) int {
		if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
			return c
		}
		da, db := absDur(a.Incident.StartedAt.Sub(ev.spike.Start)), absDur(b.Incident.StartedAt.Sub(ev.spike.Start))
		if c := cmp.Compare(da, db); c != 0 {
			return c
		}
		return strings.Compare(a.Incident.ID, b.Incident.ID)
	})
	if len(all) == 0 {
		return Match{Reason: fmt.Sprintf("no known incident was open from %s before to %s after the spike began (%s)",
			duration(l.cfg.Lag), duration(l.cfg.Lead), l.clock(ev.spike.Start))}
	}
	best := all[0]
	if cur := ev.spike.IncidentID; cur != "" && cur != best.Incident.ID {
		for _, m := range all[1:] {
			if m.Incident.ID == cur && m.Confidence >= l.cfg.MinConfidence && best.Confidence-m.Confidence < keepMargin {
				best = m
			}
		}
	}
	if best.Confidence < l.cfg.MinConfidence {
		if m, ok := kept(ev.spike, all); ok {
			return m
		}
		return Match{Signals: best.Signals, Reason: fmt.Sprintf("no incident explains it: the closest is %s; it scores %.2f, under %.2f",
			best.Reason, best.Confidence, l.cfg.MinConfidence)}
	}
	best.Reason += fmt.Sprintf("; confidence %.2f", best.Confidence)
	return best
}

// kept returns the spike's current link when no incident now passes the
// bar: a spike explained at its start stays explained when its later posts
// say less (the tail of an outage talks about it less), as long as its
// incident is still a candidate in time.
func kept(s earshot.Spike, all []Match) (Match, bool) {
	if s.IncidentID == "" {
		return Match{}, false
	}
	for _, m := range all {
		if m.Incident.ID == s.IncidentID && m.Signals.Time > 0 {
			m.Confidence = s.LinkConfidence
			m.Reason += fmt.Sprintf("; kept from earlier in the spike (confidence %.2f)", s.LinkConfidence)
			return m, true
		}
	}
	return Match{}, false
}

// score rates how well inc explains the spike in ev. Its Reason describes
// the incident and the signals, without verdict.
func (l *Linker) score(ev *evidence, inc earshot.Incident) Match {
	var sig Signals
	var why []string

	var when string
	sig.Time, when = l.timeSignal(ev.spike.Start, inc)
	after := !inc.ResolvedAt.IsZero() && ev.spike.Start.Sub(inc.ResolvedAt) > l.cfg.Lag && sig.Time > 0
	why = append(why, incidentName(inc)+" "+when)

	var svc string
	sig.Services, svc = serviceSignal(inc, ev.services)

	it := l.incidentTerms(inc)
	var used []string
	sig.Terms, used = termSignal(ev, it, after)

	var about string
	sig.Reasons, about = reasonSignal(ev, inc)

	// A spike of posts mostly not negative in an incident's aftermath:
	// its few negative posts may say little; how much of its excess talks
	// of the outage or says the service is back says whether it is the
	// incident's tail too.
	if after && !ev.negative {
		switch talk, said := ev.excessTalk(); {
		case talk > sig.Reasons || about == "":
			sig.Reasons, about = max(sig.Reasons, talk), said
		case talk == sig.Reasons:
			about += "; " + said
		}
	}
	if about != "" {
		why = append(why, about)
	}
	if len(used) > 0 {
		why = append(why, fmt.Sprintf("they use its words (%s)", strings.Join(used, ", ")))
	}
	if svc != "" {
		why = append(why, svc)
	}

	w := l.cfg.Weights
	c := (w.Time*sig.Time + w.Services*sig.Services + w.Terms*sig.Terms + w.Reasons*sig.Reasons) /
		(w.Time + w.Services + w.Terms + w.Reasons)
	if after {
		// In its aftermath, time only says the spike is near enough: the
		// posts, and the services, decide.
		c = (w.Services*sig.Services + w.Terms*sig.Terms + w.Reasons*sig.Reasons) / max(w.Services+w.Terms+w.Reasons, 1e-9)
	}
	agree := (w.Terms*sig.Terms + w.Reasons*sig.Reasons) / max(w.Terms+w.Reasons, 1e-9)
	switch {
	case sig.Time == 0:
		c = 0
	case agree < l.cfg.MinEvidence:
		why = append(why, "too little in the posts points at it")
		c = min(c, l.cfg.MinConfidence-0.01)
	}
	return Match{Incident: inc, Confidence: round2(c), Signals: sig, Reason: strings.Join(why, "; "), Aftermath: after}
}

// timeSignal rates when inc was open against the spike's start, and says
// it in words.
func (l *Linker) timeSignal(start time.Time, inc earshot.Incident) (float64, string) {
	a, b := inc.StartedAt, inc.ResolvedAt
	switch {
	case a.After(start):
		lead := a.Sub(start)
		s := "was opened at " + l.clock(a) + ", " + duration(lead) + " after the spike began"
		if lead > l.cfg.Lead {
			return 0, s + ", too late to explain it"
		}
		return 1 - 0.4*frac(lead, l.cfg.Lead), "was open from " + l.clock(a) + "; the spike began " + duration(lead) + " earlier"
	case b.IsZero() || b.After(start):
		s := "was open from " + l.clock(a)
		if !b.IsZero() {
			s = "was open " + l.clock(a) + "–" + l.clock(b)
		}
		if d := start.Sub(a); d > 0 {
			return 1, s + "; the spike began " + duration(d) + " later"
		}
		return 1, s + "; the spike began then"
	default:
		gap := start.Sub(b)
		s := "was open " + l.clock(a) + "–" + l.clock(b) + "; the spike began " + duration(gap) + " after it was resolved"
		if gap > l.cfg.Lag && gap <= l.cfg.Aftermath {
			// Its aftermath, if the posts still talk about it.
			return 1 - 0.6*frac(l.cfg.Lag, l.cfg.Lag), s + ", in its aftermath"
		}
		if gap > l.cfg.Lag {
			return 0, s + ", too late for it to explain the spike"
		}
		return 1 - 0.6*frac(gap, l.cfg.Lag), s
	}
}

func frac(d, of time.Duration) float64 {
	if of <= 0 {
		return 1
	}
	return min(1, float64(d)/float64(of))
}

// serviceSignal rates inc's services against the spike's (nil: unknown).
func serviceSignal(inc earshot.Incident, services []string) (float64, string) {
	switch {
	case len(inc.Services) == 0:
		return 0.8, "it names no service, so it covers all"
	case len(services) == 0:
		return 0.6, ""
	case inc.Covers(services):
		var both []string
		for _, s := range inc.Services {
			if slices.Contains(services, s) {
				both = append(both, s)
			}
		}
		return 1, "matching its services (" + strings.Join(both, ", ") + ")"
	default:
		return 0, "but its services differ from the watch's (" + strings.Join(bound(services, 5), ", ") + ")"
	}
}

// incidentWords are an incident's words by stem: weight 1 for the title's
// and the services', 0.5 for the updates'; and a surface form to show.
type incidentWords struct {
	weight  map[string]float64
	surface map[string]string
}

func (l *Linker) incidentTerms(inc earshot.Incident) incidentWords {
	iw := incidentWords{weight: map[string]float64{}, surface: map[string]string{}}
	add := func(text string, w float64) {
		for _, t := range terms(text) {
			s := stem(t)
			if l.brand[s] {
				continue
			}
			if iw.weight[s] < w {
				iw.weight[s] = w
			}
			if _, ok := iw.surface[s]; !ok {
				iw.surface[s] = t
			}
		}
	}
	add(inc.Title, 1)
	add(strings.Join(inc.Services, " "), 1)
	for _, u := range inc.Updates {
		add(u.Body, 0.5)
	}
	return iw
}

// termSignal is the weighted share of the spike's telling posts that use
// the incident's words, and the words most used. In the incident's
// aftermath, a post that talks of an outage or says the service is back
// is about it too, in whatever words.
func termSignal(ev *evidence, iw incidentWords, aftermath bool) (float64, []string) {
	docs := ev.telling()
	if len(docs) == 0 || len(iw.weight) == 0 {
		return 0, nil
	}
	uses := map[string]int{}
	var sum float64
	for _, d := range docs {
		var best float64
		if aftermath && (d.outage || d.recovery) {
			best = 1
		}
		for s := range d.stemSet {
			if w, ok := iw.weight[s]; ok {
				uses[s]++
				best = max(best, w)
			}
		}
		sum += best
	}
	share := sum / float64(len(docs))
	return min(1, share/0.5), topKeys(uses, 3, iw.surface)
}

// reasonSignal is the share of the spike's negative posts whose reason the
// incident's text points at.
func reasonSignal(ev *evidence, inc earshot.Incident) (float64, string) {
	text := inc.Title + " " + strings.Join(inc.Services, " ")
	for _, u := range inc.Updates {
		text += "\n" + u.Body
	}
	if ev.negatives == 0 {
		return 0, "none of the spike's posts is negative"
	}
	points := reasonHits(stems(words(text)))
	if len(points) == 0 {
		return 0.5, ""
	}
	// A post counts when any of its reasons is one the incident points at:
	// "down, and the dashboard will not load, support is silent" is about
	// availability even when support comes first.
	var n int
	hit := map[earshot.Reason]int{}
	for _, d := range ev.docs {
		if !d.negative {
			continue
		}
		matched := false
		for r := range d.reasons {
			if points[r] > 0 {
				hit[r]++
				matched = true
			}
		}
		if matched {
			n++
		}
	}
	var named []string
	for _, c := range countsOf(hit, n) {
		named = append(named, c.Name)
	}
	share := float64(n) / float64(ev.negatives)
	if n == 0 {
		return 0, "none of the spike's negative posts complains about what it is about (" + strings.Join(reasonNames(points), ", ") + ")"
	}
	return min(1, share/0.6), fmt.Sprintf("%s of the spike's negative posts are about %s, as it is", percent(share), strings.Join(bound(named, 3), " and "))
}

// postReasons are the reasons a negative post gives: its scorer's and
// those its words name.
func postReasons(s earshot.Sentiment, st []string) map[earshot.Reason]bool {
	out := map[earshot.Reason]bool{}
	if s.Reason != "" {
		out[s.Reason] = true
	}
	for r := range reasonHits(st) {
		out[r] = true
	}
	return out
}

func reasonNames(m map[earshot.Reason]int) []string {
	var out []string
	for _, rv := range reasonVocab {
		if m[rv.reason] > 0 {
			out = append(out, string(rv.reason))
		}
	}
	return out
}

// evidence is what a spike's posts say, read once and shared by every
// candidate incident and by the alert's Why.
type evidence struct {
	spike    earshot.Spike
	at       time.Time // when the spike is looked at
	end      time.Time // end of the window its posts were read from
	posts    []earshot.Post
	baseline []earshot.Post
	docs     []doc

	scored, negatives, positives int
	// reasons count the negative posts per reason (the post's own, or
	// the local classifier's when it has none).
	reasons map[earshot.Reason]int
	// outage counts the telling posts that use outage language, and
	// outageTerms how many posts use each term.
	outage      int
	outageTerms map[string]int
	// services are the services the spike is about; nil when unknown.
	services []string
	negative bool
}

type doc struct {
	stemSet  map[string]bool
	negative bool
	outage   bool
	// recovery is set when the post says the service is back.
	recovery bool
	// reasons are every reason a negative post gives: the scorer's and
	// those its words name.
	reasons map[earshot.Reason]bool
}

// telling returns the posts that say what a spike is about: the negative
// ones for a negative spike, all of them otherwise (or when none is
// scored).
func (ev *evidence) telling() []doc {
	if !ev.negative || ev.scored == 0 {
		return ev.docs
	}
	var out []doc
	for _, d := range ev.docs {
		if d.negative {
			out = append(out, d)
		}
	}
	return out
}

// excessTalk rates how much of a spike's excess, the posts over those
// expected, talk of an outage or say the service is back, and says it in
// words.
func (ev *evidence) excessTalk() (float64, string) {
	docs := ev.telling()
	n := 0
	for _, d := range docs {
		if d.outage || d.recovery {
			n++
		}
	}
	excess := float64(len(docs))
	if o, e := ev.spike.Observed, ev.spike.Expected; ev.spike.Metric == earshot.MetricVolume && o > e && e > 0 {
		excess *= 1 - e/o
	}
	if n == 0 || excess <= 0 {
		return 0, "none of its posts talks of an outage or says the service is back"
	}
	verb := "talk of an outage or say"
	if n == 1 {
		verb = "talks of an outage or says"
	}
	return min(1, float64(n)/max(excess, 1)), fmt.Sprintf("%d of its %d posts %s the service is back", n, len(docs), verb)
}

// spikeTime is when a spike is looked at: the clock, or on the data's
// clock the end of a closed spike, or else of its peak bucket.
func (l *Linker) spikeTime(s earshot.Spike) time.Time {
	if l.deps.Now != nil {
		return l.deps.Now()
	}
	if !s.End.IsZero() {
		return s.End
	}
	return s.Peak.Add(max(s.Bucket, 0))
}

func (l *Linker) gather(ctx context.Context, s earshot.Spike, at time.Time) (*evidence, error) {
	end := s.End
	if end.IsZero() || end.After(at) {
		end = at
	}
	if !end.After(s.Start) {
		end = s.Start.Add(max(s.Bucket, time.Minute))
	}
	posts, err := l.deps.Posts.Posts(ctx, scopeQuery(s.Scope, s.Start, end, l.cfg.SpikePosts))
	if err != nil {
		return nil, fmt.Errorf("listing the spike's posts: %w", err)
	}
	baseline, err := l.deps.Posts.Posts(ctx, scopeQuery(s.Scope, s.Start.Add(-l.cfg.Baseline), s.Start, l.cfg.BaselinePosts))
	if err != nil {
		return nil, fmt.Errorf("listing baseline posts: %w", err)
	}
	ev := &evidence{spike: s, at: at, end: end, posts: posts, baseline: baseline,
		reasons: map[earshot.Reason]int{}, outageTerms: map[string]int{}}
	for _, p := range posts {
		ws := words(p.Text)
		st := stems(ws)
		d := doc{stemSet: map[string]bool{}, negative: p.Sentiment.Label == earshot.Negative}
		for _, t := range terms(p.Text) {
			d.stemSet[stem(t)] = true
		}
		if p.Sentiment.Scored() {
			ev.scored++
		}
		if p.Sentiment.Label == earshot.Positive {
			ev.positives++
		}
		if d.negative {
			ev.negatives++
			r := p.Sentiment.Reason
			if r == "" {
				r = reasonOf(st)
			}
			ev.reasons[r]++
			d.reasons = postReasons(p.Sentiment, st)
		}
		d.recovery = len(recoveryTerms(ws)) > 0
		if ot := outageTerms(ws); len(ot) > 0 {
			d.outage = true
			for _, t := range uniq(ot) {
				ev.outageTerms[t]++
			}
		}
		ev.docs = append(ev.docs, d)
	}
	switch s.Metric {
	case earshot.MetricNegativeShare, earshot.MetricNetSentiment:
		ev.negative = true
	default:
		ev.negative = ev.scored > 0 && float64(ev.negatives)/float64(ev.scored) >= l.cfg.NegativeVolume
	}
	for _, d := range ev.telling() {
		if d.outage {
			ev.outage++
		}
	}
	ev.services = l.spikeServices(s.Scope, posts)
	return ev, nil
}

// spikeServices are the services a spike is about: its watch's, or for a
// spike over all posts or a source, those of every watch a quarter of its
// posts matched. Nil means unknown.
func (l *Linker) spikeServices(sc earshot.Scope, posts []earshot.Post) []string {
	if sc.Kind == earshot.ScopeWatch {
		return l.watches[sc.Value].Services
	}
	n := map[string]int{}
	for _, p := range posts {
		for _, w := range uniq(p.Watches) {
			n[w]++
		}
	}
	var out []string
	for _, name := range sortedKeys(n) {
		if 4*n[name] >= len(posts) {
			for _, s := range l.watches[name].Services {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func scopeQuery(sc earshot.Scope, from, to time.Time, limit int) earshot.PostQuery {
	q := earshot.PostQuery{From: from, To: to, Limit: limit}
	switch sc.Kind {
	case earshot.ScopeWatch:
		q.Watch = sc.Value
	case earshot.ScopeSource:
		q.Source = sc.Value
	}
	return q
}

// incidentName names an incident for people: its title, quoted and
// bounded, and its services.
func incidentName(inc earshot.Incident) string {
	s := "incident " + quote(inc.Title, inc.ID)
	if len(inc.Services) > 0 {
		s += " (" + strings.Join(bound(inc.Services, 5), ", ") + ")"
	}
	return s
}

// quote returns title in single quotes, bounded, or id when title is empty.
func quote(title, id string) string {
	title = strings.Join(strings.Fields(strings.ToValidUTF8(title, "")), " ")
	if title == "" {
		return id
	}
	if r := []rune(title); len(r) > 80 {
		title = string(r[:79]) + "…"
	}
	return "'" + title + "'"
}

func (l *Linker) clock(t time.Time) string { return t.In(l.loc).Format("15:04") }

// duration writes d in minutes, or hours and minutes.
func duration(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func bound(ss []string, n int) []string {
	if len(ss) > n {
		return append(slices.Clip(ss[:n]), "…")
	}
	return ss
}

func uniq(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// topKeys returns the n keys with the highest counts (ties by key), shown
// through surface when it has them.
func topKeys(m map[string]int, n int, surface map[string]string) []string {
	ks := sortedKeys(m)
	slices.SortStableFunc(ks, func(a, b string) int { return cmp.Compare(m[b], m[a]) })
	ks = ks[:min(n, len(ks))]
	for i, k := range ks {
		if s, ok := surface[k]; ok {
			ks[i] = s
		}
	}
	return ks
}

// inScope reports whether inc may explain a spike of scope sc: an
// incident that names the watches it affects explains no other watch's
// spike, whatever services the watches share.
func inScope(inc earshot.Incident, sc earshot.Scope) bool {
	return len(inc.Watches) == 0 || sc.Kind != earshot.ScopeWatch || slices.Contains(inc.Watches, sc.Value)
}
