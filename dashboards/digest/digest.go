// Package digest builds a period's reputation digest for execs: how much
// people talked about the brand and how they felt, against the period
// before; the incidents and the spikes they caused; what people complained
// about; the worst posts; and how support kept up. HTML and Markdown render
// it, escaping every post's text: posts are hostile input.
package digest

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// Options choose the digest's period.
type Options struct {
	// Period is the digest's length; 0 means seven days. The period before
	// it, of the same length, is the comparison.
	Period time.Duration
	// End is the end of the period (exclusive); zero means Now.
	End time.Time
	// Watch, when not empty, keeps only that watch's posts and spikes.
	Watch string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Quiet, when set, recommends the quiet period after each incident
	// (from its negative share against its baseline and its open
	// follow-ups); otherwise it is judged from the incident's cost alone.
	Quiet earshot.QuietAdvisor
}

// MaxPeriod is the longest period a digest covers.
const MaxPeriod = 366 * 24 * time.Hour

const (
	negativeShown = 5
	negativeFetch = 200 // read to find negativeShown distinct texts
	reasonsFetch  = 10_000
)

// Stats are a period's numbers.
type Stats struct {
	Posts int64 `json:"posts"`
	// Scored, Negative and Positive count posts with a sentiment label.
	Scored   int64 `json:"scored"`
	Negative int64 `json:"negative"`
	Positive int64 `json:"positive"`
	// NegativeShare is Negative/Scored and MeanSentiment the mean score of
	// the scored posts; both 0 when none was scored.
	NegativeShare float64 `json:"negative_share"`
	MeanSentiment float64 `json:"mean_sentiment"`
}

// Change is a difference from the previous period; Known is false when
// there is nothing to compare with (no posts, or none scored, before).
type Change struct {
	Value float64 `json:"value"`
	Known bool    `json:"known"`
}

// Incident is an incident of the period with the spikes linked to it.
type Incident struct {
	earshot.Incident
	// Duration runs to ResolvedAt, or to the period's end while it is open.
	Duration time.Duration   `json:"duration"`
	Ongoing  bool            `json:"ongoing"`
	Spikes   []earshot.Spike `json:"spikes,omitempty"`
	// Cost is the incident's reputational cost.
	Cost Cost `json:"cost"`
	// Quiet is the quiet period recommended after it, at the period's
	// end, when Options.Quiet is set.
	Quiet *earshot.QuietPeriod `json:"quiet_period,omitempty"`
}

// Source is one source's volume in the period and the one before.
type Source struct {
	Source        string  `json:"source"`
	Posts         int64   `json:"posts"`
	Previous      int64   `json:"previous"`
	Change        Change  `json:"change"`
	Scored        int64   `json:"scored"`
	Negative      int64   `json:"negative"`
	NegativeShare float64 `json:"negative_share"`
}

// NegativePost is one of the most negative posts; Repeats counts the
// other posts of the period with the same text.
type NegativePost struct {
	earshot.Post
	Repeats int `json:"repeats"`
}

// FollowUps counts support's follow-ups: opened and resolved in the
// period, and still open at its end.
type FollowUps struct {
	Opened   int `json:"opened"`
	Resolved int `json:"resolved"`
	Open     int `json:"open"`
}

