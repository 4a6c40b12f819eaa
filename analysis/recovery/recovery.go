package recovery

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/earshot/earshot"
)

// Config tunes the recommendation. The zero value of a field takes its
// default.
type Config struct {
	// Baseline is how long before the incident the usual negative share
	// is measured over (7 days).
	Baseline time.Duration
	// Margin is how far above the usual share, in share points, the
	// negative share may be and still count as back to normal (0.05).
	Margin float64
	// MinScored is how many scored posts an hour needs to be judged
	// (5); quieter hours are skipped.
	MinScored int64
	// MaxOpenFollowUps is how many of the incident's follow-ups may still
	// be open when promotion resumes (5).
	MaxOpenFollowUps int
	// Settle is how long the quiet period runs on after both conditions
	// are met (24h).
	Settle time.Duration
}

// DefaultConfig returns the defaults named in Config.
func DefaultConfig() Config {
	return Config{Baseline: 7 * 24 * time.Hour, Margin: 0.05, MinScored: 5, MaxOpenFollowUps: 5, Settle: 24 * time.Hour}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Baseline <= 0 {
		c.Baseline = d.Baseline
	}
	if c.Margin <= 0 {
		c.Margin = d.Margin
	}
	if c.MinScored <= 0 {
		c.MinScored = d.MinScored
	}
	if c.MaxOpenFollowUps <= 0 {
		c.MaxOpenFollowUps = d.MaxOpenFollowUps
	}
	if c.Settle <= 0 {
		c.Settle = d.Settle
	}
	return c
}

// Query is the hourly series Recommend needs for inc at now: from
// Baseline before it started until now, for its watch when it names
// exactly one, else over all posts.
func Query(inc earshot.Incident, now time.Time, cfg Config) earshot.SeriesQuery {
	cfg = cfg.withDefaults()
	q := earshot.SeriesQuery{From: inc.StartedAt.Add(-cfg.Baseline).Truncate(time.Hour), To: now, Bucket: time.Hour}
	if len(inc.Watches) == 1 {
		q.Watch = inc.Watches[0]
	}
	return q
}

// Advisor recommends quiet periods from the data of Source: an
// earshot.QuietAdvisor.
type Advisor struct {
	Source Source
	Config Config
}

var _ earshot.QuietAdvisor = Advisor{}

// QuietPeriod computes inc's quiet period at now (see Compute).
func (a Advisor) QuietPeriod(ctx context.Context, inc earshot.Incident, now time.Time) (earshot.QuietPeriod, error) {
	return Compute(ctx, a.Source, inc, now, a.Config)
}

// Source is what Compute reads.
type Source interface {
	Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error)
	FollowUps(ctx context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error)
}

// Compute reads inc's series and follow-ups from src and recommends.
func Compute(ctx context.Context, src Source, inc earshot.Incident, now time.Time, cfg Config) (earshot.QuietPeriod, error) {
	series, err := src.Series(ctx, Query(inc, now, cfg))
	if err != nil {
		return earshot.QuietPeriod{}, fmt.Errorf("loading the series around incident %s: %w", inc.ID, err)
	}
	fus, err := src.FollowUps(ctx)
	if err != nil {
		return earshot.QuietPeriod{}, fmt.Errorf("loading follow-ups: %w", err)
	}
	return Recommend(inc, series, fus, now, cfg), nil
}

