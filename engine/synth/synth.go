// Package synth generates social chatter about an invented brand, Acme
// Cloud, with outages and product launches placed where a test wants them,
// for the engine's tests, `earshot replay`'s tests and its speed figures.
// Every post is made up; URLs and handles name nobody.
//
// Generate is deterministic: the same Options give the same posts. Texts
// are assembled from parts (an opener, a subject, a detail, a closer), so
// that a million posts hold hundreds of thousands of distinct texts, as
// real chatter does, rather than a few templates repeated.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/draw"
)

// Options shape the generated chatter.
type Options struct {
	// Start and Days bound the posts: [Start, Start+Days).
	Start time.Time
	Days  int
	// PerHour is the mean number of mentions an hour over a day; the daily
	// rhythm makes the afternoon about three times as busy as the night.
	PerHour float64
	Seed    uint64
	// Outages and Launches are what happens besides the chatter.
	Outages  []Outage
	Launches []Launch
}

// Outage is customers complaining that Acme Cloud is down.
type Outage struct {
	// Start is when the first complaints come; they build up over
	// RampUp (15m) to Rate times the usual volume, last until End, and
	// fade over the next hour.
	Start, End time.Time
	RampUp     time.Duration
	Rate       float64
	// Incident, when set, is the incident that reports it (the caller
	// chooses when it is opened and resolved).
	Incident *earshot.Incident
}

// Launch is a product launch: a bump of mostly positive posts decaying
// over a few hours, peaking at Rate times the usual volume.
type Launch struct {
	At   time.Time
	Rate float64
}

// Watches returns the watch the posts are about.
func Watches() []earshot.Watch {
	return []earshot.Watch{{
		Name:     "acme",
		Terms:    []string{"Acme", "Acme Cloud"},
		Keywords: []string{"#acmedown"},
		Handles:  []string{"acmecloud"},
		Services: []string{"api", "dashboard", "login"},
	}}
}

var sources = []struct {
	name  string
	share float64
}{{"twitter", 0.45}, {"mastodon", 0.15}, {"bluesky", 0.15}, {"reddit", 0.15}, {"hackernews", 0.10}}

// Rhythm is the relative posting rate at t, averaging about 1 over a day:
// busiest at 15:00 UTC, a third of that at night, lower at weekends.
func Rhythm(t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60
	r := 1 + 0.5*math.Cos(2*math.Pi*(h-15)/24)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		r *= 0.7
	}
	return r
}

type gen struct {
	rng   *rand.Rand
	posts []earshot.Post
	n     int
}

// Generate returns the posts, ordered by CreatedAt, and the incidents of
// the outages that have one, ordered by StartedAt.
func Generate(o Options) ([]earshot.Post, []earshot.Incident) {
	g := &gen{rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x5851f42d4c957f2d))}
	start := o.Start.UTC().Truncate(time.Minute)
	end := start.Add(time.Duration(o.Days) * 24 * time.Hour)
	for m := start; m.Before(end); m = m.Add(time.Minute) {
		base := o.PerHour / 60 * Rhythm(m)
		g.emit(m, g.poisson(base), chatter)
		for _, out := range o.Outages {
			if r := out.rate(m); r > 0 {
				g.emit(m, g.poisson(base*r), complaint)
			}
		}
		for _, l := range o.Launches {
			if d := m.Sub(l.At); d >= 0 && d < 8*time.Hour {
				g.emit(m, g.poisson(base*l.Rate*math.Exp(-d.Minutes()/90)), launch)
			}
		}
	}
	slices.SortStableFunc(g.posts, func(a, b earshot.Post) int { return a.CreatedAt.Compare(b.CreatedAt) })
	var incs []earshot.Incident
	for _, out := range o.Outages {
		if out.Incident != nil {
			incs = append(incs, *out.Incident)
		}
	}
	slices.SortStableFunc(incs, func(a, b earshot.Incident) int { return a.StartedAt.Compare(b.StartedAt) })
	return g.posts, incs
}

// rate is the outage's complaint rate at m, in units of the usual volume.
func (o Outage) rate(m time.Time) float64 {
	ramp := o.RampUp
	if ramp <= 0 {
		ramp = 15 * time.Minute
	}
	switch {
	case m.Before(o.Start):
		return 0
	case m.Before(o.Start.Add(ramp)):
		return o.Rate * (0.2 + 0.8*m.Sub(o.Start).Minutes()/ramp.Minutes())
	case m.Before(o.End):
		return o.Rate
	case m.Before(o.End.Add(time.Hour)):
		return o.Rate * 0.3 * math.Exp(-m.Sub(o.End).Minutes()/20)
	}
	return 0
}

type kind int

const (
	chatter kind = iota
	complaint
	launch
)

func (g *gen) emit(m time.Time, n int, k kind) {
	for range n {
		g.n++
		src := g.source()
		author := g.rng.IntN(20_000)
		text := g.text(k)
		g.posts = append(g.posts, earshot.Post{
			ID:        earshot.PostID(src, "s"+strconv.Itoa(g.n)),
			Source:    src,
			Kind:      earshot.KindPost,
			Text:      text,
			CreatedAt: m.Add(time.Duration(g.rng.Int64N(int64(time.Minute))) / time.Second * time.Second),
			Author: earshot.Author{ID: "u" + strconv.Itoa(author), Handle: "user" + strconv.Itoa(author),
				Followers: int64(math.Exp(g.rng.NormFloat64()*1.5 + 5))},
		})
	}
}

