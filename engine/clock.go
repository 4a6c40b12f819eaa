package engine

import (
	"context"
	"fmt"
	"github.com/earshot/earshot/alerts"
	"time"

	"github.com/earshot/earshot"
)

// A Clock drives an engine: it says when the next Step is and what becomes
// of the notifications it returns. Drive runs an engine on one; Wall is
// serve's clock, Data the clock replay and the demo drive through history.
type Clock interface {
	// next waits for the next step and returns its time; ok is false when
	// the clock has run out (or ctx ended).
	next(ctx context.Context, e *Engine) (t time.Time, ok bool, err error)
	// done takes a step's notifications and error; an error it returns
	// stops Drive.
	done(ctx context.Context, e *Engine, t time.Time, notes []earshot.Notification, err error) error
	// stop ends what the clock started.
	stop()
}

// Drive steps e on c until c runs out or ctx ends. It returns the first
// error c does not take (Wall takes every error, logging it).
func (e *Engine) Drive(ctx context.Context, c Clock) error {
	defer c.stop()
	for {
		t, ok, err := c.next(ctx, e)
		if err != nil || !ok {
			return err
		}
		notes, err := e.step(ctx, t)
		if err := c.done(ctx, e, t, notes, err); err != nil {
			return err
		}
	}
}

// Run steps the engine on the wall clock until ctx ends (Drive with a Wall
// of that interval).
func (e *Engine) Run(ctx context.Context, interval time.Duration) {
	_ = e.Drive(ctx, &Wall{Interval: interval})
}

// Wake asks the Wall clock to step now rather than at its next tick: an
// incident was opened, updated or resolved (a webhook, the API, a status
// page), and a spike it explains should be linked, or an "unreported"
// alert answered, within seconds. Steps come at most one a second
// (wakeGap); Wake never blocks.
func (e *Engine) Wake() {
	select {
	case e.wake <- struct{}{}:
	default: // a wake is already pending
	}
}

// wakeGap is the least time between two steps Wake causes.
const wakeGap = time.Second

// Wall is the live clock (time.Now): a step every Interval (30s when 0),
// sooner when a notification group falls due, and soon after Wake.
// Notifications go to Config.Deliver on a queue per receiver, so a slow
// receiver delays only itself and never detection; a full queue drops the
// notification and logs it. Errors are logged, and the clock goes on.
type Wall struct {
	Interval time.Duration

	lastStep time.Time
	timer    *time.Timer
	queues   *alerts.Queues
}

func (w *Wall) next(ctx context.Context, e *Engine) (time.Time, bool, error) {
	if w.timer == nil {
		if w.Interval <= 0 {
			w.Interval = 30 * time.Second
		}
		w.queues = alerts.NewQueues(ctx, e.cfg.Deliver, 64, func(n earshot.Notification, err error) {
			e.log.Warn("delivering notification", "receiver", n.Receiver, "group_key", n.GroupKey, "err", err.Error())
		})
		w.timer = time.NewTimer(0)
	}
	for {
		select {
		case <-ctx.Done():
			return time.Time{}, false, nil
		case <-w.timer.C:
		case <-e.wake:
			if wait := wakeGap - time.Since(w.lastStep); wait > 0 {
				// Too soon after the last step: step once the gap is
				// over.
				w.timer.Reset(wait)
				continue
			}
		}
		w.lastStep = time.Now()
		return w.lastStep, true, nil
	}
}

func (w *Wall) done(ctx context.Context, e *Engine, _ time.Time, notes []earshot.Notification, err error) error {
	if err != nil && ctx.Err() == nil {
		e.log.Warn("running the alert engine", "err", err)
	}
	for _, n := range notes {
		if e.cfg.Deliver != nil && !w.queues.Put(n) {
			e.log.Warn("delivery queue full, notification dropped", "receiver", n.Receiver, "group_key", n.GroupKey)
		}
	}
	wait := w.Interval
	if next, ok := e.dispatcher.NextFlush(); ok {
		wait = min(max(time.Until(next), time.Second), w.Interval)
	}
	w.timer.Reset(wait)
	return nil
}

func (w *Wall) stop() {
	if w.queues != nil {
		w.queues.Close()
	}
	if w.timer != nil {
		w.timer.Stop()
	}
}

// IncidentAt is an incident as it became known at a time: opened, updated
// or resolved.
type IncidentAt struct {
	At       time.Time
	Incident earshot.Incident
}

// Data is the data's clock, for history (replay, the demo): a step at
// From, then every Step, while at or before To. Before each step it saves
// every incident of Incidents (in time order) known by then to Store and
// tells the engine (IncidentChanged); incidents after the last step are
// saved when the clock runs out. Each step delivers through
// Config.Deliver, as Step does, and hands its notifications to Notes; the
// first error stops the clock.
type Data struct {
	From, To  time.Time
	Step      time.Duration
	Incidents []IncidentAt
	Store     earshot.IncidentStore
	// Notes, when set, takes each step's notifications.
	Notes func(t time.Time, notes []earshot.Notification) error

	t     time.Time
	known int // Incidents saved so far
}

func (d *Data) next(ctx context.Context, e *Engine) (time.Time, bool, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, false, err
	}
	if d.t.IsZero() {
		d.t = d.From
	} else {
		d.t = d.t.Add(d.Step)
	}
	if d.t.After(d.To) {
		return time.Time{}, false, d.save(ctx, e, nil)
	}
	return d.t, true, d.save(ctx, e, &d.t)
}

// save saves the incidents known by t (all, when t is nil) and, for a
// step, tells the engine.
func (d *Data) save(ctx context.Context, e *Engine, t *time.Time) error {
	for ; d.known < len(d.Incidents) && (t == nil || !d.Incidents[d.known].At.After(*t)); d.known++ {
		inc := d.Incidents[d.known].Incident
		if err := d.Store.SaveIncident(ctx, inc); err != nil {
			return fmt.Errorf("storing incident %s: %w", inc.ID, err)
		}
		if t == nil {
			continue
		}
		if err := e.IncidentChanged(ctx, inc); err != nil {
			return err
		}
	}
	return nil
}

func (d *Data) done(ctx context.Context, e *Engine, t time.Time, notes []earshot.Notification, err error) error {
	e.deliver(ctx, notes)
	if err != nil {
		return err
	}
	if d.Notes != nil {
		return d.Notes(t, notes)
	}
	return nil
}

func (d *Data) stop() {}
