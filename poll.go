package earshot

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"
)

// RetryAfter is implemented by errors that say how long a source asked us
// to wait (from Retry-After or a rate-limit reset header).
type RetryAfter interface {
	RetryAfter() time.Duration
}

// Poller runs one collector on an interval: it loads the collector's cursor,
// collects, hands the posts to Sink, and saves the new cursor only once the
// sink has taken them, so a restart resumes without gaps. Failures back off
// exponentially (with jitter) up to MaxBackoff; a rate limit waits at least
// as long as the source asked.
type Poller struct {
	Collector  Collector
	Cursors    CursorStore
	Sink       func(ctx context.Context, posts []Post) error
	Interval   time.Duration
	MaxBackoff time.Duration
	Log        *slog.Logger
	// Sleep waits for d or until ctx ends; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Run polls until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	if p.Interval <= 0 {
		p.Interval = 5 * time.Minute
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 30 * time.Minute
	}
	if p.Log == nil {
		p.Log = slog.New(slog.DiscardHandler)
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	failures := 0
	for ctx.Err() == nil {
		wait := p.Interval
		n, err := p.Once(ctx)
		switch {
		case err == nil || errors.Is(err, ErrNotModified):
			failures = 0
			p.Log.Debug("collected", "posts", n)
		case ctx.Err() != nil:
			return
		default:
			failures++
			wait = min(p.Interval<<min(failures, 10), p.MaxBackoff)
			wait = wait/2 + rand.N(wait/2+1)
			var ra RetryAfter
			if errors.As(err, &ra) && ra.RetryAfter() > wait {
				wait = ra.RetryAfter()
			}
			p.Log.Warn("collecting failed", "err", err, "retry_in", wait.Round(time.Second).String())
		}
		if p.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// Once runs one collection and returns how many posts it handed on.
func (p *Poller) Once(ctx context.Context) (int, error) {
	name := p.Collector.Name()
	cursor, err := p.Cursors.Cursor(ctx, name)
	if err != nil {
		return 0, errorf("loading cursor of %s: %w", name, err)
	}
	posts, next, err := p.Collector.Collect(ctx, cursor)
	if err != nil {
		return 0, err
	}
	if len(posts) > 0 {
		if err := p.Sink(ctx, posts); err != nil && !errors.Is(err, ErrRejected) {
			return 0, errorf("passing on posts of %s: %w", name, err)
		}
	}
	if next != cursor {
		if err := p.Cursors.SetCursor(ctx, name, next); err != nil {
			return len(posts), errorf("saving cursor of %s: %w", name, err)
		}
	}
	return len(posts), nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