// Digest is a period's reputation summary.
type Digest struct {
	Watch string `json:"watch,omitempty"`
	// From and To bound the period, [From, To); PrevFrom and From the one
	// before.
	From     time.Time     `json:"from"`
	To       time.Time     `json:"to"`
	PrevFrom time.Time     `json:"prev_from"`
	Period   time.Duration `json:"period"`
	Current  Stats         `json:"current"`
	Previous Stats         `json:"previous"`
	// VolumeChange is relative (0.38 is 38% more posts);
	// NegativeShareChange is in share points (0.05 is 5 points more);
	// MeanSentimentChange is the difference of the means.
	VolumeChange        Change `json:"volume_change"`
	NegativeShareChange Change `json:"negative_share_change"`
	MeanSentimentChange Change `json:"mean_sentiment_change"`

	Incidents []Incident `json:"incidents,omitempty"`
	// Unexplained are the period's spikes no incident explains.
	Unexplained []earshot.Spike `json:"unexplained,omitempty"`
	// Reasons count the complaint reasons of the period's negative posts,
	// most common first; ReasonsKnown is always true (every store lists
	// posts). ReasonsSampled says only the newest posts were read.
	Reasons        []earshot.Count `json:"reasons,omitempty"`
	ReasonsKnown   bool            `json:"reasons_known"`
	ReasonsSampled bool            `json:"reasons_sampled,omitempty"`
	Sources        []Source        `json:"sources,omitempty"`
	Negative       []NegativePost  `json:"negative,omitempty"`
	FollowUps      FollowUps       `json:"follow_ups"`
	// Days is the period's series in daily buckets (the charts').
	Days []earshot.Bucket `json:"days,omitempty"`
	// Recommendations are what to do next, each with its evidence.
	Recommendations []Recommendation `json:"recommendations,omitempty"`
	// Empty is true when the period has no posts, incidents or spikes.
	Empty bool `json:"empty"`
	// Summary is one paragraph in plain words.
	Summary string `json:"summary"`
}

// Build computes the digest opts describe from st.
func Build(ctx context.Context, st earshot.Store, opts Options) (Digest, error) {
	opts, end, err := opts.resolve()
	if err != nil {
		return Digest{}, err
	}
	d := Digest{Watch: opts.Watch, To: end, From: end.Add(-opts.Period), PrevFrom: end.Add(-2 * opts.Period), Period: opts.Period}
	if err := d.compare(ctx, st); err != nil {
		return d, err
	}
	if err := d.incidents(ctx, st); err != nil {
		return d, err
	}
	if err := d.posts(ctx, st); err != nil {
		return d, err
	}
	fus, err := st.FollowUps(ctx)
	if err != nil {
		return d, fmt.Errorf("loading follow-ups: %w", err)
	}
	d.FollowUps = countFollowUps(fus, d.From, d.To)
	if err := incidentCosts(ctx, st, &d, fus); err != nil {
		return d, err
	}
	if err := d.quietPeriods(ctx, opts.Quiet); err != nil {
		return d, err
	}
	d.Recommendations = recommend(d, fus)

	d.Empty = d.Current.Posts == 0 && len(d.Incidents) == 0 && len(d.Unexplained) == 0
	d.Summary = summarize(d)
	return d, nil
}

