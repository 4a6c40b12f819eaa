package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
)

// goingDark raises a going-dark alert for each open incident nothing was
// published about for Config.GoingDark, and ends those whose silence an
// update broke or whose incident was resolved. e.mu is held.
func (e *Engine) goingDark(ctx context.Context) error {
	incs, err := e.store.ActiveIncidents(ctx, e.now)
	if err != nil {
		return fmt.Errorf("listing open incidents: %w", err)
	}
	var errs []error
	open := map[string]bool{}
	for _, inc := range incs {
		open[inc.ID] = true
		var pubs []earshot.Publication
		if e.cfg.Publications != nil {
			if pubs, err = e.cfg.Publications.Publications(ctx, inc.ID); err != nil {
				errs = append(errs, fmt.Errorf("listing the publications of incident %s: %w", inc.ID, err))
				continue
			}
		}
		a, firing := alerts.GoingDark(inc, pubs, e.now, e.cfg.GoingDark, e.cfg.AllWatch)
		old, tracked := e.dark[inc.ID]
		if tracked && old.ID != a.ID {
			// An update broke the silence.
			e.endDark(ctx, old, alerts.LastPublicUpdate(inc, pubs), &errs)
			tracked = false
		}
		if firing && !tracked {
			e.dark[inc.ID] = a
			if err := e.raiseDark(ctx, a); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for id, old := range e.dark {
		if open[id] {
			continue
		}
		end := e.now
		inc, err := e.store.Incident(ctx, id)
		if err != nil && !errors.Is(err, earshot.ErrNotFound) {
			errs = append(errs, fmt.Errorf("reading incident %s: %w", id, err))
			continue
		}
		if err == nil && !inc.ResolvedAt.IsZero() && inc.ResolvedAt.Before(end) {
			end = inc.ResolvedAt
		}
		e.endDark(ctx, old, end, &errs)
	}
	return errors.Join(errs...)
}

// endDark ends a going-dark alert at end (not before it started).
func (e *Engine) endDark(ctx context.Context, a earshot.Alert, end time.Time, errs *[]error) {
	delete(e.dark, a.IncidentID)
	if end.Before(a.StartsAt) {
		end = a.StartsAt
	}
	a.EndsAt, a.At = end, e.now
	if err := e.raiseDark(ctx, a); err != nil {
		*errs = append(*errs, err)
	}
}

// raiseDark adds a going-dark alert to the dispatcher and keeps it.
func (e *Engine) raiseDark(ctx context.Context, a earshot.Alert) error {
	switch e.dispatcher.Add(a, nil) {
	case alerts.Admitted, alerts.Updated, alerts.Resolving:
		e.stats.Alerts++
		if err := e.alerts.SaveAlert(ctx, a); err != nil {
			return fmt.Errorf("saving alert %s: %w", a.ID, err)
		}
	}
	return nil
}