func (g *gen) source() string {
	x := g.rng.Float64()
	for _, s := range sources {
		if x < s.share {
			return s.name
		}
		x -= s.share
	}
	return sources[0].name
}

func (g *gen) poisson(lambda float64) int { return draw.Poisson(g.rng, lambda, 30) }

func (g *gen) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

// text assembles a post: an opener, a sentence of its kind, a detail and
// sometimes a closer.
func (g *gen) text(k kind) string {
	var s string
	switch k {
	case complaint:
		s = g.pick(outageLines)
	case launch:
		s = g.pick(launchLines)
	default:
		switch x := g.rng.Float64(); {
		case x < 0.35:
			s = g.pick(positiveLines)
		case x < 0.80:
			s = g.pick(neutralLines)
		default:
			s = g.pick(gripeLines)
		}
	}
	s = fmt.Sprintf(s, g.pick(brands), g.pick(things))
	if g.rng.IntN(3) == 0 {
		s = g.pick(openers) + " " + s
	}
	if g.rng.IntN(2) == 0 {
		s += " " + g.pick(details[k])
	}
	return s
}

var brands = []string{"Acme", "Acme Cloud", "@acmecloud", "acme cloud", "Acme"}

var things = []string{"the API", "the dashboard", "the CLI", "our deploys", "the billing page", "the docs",
	"the new region", "the SDK", "object storage", "the free tier", "the status page", "our cluster",
	"the terraform provider", "the mobile app", "the support team", "the pricing page"}

var openers = []string{"Honestly,", "Update:", "PSA:", "Quick one:", "Hmm.", "So", "Well,", "FYI", "Heads up:", "Today:"}

var positiveLines = []string{
	"loving %s so far, %s just works",
	"%s support sorted out %s in ten minutes, great service",
	"moved our side project to %s, %s is really nice",
	"%s keeps getting better, %s is fast now",
	"big thanks to %s for fixing %s so quickly",
	"%s is the best hosting we have used, %s is great",
}

var neutralLines = []string{
	"anyone using %s with %s? looking for tips",
	"reading about %s and %s this morning",
	"how does %s price %s compared to the others?",
	"trying %s for a new project, setting up %s",
	"%s announced changes to %s, reading the blog post",
	"is there a guide for %s and %s somewhere?",
	"we run most of our stuff on %s, %s included",
}

var gripeLines = []string{
	"%s pricing for %s is getting expensive",
	"%s docs for %s could be clearer",
	"waiting on %s support about %s for two days now",
	"%s changed %s again and nobody told us",
}

var outageLines = []string{
	"%s is down, %s is not loading at all",
	"can't log in to %s, %s keeps failing #acmedown",
	"is %s down? getting 500 errors from %s",
	"%s outage again, %s returns errors for everyone",
	"%s down for us too, %s times out, nothing works",
	"%s API is down and %s is broken, customers can't log in",
	"our whole team is locked out, %s login is broken, %s useless",
	"%s not working, %s gives 502 errors, this is a disaster",
}

var launchLines = []string{
	"%s just launched %s and it looks amazing",
	"excited to try the new %s launch, %s looks great",
	"the %s launch event was great, %s is a big step",
	"congrats to %s on shipping %s, well done",
	"%s launch today: %s is finally here, love it",
}

var details = map[kind][]string{
	chatter: {"Thoughts?", "More later.", "via the newsletter", "(thread)", "Worth a look.", "Any ideas?",
		"cc the team", "Day three of the migration.", "Not bad.", "We'll see."},
	complaint: {"Third time this month.", "Status page says nothing.", "Anyone else?", "Please fix this.",
		"We are losing money here.", "Unacceptable.", "No updates from support.", "Is it just us?"},
	launch: {"Can't wait.", "Great work team!", "Signing up now.", "This is huge.", "Finally!"},
}

// IncidentRecord is an incident as `earshot replay --incidents` reads it.
type IncidentRecord struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Services   []string `json:"services"`
	Watches    []string `json:"watches,omitempty"`
	StartedAt  string   `json:"started_at"`
	ResolvedAt string   `json:"resolved_at,omitempty"`
}

// WritePosts writes posts as JSON lines in the import format.
func WritePosts(w io.Writer, posts []earshot.Post) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	for _, p := range posts {
		text := p.Text
		rec := earshot.PostRecord{
			ID: earshot.NativeID(p.ID), Source: p.Source, Text: &text,
			CreatedAt: p.CreatedAt.UTC().Format(time.RFC3339), Kind: string(p.Kind), URL: p.URL,
			Author: earshot.RecordAuthor{ID: p.Author.ID, Handle: p.Author.Handle, Name: p.Author.Name, Followers: p.Author.Followers},
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteIncidents writes incidents as JSON lines in replay's format.
func WriteIncidents(w io.Writer, incs []earshot.Incident) error {
	enc := json.NewEncoder(w)
	for _, inc := range incs {
		rec := IncidentRecord{ID: inc.ID, Title: inc.Title, Services: inc.Services, Watches: inc.Watches, StartedAt: inc.StartedAt.UTC().Format(time.RFC3339)}
		if !inc.ResolvedAt.IsZero() {
			rec.ResolvedAt = inc.ResolvedAt.UTC().Format(time.RFC3339)
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return nil
}