// resolve fills opts' defaults, checks the period and returns the period's
// end, in UTC.
func (opts Options) resolve() (Options, time.Time, error) {
	if opts.Period == 0 {
		opts.Period = 7 * 24 * time.Hour
	}
	if opts.Period < time.Hour || opts.Period > MaxPeriod {
		return opts, time.Time{}, fmt.Errorf("period %s: give one hour to 366 days", opts.Period)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	end := opts.End
	if end.IsZero() {
		end = opts.Now().Truncate(time.Minute)
	}
	return opts, end.UTC(), nil
}

// compare fills the period's and the previous period's figures, the
// changes between them, the daily series and the sources.
func (d *Digest) compare(ctx context.Context, st earshot.Store) error {
	cur, curSources, days, err := stats(ctx, st, d.From, d.To, d.Watch)
	if err != nil {
		return err
	}
	d.Days = days
	prev, prevSources, _, err := stats(ctx, st, d.PrevFrom, d.From, d.Watch)
	if err != nil {
		return err
	}
	d.Current, d.Previous = cur, prev
	d.VolumeChange = relative(cur.Posts, prev.Posts)
	if cur.Scored > 0 && prev.Scored > 0 {
		d.NegativeShareChange = Change{cur.NegativeShare - prev.NegativeShare, true}
		d.MeanSentimentChange = Change{cur.MeanSentiment - prev.MeanSentiment, true}
	}
	d.Sources = sources(curSources, prevSources)
	return nil
}

// incidents fills the period's incidents, each with its duration and the
// spikes it explains, and the spikes in the watch's scope no incident
// explains.
func (d *Digest) incidents(ctx context.Context, st earshot.Store) error {
	incidents, err := st.Incidents(ctx, d.From, d.To)
	if err != nil {
		return fmt.Errorf("loading incidents: %w", err)
	}
	spikes, err := st.Spikes(ctx, d.From, d.To)
	if err != nil {
		return fmt.Errorf("loading spikes: %w", err)
	}
	byID := map[string]int{}
	for _, inc := range incidents {
		v := Incident{Incident: inc}
		// Open at the period's end: its duration so far.
		stop := inc.ResolvedAt
		if stop.IsZero() || stop.After(d.To) {
			v.Ongoing, stop = true, d.To
		}
		v.Duration = max(0, stop.Sub(inc.StartedAt))
		byID[inc.ID] = len(d.Incidents)
		d.Incidents = append(d.Incidents, v)
	}
	for _, sp := range spikes {
		if !inScope(sp.Scope, d.Watch) {
			continue
		}
		if i, ok := byID[sp.IncidentID]; ok {
			d.Incidents[i].Spikes = append(d.Incidents[i].Spikes, sp)
		} else if sp.Unexplained() {
			d.Unexplained = append(d.Unexplained, sp)
		}
	}
	return nil
}

// posts fills the complaint reasons of the period's posts and its most
// negative posts.
func (d *Digest) posts(ctx context.Context, st earshot.Store) error {
	d.ReasonsKnown = true
	posts, err := st.Posts(ctx, earshot.PostQuery{From: d.From, To: d.To, Watch: d.Watch, Limit: reasonsFetch})
	if err != nil {
		return fmt.Errorf("listing posts: %w", err)
	}
	d.ReasonsSampled = len(posts) >= reasonsFetch
	d.Reasons = reasons(posts)

	worst, err := st.TopNegative(ctx, earshot.PostQuery{From: d.From, To: d.To, Watch: d.Watch, Limit: negativeFetch})
	if err != nil {
		return fmt.Errorf("loading negative posts: %w", err)
	}
	d.Negative = distinct(worst, negativeShown)
	return nil
}

// quietPeriods gives each incident the quiet period q recommends after it;
// a nil q leaves them without.
func (d *Digest) quietPeriods(ctx context.Context, q earshot.QuietAdvisor) error {
	if q == nil {
		return nil
	}
	for i := range d.Incidents {
		qp, err := q.QuietPeriod(ctx, d.Incidents[i].Incident, d.To)
		if err != nil {
			return fmt.Errorf("recommending the quiet period after incident %s: %w", d.Incidents[i].ID, err)
		}
		d.Incidents[i].Quiet = &qp
	}
	return nil
}

// acc accumulates buckets.
type acc struct {
	count, scored, neg, pos int64
	sum                     float64
}

func (a *acc) add(b earshot.Bucket) {
	a.count += b.Count
	a.scored += b.Scored
	a.neg += b.Negative
	a.pos += b.Positive
	a.sum += b.MeanSentiment * float64(b.Scored)
}

func (a acc) stats() Stats {
	s := Stats{Posts: a.count, Scored: a.scored, Negative: a.neg, Positive: a.pos}
	if a.scored > 0 {
		s.NegativeShare = float64(a.neg) / float64(a.scored)
		s.MeanSentiment = a.sum / float64(a.scored)
	}
	return s
}

// stats reads [from, to) in daily buckets: the store counts exactly the
// posts created in the range, whatever the buckets' alignment.
func stats(ctx context.Context, st earshot.Store, from, to time.Time, watch string) (Stats, map[string]acc, []earshot.Bucket, error) {
	all, err := st.Series(ctx, earshot.SeriesQuery{From: from, To: to, Bucket: 24 * time.Hour, Watch: watch})
	if err != nil {
		return Stats{}, nil, nil, fmt.Errorf("loading the series: %w", err)
	}
	var total acc
	for _, b := range all {
		total.add(b)
	}
	bySource, err := st.Series(ctx, earshot.SeriesQuery{From: from, To: to, Bucket: 24 * time.Hour, GroupBy: earshot.GroupSource, Watch: watch})
	if err != nil {
		return Stats{}, nil, nil, fmt.Errorf("loading the per-source series: %w", err)
	}
	src := map[string]acc{}
	for _, b := range bySource {
		a := src[b.Key]
		a.add(b)
		src[b.Key] = a
	}
	return total.stats(), src, all, nil
}

func relative(cur, prev int64) Change {
	if prev == 0 {
		return Change{}
	}
	return Change{float64(cur-prev) / float64(prev), true}
}

func sources(cur, prev map[string]acc) []Source {
	var out []Source
	for key, a := range cur {
		s := a.stats()
		out = append(out, Source{Source: key, Posts: a.count, Previous: prev[key].count, Change: relative(a.count, prev[key].count),
			Scored: a.scored, Negative: a.neg, NegativeShare: s.NegativeShare})
	}
	for key, a := range prev {
		if _, ok := cur[key]; !ok {
			out = append(out, Source{Source: key, Previous: a.count, Change: relative(0, a.count)})
		}
	}
	slices.SortFunc(out, func(a, b Source) int {
		return cmp.Or(cmp.Compare(b.Posts, a.Posts), cmp.Compare(b.Previous, a.Previous), cmp.Compare(a.Source, b.Source))
	})
	return out
}

// inScope reports whether a spike belongs in a digest of watch: with no
// watch, the spikes over all posts and over each watch.
func inScope(sc earshot.Scope, watch string) bool {
	if watch != "" {
		return sc.Kind == earshot.ScopeWatch && sc.Value == watch
	}
	return sc.Kind == earshot.ScopeAll || sc.Kind == earshot.ScopeWatch
}

func reasons(posts []earshot.Post) []earshot.Count {
	counts := map[string]int{}
	total := 0
	for _, p := range posts {
		if p.Sentiment.Label != earshot.Negative {
			continue
		}
		r := string(p.Sentiment.Reason)
		if r == "" {
			r = string(earshot.ReasonOther)
		}
		counts[r]++
		total++
	}
	var out []earshot.Count
	for name, n := range counts {
		out = append(out, earshot.Count{Name: name, Count: n, Share: float64(n) / float64(total)})
	}
	slices.SortFunc(out, func(a, b earshot.Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// distinct keeps the first n posts with distinct texts, counting the
// repeats of each (earshot.DistinctTexts).
func distinct(posts []earshot.Post, n int) []NegativePost {
	var out []NegativePost
	for _, r := range earshot.DistinctTexts(posts, n) {
		out = append(out, NegativePost{Post: r.Post, Repeats: r.Repeats})
	}
	return out
}

// countFollowUps counts the follow-ups opened and resolved in [from, to)
// and those still open (in no final state) at to. A follow-up's resolution
// time is that of the note recording it, else its last update.
func countFollowUps(fus []earshot.FollowUp, from, to time.Time) FollowUps {
	var c FollowUps
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	for _, f := range fus {
		if in(f.CreatedAt) {
			c.Opened++
		}
		if f.State == earshot.FollowUpResolved {
			at := f.UpdatedAt
			for _, n := range f.Notes {
				if strings.HasPrefix(n.Text, "state → "+string(earshot.FollowUpResolved)) {
					at = n.At
				}
			}
			if in(at) {
				c.Resolved++
			}
		}
		if !f.State.Final() && f.CreatedAt.Before(to) {
			c.Open++
		}
	}
	return c
}

// safeLink returns u when it is an absolute http(s) URL, "" otherwise: a
// post's URL comes from the post's source and may be anything.
func safeLink(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	return p.String()
}
