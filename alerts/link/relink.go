package link

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

// Relinked is a spike an incident now explains.
type Relinked struct {
	// Spike is the spike with IncidentID and LinkConfidence set, to save.
	Spike earshot.Spike
	Match Match
	// Alert is an AlertSpike that replaces the spike's earlier one (same
	// ID), saying the incident came late and is now linked; EndsAt is set
	// when the spike is already over.
	Alert earshot.Alert
}

// Relink links inc, newly opened or updated, to the spikes it now explains
// best: the spikes that began from Lead before it started to Lag after it
// was resolved (or until now, on the data's clock its latest change),
// not linked to it yet, whose best link it is (a spike linked to another
// incident keeps it unless inc scores 0.05 more). When a PostLinker is at
// hand, each such spike's posts are marked with inc's ID. Spikes come in
// the store's order. Calling Relink again with the same incident changes
// nothing.
//
// inc need not be stored yet: it is considered as given, in place of any
// stored version.
func (l *Linker) Relink(ctx context.Context, inc earshot.Incident) ([]Relinked, error) {
	if l.deps.Spikes == nil {
		return nil, errors.New("relinking: no spike store")
	}
	if inc.ID == "" || inc.StartedAt.IsZero() {
		return nil, nil
	}
	at := l.incidentTime(inc)
	from := inc.StartedAt.Add(-l.cfg.Lead)
	last := at
	if !inc.ResolvedAt.IsZero() {
		last = inc.ResolvedAt.Add(l.cfg.Lag)
	}
	spikes, err := l.deps.Spikes.Spikes(ctx, from, last.Add(time.Second))
	if err != nil {
		return nil, fmt.Errorf("listing spikes: %w", err)
	}
	var out []Relinked
	for _, s := range spikes {
		if s.IncidentID == inc.ID || s.Start.Before(from) || s.Start.After(last) {
			continue
		}
		seen := at
		if !s.End.IsZero() && s.End.Before(at) {
			seen = s.End
		}
		if t := s.Peak.Add(max(s.Bucket, 0)); seen.Before(t) {
			seen = t
		}
		ev, err := l.gather(ctx, s, seen)
		if err != nil {
			return out, err
		}
		incs, err := l.candidates(ctx, s, inc)
		if err != nil {
			return out, err
		}
		m := l.choose(ev, incs)
		if m.Incident.ID != inc.ID {
			continue
		}
		if err := l.markPosts(ctx, s, ev.end, inc.ID); err != nil {
			return out, err
		}
		s.IncidentID, s.LinkConfidence = inc.ID, m.Confidence
		ev.spike = s
		alerts := l.alerts(ev, m, false, at, l.lateness(s, inc))
		out = append(out, Relinked{Spike: s, Match: m, Alert: alerts[0]})
	}
	return out, nil
}

// lateness says when inc opened against the spike s.
func (l *Linker) lateness(s earshot.Spike, inc earshot.Incident) string {
	if d := inc.StartedAt.Sub(s.Start); d > 0 {
		return "opened " + duration(d) + " after the spike began"
	}
	return "open since " + l.clock(inc.StartedAt)
}

// incidentTime is when an incident change is looked at: the clock, or on
// the data's clock the incident's latest change.
func (l *Linker) incidentTime(inc earshot.Incident) time.Time {
	if l.deps.Now != nil {
		return l.deps.Now()
	}
	t := inc.StartedAt
	for _, c := range []time.Time{inc.UpdatedAt, inc.ResolvedAt} {
		if c.After(t) {
			t = c
		}
	}
	for _, u := range inc.Updates {
		if u.At.After(t) {
			t = u.At
		}
	}
	return t
}
