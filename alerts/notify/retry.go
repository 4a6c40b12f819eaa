package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/earshot/earshot"
)

// DeliveryRecorder keeps delivery attempts; earshot.AlertStore is one.
type DeliveryRecorder interface {
	SaveDelivery(ctx context.Context, d earshot.Delivery) error
}

// Retrier is a stage that retries a notifier on retryable failures with
// exponential backoff, honouring a Retry-After the notifier reports (see
// WithRetryAfter), and records every attempt as an earshot.Delivery. The
// zero value of each field but Notifier has a working default.
type Retrier struct {
	Notifier earshot.Notifier
	// Name names the integration ("slack", "email") in delivery IDs and
	// logs.
	Name string
	// Attempts is the most tries per notification; 0 means 5.
	Attempts int
	// MinBackoff is the first wait, doubled after each failure up to
	// MaxBackoff; 0 means 1s and 1m.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one
	// ends the retries (retry true). 0 means 5m.
	MaxRetryAfter time.Duration
	// Sleep waits d or until ctx is done; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now stamps deliveries; nil means time.Now.
	Now func() time.Time
	// Deliveries records each attempt; nil records nothing.
	Deliveries DeliveryRecorder
	// Logger gets a debug line per failed attempt and a warning when a
	// delivery cannot be recorded; nil discards.
	Logger *slog.Logger
}

var _ earshot.Notifier = (*Retrier)(nil)

// Notify tries r.Notifier until it succeeds, fails for good, or runs out
// of attempts, and returns the last outcome.
func (r *Retrier) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	attempts := r.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	minB, maxB := r.MinBackoff, r.MaxBackoff
	if minB <= 0 {
		minB = time.Second
	}
	if maxB <= 0 {
		maxB = time.Minute
	}
	if maxB < minB {
		maxB = minB
	}
	maxRA := r.MaxRetryAfter
	if maxRA <= 0 {
		maxRA = 5 * time.Minute
	}
	sleep := r.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	now := r.Now
	if now == nil {
		now = time.Now
	}
	log := r.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	backoff := minB
	var (
		retry bool
		err   error
	)
	for attempt := 1; attempt <= attempts; attempt++ {
		retry, err = r.Notifier.Notify(ctx, n)
		r.record(ctx, log, n, attempt, now(), err)
		if err == nil {
			return false, nil
		}
		log.Debug("delivery attempt failed", "integration", r.Name, "receiver", n.Receiver,
			"attempt", attempt, "retry", retry, "err", err.Error())
		if !retry || attempt == attempts {
			break
		}
		wait := backoff
		if ra, ok := RetryAfter(err); ok {
			if ra > maxRA {
				return true, fmt.Errorf("%w (asked to wait %s, more than %s)", err, ra, maxRA)
			}
			wait = max(wait, ra)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return false, fmt.Errorf("%w (gave up waiting: %v)", err, serr)
		}
		backoff = min(backoff*2, maxB)
	}
	return retry, err
}

func (r *Retrier) record(ctx context.Context, log *slog.Logger, n earshot.Notification, attempt int, at time.Time, err error) {
	if r.Deliveries == nil {
		return
	}
	d := earshot.Delivery{
		ID:       DeliveryID(r.Name, n, attempt),
		Receiver: n.Receiver,
		GroupKey: n.GroupKey,
		AlertIDs: AlertIDs(n),
		Attempt:  attempt,
		At:       at,
		OK:       err == nil,
	}
	if err != nil {
		d.Error = err.Error()
	}
	if serr := r.Deliveries.SaveDelivery(context.WithoutCancel(ctx), d); serr != nil {
		log.Warn("recording delivery", "integration", r.Name, "receiver", n.Receiver, "err", serr)
	}
}

// DeliveryID is stable for one attempt at one notification through one
// integration, so re-recording it replaces it.
func DeliveryID(integration string, n earshot.Notification, attempt int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d", integration, n.Receiver, n.GroupKey, n.At.UTC().Format(time.RFC3339Nano), attempt)
	return hex.EncodeToString(h.Sum(nil))[:24]
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fanout is a stage that sends each notification through every notifier
// in turn. It fails when any fails, joining the errors; retry is true when
// any failure may be retried. Wrap each member in a Retrier so a retry
// does not resend what already went through.
type Fanout []earshot.Notifier

var _ earshot.Notifier = Fanout(nil)

// Notify sends n through every member.
func (f Fanout) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	var (
		retry bool
		errs  []error
	)
	for _, m := range f {
		r, err := m.Notify(ctx, n)
		if err != nil {
			retry = retry || r
			errs = append(errs, err)
		}
	}
	return retry, errors.Join(errs...)
}
