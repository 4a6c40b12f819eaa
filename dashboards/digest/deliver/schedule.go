package deliver

import (
	"context"
	"log/slog"
	"time"
)

// Scheduler fires each job at its schedule's times, one at a time, on an
// injected clock: tests drive Now and After, never sleeping.
type Scheduler struct {
	Jobs []*Job
	// Send sends one job for the period ending at its firing time.
	Send func(ctx context.Context, j *Job, at time.Time) error
	// Now and After are the clock; nil means time.Now and time.After.
	Now   func() time.Time
	After func(d time.Duration) <-chan time.Time
	Log   *slog.Logger
}

// Run fires the jobs until ctx is done. A firing missed while the process
// was busy is sent once, late; firings missed while it was down are not.
func (s *Scheduler) Run(ctx context.Context) {
	if len(s.Jobs) == 0 {
		return
	}
	now, after, log := s.Now, s.After, s.Log
	if now == nil {
		now = time.Now
	}
	if after == nil {
		after = time.After
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	next := make([]time.Time, len(s.Jobs))
	t0 := now()
	for i, j := range s.Jobs {
		next[i] = j.Next(t0)
	}
	for {
		soonest := next[0]
		for _, t := range next[1:] {
			if t.Before(soonest) {
				soonest = t
			}
		}
		if wait := soonest.Sub(now()); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-after(wait):
			}
		}
		if ctx.Err() != nil {
			return
		}
		t := now()
		for i, j := range s.Jobs {
			if next[i].After(t) {
				continue
			}
			at := next[i]
			if err := s.Send(ctx, j, at); err != nil {
				log.Warn("sending digest", "digest", j.Name, "err", err)
			} else {
				log.Info("digest sent", "digest", j.Name, "period_end", at)
			}
			next[i] = j.Next(now())
		}
	}
}
