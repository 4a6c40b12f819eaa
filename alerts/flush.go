package alerts

import (
	"maps"
	"sort"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// A group's flush runs as a list of stages, as Alertmanager's notification
// pipeline does: each stage narrows the alerts still in the running or acts
// on what the stages before it decided.

// stage is one step of a group's flush.
type stage func(d *Dispatcher, s *flushState)

// flushStages are the steps of every flush, in order.
var flushStages = []stage{
	gatherStage,       // the group's alerts still tracked
	quietDroppedStage, // alerts quiet hours dropped stay out
	unheardEndStage,   // the end of an alert nobody heard fire
	muteStage,         // silences and inhibitions
	quietHoursStage,   // quiet hours hold or drop the rest
	dedupeStage,       // what changed since the group was last notified
	notifyStage,       // the notification, if there is news or a repeat is due
	countStage,        // weekly counts of what was sent
	cooldownStage,     // the noise controls' memory of what was sent
	scheduleStage,     // when the group is due next
}

// flushState is what one flush of one group carries from stage to stage.
type flushState struct {
	g *group
	t time.Time
	// alerts are the group's alerts still in the running, by ID.
	alerts []candidate
	// quiet says whether the route's quiet hours hold at t: whether they
	// drop, which severities they let through, and when they end.
	quiet      bool
	quietDrop  bool
	letThrough map[string]bool
	quietUntil time.Time
	// held is set when quiet hours held an alert back.
	held bool
	// sent is each alert's fingerprint as this flush leaves it.
	sent map[string]string
	// show are the alerts the notification would carry; first, those
	// notified for the first time.
	show  []earshot.Alert
	first []*tracked
	// changed is set when show differs from what was last sent.
	changed bool
	// note is the notification, when notified is set.
	note     earshot.Notification
	notified bool
}

// candidate is an alert of the group as the flush sees it.
type candidate struct {
	id       string
	tr       *tracked
	resolved bool
	// prev is the alert's fingerprint as last notified; wasSent says
	// whether there is one.
	prev    string
	wasSent bool
}

// filter keeps the alerts keep says to.
func (s *flushState) filter(keep func(c candidate) bool) {
	out := s.alerts[:0]
	for _, c := range s.alerts {
		if keep(c) {
			out = append(out, c)
		}
	}
	s.alerts = out
}

// flushGroup decides what g sends at t, and when it is due next.
func (d *Dispatcher) flushGroup(g *group, t time.Time) (earshot.Notification, bool) {
	s := &flushState{g: g, t: t, sent: map[string]string{}}
	s.quiet, s.quietDrop, s.letThrough, s.quietUntil = g.route.quietAt(t)
	for _, run := range flushStages {
		run(d, s)
	}
	return s.note, s.notified
}

// gatherStage takes the group's alerts in ID order, forgetting those the
// dispatcher no longer tracks.
func gatherStage(d *Dispatcher, s *flushState) {
	for _, id := range sortedKeys(s.g.alerts) {
		tr := d.alerts[id]
		if tr == nil {
			delete(s.g.alerts, id)
			continue
		}
		prev, wasSent := s.g.sent[id]
		s.alerts = append(s.alerts, candidate{id: id, tr: tr, resolved: notify.Resolved(tr.alert, s.t), prev: prev, wasSent: wasSent})
	}
}

// quietDroppedStage leaves out the alerts quiet hours dropped, and
// forgets them once they are resolved.
func quietDroppedStage(d *Dispatcher, s *flushState) {
	s.filter(func(c candidate) bool {
		if !s.g.dropped[c.id] {
			return true
		}
		if c.resolved {
			d.detach(s.g, c.id)
		}
		return false
	})
}

// unheardEndStage forgets a resolved alert whose firing nobody heard (or
// whose end was already told): there is nothing to resolve.
func unheardEndStage(d *Dispatcher, s *flushState) {
	s.filter(func(c candidate) bool {
		if c.resolved && (!c.wasSent || c.prev == resolvedFP) {
			d.detach(s.g, c.id)
			return false
		}
		return true
	})
}

// muteStage leaves out the firing alerts a silence or an inhibition mutes.
func muteStage(d *Dispatcher, s *flushState) {
	s.filter(func(c candidate) bool {
		return c.resolved || !d.muted(c.tr, s.t)
	})
}

// quietHoursStage applies the route's quiet hours to the alerts whose
// severity they do not let through: a new one is dropped when the window
// drops, and anything else held (keeping what was last sent of it).
func quietHoursStage(_ *Dispatcher, s *flushState) {
	if !s.quiet {
		return
	}
	s.filter(func(c candidate) bool {
		if s.letThrough[c.tr.alert.Severity] {
			return true
		}
		if s.quietDrop && !c.wasSent {
			s.g.dropped[c.id] = true
			return false
		}
		s.held = true
		if c.wasSent {
			s.sent[c.id] = c.prev
		}
		return false
	})
}

// dedupeStage fingerprints the alerts left to show: the group changed when
// one differs from what was last sent, or when one sent before is gone.
func dedupeStage(_ *Dispatcher, s *flushState) {
	for _, c := range s.alerts {
		fp := fingerprint(c.tr.alert, c.resolved)
		s.sent[c.id] = fp
		s.show = append(s.show, c.tr.alert)
		if c.prev != fp {
			s.changed = true
		}
		if !c.resolved && !c.wasSent {
			s.first = append(s.first, c.tr)
		}
	}
	for id := range s.g.sent {
		if _, ok := s.sent[id]; !ok {
			s.changed = true
		}
	}
}

// notifyStage composes the notification when the group changed or, while
// something fires, when repeat_interval has passed since the last one; it
// forgets the alerts whose end it tells. A change that shows nothing (all
// muted or held) is remembered as not sent.
func notifyStage(d *Dispatcher, s *flushState) {
	g, r, t := s.g, s.g.route, s.t
	firing := 0
	for _, a := range s.show {
		if !notify.Resolved(a, t) {
			firing++
		}
	}
	repeat := firing > 0 && !g.lastSent.IsZero() && t.Sub(g.lastSent) >= r.repeat
	if len(s.show) == 0 || !(s.changed || repeat) {
		if s.changed {
			g.sent = s.sent
		}
		return
	}
	show := s.show
	sort.SliceStable(show, func(i, j int) bool {
		ri, rj := notify.Resolved(show[i], t), notify.Resolved(show[j], t)
		if ri != rj {
			return !ri
		}
		if !show[i].StartsAt.Equal(show[j].StartsAt) {
			return show[i].StartsAt.Before(show[j].StartsAt)
		}
		return show[i].ID < show[j].ID
	})
	s.note = earshot.Notification{Receiver: r.receiver, GroupKey: g.key, Labels: maps.Clone(g.labels), Alerts: show, At: t}
	s.notified = true
	g.lastSent = t
	g.sent = s.sent
	for id, fp := range s.sent {
		if fp == resolvedFP {
			d.detach(g, id)
		}
	}
}

// countStage adds what was sent to the weekly counts.
func countStage(d *Dispatcher, s *flushState) {
	if s.notified {
		d.count(s.t, s.g.route, s.note, s.first)
	}
}

// cooldownStage remembers, per watch and kind, the alerts notified for the
// first time, for the cooldown and new-wave controls.
func cooldownStage(d *Dispatcher, s *flushState) {
	if !s.notified {
		return
	}
	for _, tr := range s.first {
		if !tr.notified {
			tr.notified = true
			d.cool[coolKey{tr.labels["watch"], tr.alert.Kind}] = coolState{at: s.t, peak: tr.peak, metric: tr.alert.Metric, spikeID: tr.alert.SpikeID}
		}
	}
}

// scheduleStage forgets an empty group, or sets when it is due next: after
// group_interval, or sooner when quiet hours held something and end first.
func scheduleStage(d *Dispatcher, s *flushState) {
	g, t := s.g, s.t
	if len(g.alerts) == 0 {
		delete(d.groups, g.key)
		return
	}
	next := t.Add(g.route.groupInterval)
	if s.held && s.quietUntil.After(t) && s.quietUntil.Before(next) {
		next = s.quietUntil
	}
	g.next = next
}

const resolvedFP = "resolved"

// fingerprint is what, when it changes, makes an alert worth notifying
// again: firing or resolved, severity, incident.
func fingerprint(a earshot.Alert, resolved bool) string {
	if resolved {
		return resolvedFP
	}
	return "firing\x00" + a.Severity + "\x00" + a.IncidentID
}

// muted reports whether a silence or an inhibition mutes tr at t.
func (d *Dispatcher) muted(tr *tracked, t time.Time) bool {
	if d.silences.Mutes(tr.labels, t) {
		return true
	}
	for _, rule := range d.cfg.inhibit {
		if !rule.target.Matches(tr.labels) {
			continue
		}
		for _, src := range d.alerts {
			if src == tr || notify.Resolved(src.alert, t) || !rule.source.Matches(src.labels) {
				continue
			}
			same := true
			for _, l := range rule.equal {
				if src.labels[l] != tr.labels[l] {
					same = false
					break
				}
			}
			if same {
				return true
			}
		}
	}
	return false
}
