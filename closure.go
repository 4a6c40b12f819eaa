package earshot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrClosureRefused: an incident cannot be closed for comms yet (customers
// still wait, or sentiment has not recovered) and nobody allowed to
// override did so.
var ErrClosureRefused = errors.New("closing refused")

// ErrForbidden: the user's role does not allow the action.
var ErrForbidden = errors.New("not allowed for this role")

// Closure records an incident closed for comms: the public story is over
// and every unhappy customer has been dealt with. It is distinct from the
// service being resolved (Incident.ResolvedAt), which comes first.
type Closure struct {
	At time.Time `json:"at"`
	// By is the name of the user who closed it.
	By string `json:"by"`
	// Override is an admin's reason for closing while closure was refused;
	// empty when nothing stood in the way.
	Override string `json:"override,omitempty"`
	// Overridden are the refusals the admin overrode, in words, as they
	// stood at closing.
	Overridden []string `json:"overridden,omitempty"`
}

// Recovery compares the negative share of an incident's watches in a
// recent window (Since) with the baseline before the incident.
type Recovery struct {
	BaselineFrom time.Time `json:"baseline_from"`
	BaselineTo   time.Time `json:"baseline_to"`
	// BaselineScored and BaselineNegative count the scored and the
	// negative posts of the baseline window.
	BaselineScored   int64     `json:"baseline_scored"`
	BaselineNegative int64     `json:"baseline_negative"`
	SinceFrom        time.Time `json:"since_from"`
	SinceTo          time.Time `json:"since_to"`
	SinceScored      int64     `json:"since_scored"`
	SinceNegative    int64     `json:"since_negative"`
}

func share(neg, scored int64) float64 {
	if scored == 0 {
		return 0
	}
	return float64(neg) / float64(scored)
}

// BaselineShare is the negative share before the incident (0 without
// scored posts).
func (r Recovery) BaselineShare() float64 { return share(r.BaselineNegative, r.BaselineScored) }

// SinceShare is the negative share of the recent window (0 without scored
// posts).
func (r Recovery) SinceShare() float64 { return share(r.SinceNegative, r.SinceScored) }

// Recovered reports whether the recent negative share is at or below the
// baseline. A recent window with no scored post has nothing unhappy in it.
func (r Recovery) Recovered() bool {
	return r.SinceScored == 0 || r.SinceShare() <= r.BaselineShare()
}

// FollowUpCounts counts an incident's follow-ups by state.
type FollowUpCounts struct {
	Open      int `json:"open"`
	Assigned  int `json:"assigned"`
	Contacted int `json:"contacted"`
	Resolved  int `json:"resolved"`
	Dismissed int `json:"dismissed"`
}

// Add counts one follow-up in state st.
func (c *FollowUpCounts) Add(st FollowUpState) {
	switch st {
	case FollowUpOpen:
		c.Open++
	case FollowUpAssigned:
		c.Assigned++
	case FollowUpContacted:
		c.Contacted++
	case FollowUpResolved:
		c.Resolved++
	case FollowUpDismissed:
		c.Dismissed++
	}
}

// Waiting counts the follow-ups not yet resolved or dismissed.
func (c FollowUpCounts) Waiting() int { return c.Open + c.Assigned + c.Contacted }

// Total counts every follow-up.
func (c FollowUpCounts) Total() int { return c.Waiting() + c.Resolved + c.Dismissed }

// ClosureCheck is what deciding on closing an incident for comms needs.
type ClosureCheck struct {
	// ServiceOngoing: the incident is not resolved yet; comms closes after
	// the service is back.
	ServiceOngoing bool           `json:"service_ongoing"`
	FollowUps      FollowUpCounts `json:"followups"`
	Recovery       Recovery       `json:"recovery"`
}

// Refusals says, in words with the numbers, what stands in the way of
// closing; none when closing is allowed.
func (c ClosureCheck) Refusals() []string {
	var out []string
	if c.ServiceOngoing {
		out = append(out, "the service is not resolved yet: resolve the incident first")
	}
	if n := c.FollowUps.Waiting(); n > 0 {
		out = append(out, fmt.Sprintf("%d follow-up(s) still waiting (%d open, %d assigned, %d contacted): resolve or dismiss them first",
			n, c.FollowUps.Open, c.FollowUps.Assigned, c.FollowUps.Contacted))
	}
	if r := c.Recovery; !r.Recovered() {
		out = append(out, fmt.Sprintf("negative share is %s (%d of %d scored posts since %s), above the baseline of %s (%d of %d before the incident)",
			Percent(r.SinceShare()), r.SinceNegative, r.SinceScored, r.SinceFrom.UTC().Format("Jan 2 15:04 UTC"),
			Percent(r.BaselineShare()), r.BaselineNegative, r.BaselineScored))
	}
	return out
}

// Percent formats a share in [0, 1] as a percentage with one decimal.
func Percent(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// Close returns inc closed for comms by u at at, or an error: wrapping
// ErrForbidden when u may not run incidents (or overrides without being an
// admin), ErrInvalidTransition when it is closed already, or
// ErrClosureRefused, naming the reasons, when the check refuses and no
// override reason is given. An override reason is recorded, with the
// refusals it overrode.
func (inc Incident) Close(c ClosureCheck, u User, override string, at time.Time) (Incident, error) {
	override = strings.TrimSpace(override)
	switch {
	case !u.CanRunIncidents():
		return inc, fmt.Errorf("closing incident %s: %s (role %s): %w; comms or an admin can", inc.ID, u.Name, u.Role, ErrForbidden)
	case inc.Closure != nil:
		return inc, fmt.Errorf("incident %s was closed already, by %s at %s: %w", inc.ID, inc.Closure.By, inc.Closure.At.UTC().Format(time.RFC3339), ErrInvalidTransition)
	case override != "" && !u.IsAdmin():
		return inc, fmt.Errorf("closing incident %s: only an admin can override: %w", inc.ID, ErrForbidden)
	}
	refusals := c.Refusals()
	if len(refusals) > 0 && override == "" {
		return inc, fmt.Errorf("closing incident %s: %s: %w", inc.ID, strings.Join(refusals, "; "), ErrClosureRefused)
	}
	cl := &Closure{At: at.UTC(), By: u.Name}
	if len(refusals) > 0 {
		cl.Override, cl.Overridden = override, refusals
	}
	inc.Closure = cl
	inc.UpdatedAt = at.UTC()
	return inc, nil
}

// SeriesReader is what Recovery.Count reads: a subset of Store.
type SeriesReader interface {
	Series(ctx context.Context, q SeriesQuery) ([]Bucket, error)
}

// Count sets r's counts: the scored and the negative posts of its two
// windows, summed over the daily series of each of watches ("" for every
// post). A window that is empty (From not before To) counts none.
func (r *Recovery) Count(ctx context.Context, src SeriesReader, watches []string) error {
	count := func(from, to time.Time) (scored, neg int64, err error) {
		if !from.Before(to) {
			return 0, 0, nil
		}
		for _, w := range watches {
			bs, err := src.Series(ctx, SeriesQuery{From: from, To: to, Bucket: 24 * time.Hour, Watch: w})
			if err != nil {
				return 0, 0, fmt.Errorf("reading the negative share: %w", err)
			}
			for _, b := range bs {
				scored += b.Scored
				neg += b.Negative
			}
		}
		return scored, neg, nil
	}
	var err error
	if r.BaselineScored, r.BaselineNegative, err = count(r.BaselineFrom, r.BaselineTo); err != nil {
		return err
	}
	r.SinceScored, r.SinceNegative, err = count(r.SinceFrom, r.SinceTo)
	return err
}

// ClosureSource is what CheckClosure reads: a subset of Store.
type ClosureSource interface {
	SeriesReader
	FollowUps(ctx context.Context, states ...FollowUpState) ([]FollowUp, error)
}

// Closure windows: the baseline is the week before the incident started;
// the recent window runs from the incident's resolution (its start while
// unresolved) to now, at most its last day.
const (
	BaselineWindow = 7 * 24 * time.Hour
	RecentWindow   = 24 * time.Hour
)

// RecoveryWindows returns the baseline and recent windows of inc at now.
func RecoveryWindows(inc Incident, now time.Time) (baseFrom, baseTo, sinceFrom, sinceTo time.Time) {
	baseTo = inc.StartedAt.UTC()
	baseFrom = baseTo.Add(-BaselineWindow)
	sinceTo = now.UTC()
	sinceFrom = inc.StartedAt.UTC()
	if !inc.ResolvedAt.IsZero() {
		sinceFrom = inc.ResolvedAt.UTC()
	}
	if early := sinceTo.Add(-RecentWindow); sinceFrom.Before(early) {
		sinceFrom = early
	}
	if sinceFrom.After(sinceTo) {
		sinceFrom = sinceTo
	}
	return baseFrom, baseTo, sinceFrom, sinceTo
}

// CheckClosure gathers the check for closing inc at now: its follow-ups
// (those linked to it) and the negative share of its watches (of every
// post when it names none).
func CheckClosure(ctx context.Context, src ClosureSource, inc Incident, now time.Time) (ClosureCheck, []FollowUp, error) {
	c := ClosureCheck{ServiceOngoing: inc.ResolvedAt.IsZero()}
	all, err := src.FollowUps(ctx)
	if err != nil {
		return c, nil, fmt.Errorf("reading follow-ups: %w", err)
	}
	var fs []FollowUp
	for _, f := range all {
		if f.IncidentID == inc.ID {
			fs = append(fs, f)
			c.FollowUps.Add(f.State)
		}
	}
	r := &c.Recovery
	r.BaselineFrom, r.BaselineTo, r.SinceFrom, r.SinceTo = RecoveryWindows(inc, now)
	watches := inc.Watches
	if len(watches) == 0 {
		watches = []string{""}
	}
	if err := r.Count(ctx, src, watches); err != nil {
		return c, fs, err
	}
	return c, fs, nil
}
