package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// Poller runs one collector on an interval: it loads the collector's cursor,
// collects, hands the posts to Sink, and saves the new cursor only once the
// sink has taken them, so a restart resumes without gaps. A sink that
// refuses with ErrBusy pauses the collector for the wait it gives, with
// its cursor unchanged. Failures back off
// exponentially (with jitter) up to MaxBackoff; a rate limit waits at least
// as long as the source asked.
//
// With a HealthStore it records the collector's health after every run, and
// a Gap when a run fails after a success: the gap opens at the last success
// and is marked filled by the next successful run, which resumes from the
// saved cursor.
type Poller struct {
	Collector earshot.Collector
	// Kind is the collector's type, for health and metrics.
	Kind       string
	Cursors    earshot.CursorStore
	Sink       func(ctx context.Context, posts []earshot.Post) error
	Health     earshot.HealthStore
	Interval   time.Duration
	MaxBackoff time.Duration
	// Limit, when set, bounds how many collectors sharing it run at once
	// (one per source kind keeps a shared quota from being hammered).
	Limit chan struct{}
	Log   *slog.Logger
	Now   func() time.Time
	// Sleep waits for d or until ctx ends; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	health earshot.SourceHealth
	gap    *earshot.Gap
	recent []postCount // posts per run in the last hour
}

type postCount struct {
	at time.Time
	n  int
}

func (p *Poller) defaults() {
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
	if p.Now == nil {
		p.Now = time.Now
	}
}

// Run polls until ctx ends: at once, then every Interval give or take a
// tenth (so collectors started together drift apart), or later on failure.
func (p *Poller) Run(ctx context.Context) {
	p.defaults()
	failures := 0
	for ctx.Err() == nil {
		wait := p.Interval - p.Interval/10 + rand.N(p.Interval/5+1)
		n, err := p.Once(ctx)
		switch {
		case err == nil || errors.Is(err, earshot.ErrNotModified):
			failures = 0
			p.Log.Debug("collected", "posts", n)
		case ctx.Err() != nil:
			return
		case errors.Is(err, earshot.ErrBusy):
			// The pipeline is full: the cursor did not move, so wait as
			// asked and collect the same posts again, no backoff growing.
			var ra earshot.RetryAfter
			if errors.As(err, &ra) {
				wait = ra.RetryAfter()
			}
			p.Log.Info("collecting paused: pipeline busy", "err", err, "retry_in", wait.String())
		default:
			failures++
			wait = min(p.Interval<<min(failures, 10), p.MaxBackoff)
			wait = wait/2 + rand.N(wait/2+1)
			var ra earshot.RetryAfter
			if errors.As(err, &ra) && ra.RetryAfter() > wait {
				wait = ra.RetryAfter()
			}
			p.Log.Warn("collecting failed", "err", err, "retry_in", wait.Round(time.Second).String())
		}
		p.recordBackoff(ctx, wait)
		if p.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// Once runs one collection and returns how many posts it handed on.
func (p *Poller) Once(ctx context.Context) (int, error) {
	p.defaults()
	if p.Limit != nil {
		select {
		case p.Limit <- struct{}{}:
			defer func() { <-p.Limit }()
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	n, err := p.collect(ctx)
	if ctx.Err() == nil {
		p.record(ctx, n, err)
	}
	return n, err
}

func (p *Poller) collect(ctx context.Context) (int, error) {
	name := p.Collector.Name()
	cursor, err := p.Cursors.Cursor(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("loading cursor of %s: %w", name, err)
	}
	posts, next, cerr := p.Collector.Collect(ctx, cursor)
	if cerr != nil && len(posts) == 0 {
		return 0, cerr
	}
	// Posts that came with an error are partial progress: keep them and
	// their cursor, then report the error so the poller backs off.
	if len(posts) > 0 {
		if err := p.Sink(ctx, posts); err != nil && !errors.Is(err, earshot.ErrRejected) {
			return 0, fmt.Errorf("passing on posts of %s: %w", name, err)
		}
	}
	if next != cursor && next != "" {
		if err := p.Cursors.SetCursor(ctx, name, next); err != nil {
			return len(posts), fmt.Errorf("saving cursor of %s: %w", name, err)
		}
	}
	return len(posts), cerr
}

// HealthNow returns the collector's health as of its last run.
func (p *Poller) HealthNow() earshot.SourceHealth {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.health
}

// record updates health and gaps after a run, and stores them.
func (p *Poller) record(ctx context.Context, n int, err error) {
	now := p.Now().UTC()
	p.mu.Lock()
	h := &p.health
	h.Collector, h.Kind = p.Collector.Name(), p.Kind
	h.LastRun, h.UpdatedAt = now, now
	p.recent = append(p.recent, postCount{now, n})
	keep := p.recent[:0]
	var lastHour int64
	for _, c := range p.recent {
		if now.Sub(c.at) < time.Hour {
			keep = append(keep, c)
			lastHour += int64(c.n)
		}
	}
	p.recent = keep
	h.PostsLastHour = lastHour

	var gapToSave *earshot.Gap
	if errors.Is(err, earshot.ErrBusy) {
		// Paused with the cursor kept: nothing is missed, so no failure
		// and no gap; the reason shows as the last error.
		h.LastError, h.LastErrorAt = err.Error(), now
	} else if err == nil || errors.Is(err, earshot.ErrNotModified) {
		h.LastSuccess, h.Failures = now, 0
		if p.gap != nil {
			p.gap.To, p.gap.FilledAt = now, now
			gapToSave, p.gap = p.gap, nil
		}
	} else {
		h.LastError, h.LastErrorAt = err.Error(), now
		h.Failures++
		if p.gap == nil {
			from := h.LastSuccess
			if from.IsZero() {
				from = now
			}
			p.gap = &earshot.Gap{ID: h.Collector + "@" + strconv.FormatInt(from.UnixNano(), 10), Collector: h.Collector, From: from}
		}
		p.gap.Reason = err.Error()
		gapToSave = p.gap
	}
	health := *h
	var gap earshot.Gap
	if gapToSave != nil {
		gap = *gapToSave
	}
	p.mu.Unlock()

	if p.Health == nil {
		return
	}
	if err := p.Health.SaveHealth(ctx, health); err != nil {
		p.Log.Warn("saving collector health", "err", err)
	}
	if gapToSave != nil {
		if err := p.Health.SaveGap(ctx, gap); err != nil {
			p.Log.Warn("saving collector gap", "err", err)
		}
	}
}

func (p *Poller) recordBackoff(ctx context.Context, wait time.Duration) {
	p.mu.Lock()
	p.health.Backoff = 0
	if p.health.Failures > 0 {
		p.health.Backoff = wait
	}
	health := p.health
	p.mu.Unlock()
	if p.Health != nil && health.Collector != "" {
		if err := p.Health.SaveHealth(ctx, health); err != nil {
			p.Log.Warn("saving collector health", "err", err)
		}
	}
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