// Recommend computes the recommendation for inc at now from its hourly
// series (Query's; buckets after now are ignored) and the follow-ups
// (those of other incidents are ignored).
func Recommend(inc earshot.Incident, hours []earshot.Bucket, fus []earshot.FollowUp, now time.Time, cfg Config) earshot.QuietPeriod {
	cfg = cfg.withDefaults()
	now = now.UTC()
	r := earshot.QuietPeriod{IncidentID: inc.ID, Quiet: true, MaxOpenFollowUps: cfg.MaxOpenFollowUps}

	var baseNeg int64
	for _, h := range hours {
		if h.Start.Before(inc.StartedAt.Truncate(time.Hour)) && !h.Start.Before(inc.StartedAt.Add(-cfg.Baseline)) {
			baseNeg += h.Negative
			r.BaselineScored += h.Scored
		}
	}
	if r.BaselineScored >= cfg.MinScored {
		r.BaselineKnown = true
		r.BaselineShare = float64(baseNeg) / float64(r.BaselineScored)
	}
	limit := r.BaselineShare + cfg.Margin

	// Hours since the incident began, judged when they have enough
	// posts and are over (the current hour is judged too: it is what
	// people say now).
	var recoveredFrom time.Time
	for _, h := range hours {
		if h.Start.Before(inc.StartedAt.Truncate(time.Hour)) || h.Start.After(now) || h.Scored < cfg.MinScored {
			continue
		}
		share := float64(h.Negative) / float64(h.Scored)
		if r.PeakAt.IsZero() || share > r.PeakShare {
			r.PeakShare, r.PeakAt = share, h.Start
		}
		r.CurrentShare, r.CurrentScored, r.CurrentAt = share, h.Scored, h.Start
		switch {
		case share > limit:
			recoveredFrom = time.Time{}
		case recoveredFrom.IsZero():
			recoveredFrom = h.Start
		}
	}
	open := inc.ResolvedAt.IsZero() || inc.ResolvedAt.After(now)
	if r.BaselineKnown && !recoveredFrom.IsZero() {
		// Back to normal for good only from the end of the incident on.
		r.RecoveredAt = recoveredFrom.Add(time.Hour)
		if !inc.ResolvedAt.IsZero() && r.RecoveredAt.Before(inc.ResolvedAt) {
			r.RecoveredAt = inc.ResolvedAt
		}
	}

	r.OpenFollowUps, r.FollowUpsClearedAt = followUps(inc, fus, now, cfg.MaxOpenFollowUps)

	pct := func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }
	at := func(t time.Time) string { return t.UTC().Format("Mon 2 Jan 15:04") + " UTC" }
	if r.BaselineKnown {
		r.Evidence = append(r.Evidence, fmt.Sprintf("Usual negative share %s (%d scored posts in the %s before the incident); back to normal means at most %s.",
			pct(r.BaselineShare), r.BaselineScored, days(cfg.Baseline), pct(limit)))
	} else {
		r.Evidence = append(r.Evidence, fmt.Sprintf("Too few posts before the incident (%d scored) to know the usual negative share.", r.BaselineScored))
	}
	if !r.PeakAt.IsZero() {
		r.Evidence = append(r.Evidence, fmt.Sprintf("Negative share peaked at %s (hour from %s); latest %s (%d scored posts, hour from %s).",
			pct(r.PeakShare), at(r.PeakAt), pct(r.CurrentShare), r.CurrentScored, at(r.CurrentAt)))
	}
	if !r.RecoveredAt.IsZero() {
		r.Evidence = append(r.Evidence, fmt.Sprintf("Back to normal since %s.", at(r.RecoveredAt)))
	}
	r.Evidence = append(r.Evidence, fmt.Sprintf("%d of the incident's follow-ups open (threshold %d).", r.OpenFollowUps, cfg.MaxOpenFollowUps))

	switch {
	case open:
		r.Action = "Hold promotional posts: the incident is still open."
	case !r.BaselineKnown:
		r.Action = "Hold promotional posts until there is enough data to see sentiment back to normal."
	case r.RecoveredAt.IsZero():
		r.Action = fmt.Sprintf("Hold promotional posts: negative share is still above %s.", pct(limit))
	case r.FollowUpsClearedAt.IsZero():
		r.Action = fmt.Sprintf("Hold promotional posts until support has at most %d of the incident's follow-ups open (%d now).", cfg.MaxOpenFollowUps, r.OpenFollowUps)
	default:
		r.Until = later(r.RecoveredAt, r.FollowUpsClearedAt, inc.ResolvedAt).Add(cfg.Settle)
		if r.Until.After(now) {
			r.Action = fmt.Sprintf("Hold promotional posts until %s: sentiment is back to normal and follow-ups are under control; give it %s more to settle.", at(r.Until), hours2(cfg.Settle))
		} else {
			r.Quiet = false
			r.Action = fmt.Sprintf("Promotional posts may resume (quiet period ended %s).", at(r.Until))
		}
	}
	return r
}

// followUps counts inc's follow-ups open at now, and finds when their
// count last fell to max or under (zero while it is above).
func followUps(inc earshot.Incident, fus []earshot.FollowUp, now time.Time, max int) (int, time.Time) {
	var changes []change
	openNow := 0
	for _, f := range fus {
		if f.IncidentID != inc.ID || f.CreatedAt.After(now) {
			continue
		}
		changes = append(changes, change{f.CreatedAt, +1})
		if f.State.Final() && !f.UpdatedAt.After(now) {
			changes = append(changes, change{f.UpdatedAt, -1})
		} else {
			openNow++
		}
	}
	if openNow > max {
		return openNow, time.Time{}
	}
	// Walk the changes in time order; the last moment the count went
	// from above max to max or under is when it cleared.
	sortChanges(changes)
	cleared, n := inc.StartedAt, 0
	for _, c := range changes {
		before := n
		n += c.delta
		if before > max && n <= max {
			cleared = c.at
		}
	}
	return openNow, cleared
}

// change is a follow-up opened (+1) or closed (-1).
type change struct {
	at    time.Time
	delta int
}

func sortChanges(cs []change) {
	slices.SortStableFunc(cs, func(a, b change) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.delta, b.delta)) })
}

func later(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		if n := d / (24 * time.Hour); n != 1 {
			return fmt.Sprintf("%d days", n)
		}
		return "day"
	}
	return hours2(d)
}

func hours2(d time.Duration) string {
	if d%time.Hour == 0 {
		if n := d / time.Hour; n != 1 {
			return fmt.Sprintf("%d hours", n)
		}
		return "hour"
	}
	return d.String()
}
