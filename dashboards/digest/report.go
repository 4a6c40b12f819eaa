package digest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// Cost is an incident's reputational cost: how negative people got, how
// long it took them to calm down, and how many customers support must reach.
type Cost struct {
	// PeakNegativeShare is the highest hourly negative share while the
	// incident was open (hours with at least minScoredHour scored posts),
	// at PeakAt; Known is false when no hour had enough posts.
	PeakNegativeShare float64   `json:"peak_negative_share"`
	PeakAt            time.Time `json:"peak_at,omitzero"`
	Known             bool      `json:"known"`
	// Baseline is the negative share the recovery is measured against:
	// the previous period's, else the current one's.
	Baseline float64 `json:"baseline"`
	// Recovered is true when, after the peak and within the period, an
	// hour's negative share fell back to Baseline plus recoveryMargin;
	// TimeToRecover runs from the incident's start to that hour's end.
	Recovered     bool          `json:"recovered"`
	RecoveredAt   time.Time     `json:"recovered_at,omitzero"`
	TimeToRecover time.Duration `json:"time_to_recover"`
	// FollowUps and OpenFollowUps count the follow-ups linked to it.
	FollowUps     int `json:"follow_ups"`
	OpenFollowUps int `json:"open_follow_ups"`
}

// Recommendation is one thing to do, with the evidence behind it.
type Recommendation struct {
	// Kind is quiet_period, follow_ups, call_customer or investigate_spike.
	Kind     string `json:"kind"`
	Action   string `json:"action"`
	Evidence string `json:"evidence"`
}

// Recommendation kinds.
const (
	RecommendQuietPeriod = "quiet_period"
	RecommendFollowUps   = "follow_ups"
	RecommendCall        = "call_customer"
	RecommendInvestigate = "investigate_spike"
)

const (
	minScoredHour  = 5
	recoveryMargin = 0.05
	// quietAfter is how long after negativity recovers the recommended
	// quiet period (no promotional sends) still runs.
	quietAfter     = 24 * time.Hour
	customersShown = 3
)

// incidentCosts fills each incident's Cost from hourly series and the
// follow-ups.
func incidentCosts(ctx context.Context, st earshot.Store, d *Digest, fus []earshot.FollowUp) error {
	baseline := d.Previous.NegativeShare
	if d.Previous.Scored == 0 {
		baseline = d.Current.NegativeShare
	}
	for i := range d.Incidents {
		inc := &d.Incidents[i]
		c := Cost{Baseline: baseline}
		for _, f := range fus {
			if f.IncidentID == inc.ID {
				c.FollowUps++
				if !f.State.Final() {
					c.OpenFollowUps++
				}
			}
		}
		from := inc.StartedAt
		if from.Before(d.From) {
			from = d.From
		}
		if from.Before(d.To) {
			hours, err := st.Series(ctx, earshot.SeriesQuery{From: from.Truncate(time.Hour), To: d.To, Bucket: time.Hour, Watch: d.Watch})
			if err != nil {
				return fmt.Errorf("loading the hourly series of incident %s: %w", inc.ID, err)
			}
			stop := inc.StartedAt.Add(inc.Duration)
			for _, h := range hours {
				if h.Scored < minScoredHour || h.Start.After(stop) {
					continue
				}
				if share := float64(h.Negative) / float64(h.Scored); !c.Known || share > c.PeakNegativeShare {
					c.PeakNegativeShare, c.PeakAt, c.Known = share, h.Start, true
				}
			}
			if c.Known {
				for _, h := range hours {
					if !h.Start.After(c.PeakAt) || h.Scored < minScoredHour {
						continue
					}
					if float64(h.Negative)/float64(h.Scored) <= baseline+recoveryMargin {
						c.Recovered, c.RecoveredAt = true, h.Start.Add(time.Hour)
						c.TimeToRecover = c.RecoveredAt.Sub(inc.StartedAt)
						break
					}
				}
			}
		}
		inc.Cost = c
	}
	return nil
}

// recommend lists what to do, most pressing first.
func recommend(d Digest, fus []earshot.FollowUp) []Recommendation {
	var out []Recommendation
	for _, inc := range d.Incidents {
		if q := inc.Quiet; q != nil {
			if q.Quiet {
				out = append(out, Recommendation{RecommendQuietPeriod,
					fmt.Sprintf("After %s: %s", incidentName(inc), q.Action), strings.Join(q.Evidence, " ")})
			}
			continue
		}
		c := inc.Cost
		if !c.Known || c.PeakNegativeShare <= c.Baseline+recoveryMargin {
			continue
		}
		ev := fmt.Sprintf("Negative share peaked at %s (%s UTC) against a usual %s", percent(c.PeakNegativeShare), c.PeakAt.UTC().Format("Mon 2 Jan 15:04"), percent(c.Baseline))
		if c.Recovered {
			until := c.RecoveredAt.Add(quietAfter)
			ev += fmt.Sprintf(" and recovered %s after the incident began.", duration(c.TimeToRecover))
			if until.After(d.To) {
				out = append(out, Recommendation{RecommendQuietPeriod,
					fmt.Sprintf("Hold promotional posts and launches about %s until %s UTC.", incidentName(inc), until.UTC().Format("Mon 2 Jan 15:04")), ev})
			}
		} else {
			ev += " and had not recovered by the end of the period."
			out = append(out, Recommendation{RecommendQuietPeriod,
				fmt.Sprintf("Keep a quiet period (no promotional posts) while %s still weighs on sentiment.", incidentName(inc)), ev})
		}
	}
	var open []earshot.FollowUp
	for _, f := range fus {
		if !f.State.Final() && f.CreatedAt.Before(d.To) {
			open = append(open, f)
		}
	}
	if len(open) > 0 {
		overdue := 0
		for _, f := range open {
			if !f.Due.IsZero() && f.Due.Before(d.To) {
				overdue++
			}
		}
		out = append(out, Recommendation{RecommendFollowUps,
			fmt.Sprintf("Clear the %s support still has open.", plural(int64(len(open)), "follow-up")),
			fmt.Sprintf("%d open at the end of the period, %d past due; %d opened and %d resolved in the period.", len(open), overdue, d.FollowUps.Opened, d.FollowUps.Resolved)})
	}
	slices.SortStableFunc(open, func(a, b earshot.FollowUp) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(b.Author.Followers, a.Author.Followers), a.CreatedAt.Compare(b.CreatedAt))
	})
	called := 0
	for _, f := range open {
		who := or(f.Author.Handle, or(f.Author.Name, f.Author.ID))
		if who == "" || called == customersShown {
			continue // no one to call
		}
		called++
		out = append(out, Recommendation{RecommendCall,
			fmt.Sprintf("Call %s on %s.", who, f.Source),
			fmt.Sprintf("P%d, %s followers: %s", f.Priority, thousands(f.Author.Followers), oneLine(f.Reason, 200))})
	}
	for _, sp := range d.Unexplained {
		v := viewSpike(sp)
		out = append(out, Recommendation{RecommendInvestigate,
			fmt.Sprintf("Find out what drove the %s spike in %s on %s.", v.Metric, v.Scope, v.Started),
			fmt.Sprintf("Observed %s against an expected %s; no incident explains it.", v.Observed, v.Expected)})
	}
	return out
}
