package alerts

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/pagerduty"
	"github.com/earshot/earshot/alerts/notify/slack"
	"github.com/earshot/earshot/alerts/notify/webhook"
)

// Receivers sends each notification to the notifier of its receiver.
type Receivers map[string]earshot.Notifier

var _ earshot.Notifier = Receivers(nil)

// Notify hands n to the notifier named n.Receiver; an unknown receiver is
// an error not worth retrying.
func (rs Receivers) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	r, ok := rs[n.Receiver]
	if !ok {
		return false, fmt.Errorf("no receiver is named %q", n.Receiver)
	}
	return r.Notify(ctx, n)
}

// NotifierOptions are what building the notifiers takes.
type NotifierOptions struct {
	// Resolve turns secret references (env:NAME, file:PATH) into
	// secrets; nil takes every value literally. cmd/earshot passes
	// collectors.Secret's resolution.
	Resolve notify.ResolveFunc
	// Client is the HTTP client of the HTTP notifiers; nil means a
	// default one.
	Client *http.Client
	// Logger gets the notifiers' logs; nil discards.
	Logger *slog.Logger
	// Deliveries records every delivery attempt (an earshot.AlertStore
	// does); nil records nothing.
	Deliveries notify.DeliveryRecorder
	// Sleep waits between retries; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the wall clock (tests fake it): it stamps deliveries and
	// email Date headers and dates Retry-After. nil means time.Now. Replay
	// keeps it on the wall clock too.
	Now func() time.Time
	// Threads keeps Slack's message ts per episode, so updates edit or
	// answer the first message after a restart; nil keeps them in memory.
	Threads earshot.ThreadStore
}

// Notifiers builds each receiver's notifier: its integrations, each
// wrapped in a notify.Retrier, behind a notify.Fanout. It resolves the
// secrets; errors name the key, never a secret.
func (c Config) Notifiers(o NotifierOptions) (Receivers, error) {
	if _, err := c.validateReceivers(); err != nil {
		return nil, err
	}
	if err := c.Retry.validate(); err != nil {
		return nil, err
	}
	opts := notify.Options{Client: o.Client, Logger: o.Logger, Now: o.Now, Threads: o.Threads}
	out := Receivers{}
	for i, r := range c.Receivers {
		key := fmt.Sprintf("alerting.receivers[%d]", i)
		var fan notify.Fanout
		wrap := func(name string, n earshot.Notifier) {
			fan = append(fan, &notify.Retrier{
				Notifier: n, Name: name, Attempts: c.Retry.Attempts,
				MinBackoff: c.Retry.MinBackoff, MaxBackoff: c.Retry.MaxBackoff,
				Sleep: o.Sleep, Now: o.Now, Deliveries: o.Deliveries,
				Logger: opts.Log().With("receiver", r.Name, "integration", name),
			})
		}
		for j, sc := range r.Slack {
			k := fmt.Sprintf("%s.slack[%d]", key, j)
			sc, err := sc.ResolveSecrets(k, o.Resolve)
			if err != nil {
				return nil, err
			}
			n, err := slack.New(sc, opts)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			wrap(fmt.Sprintf("slack[%d]", j), n)
		}
		for j, wc := range r.Webhook {
			k := fmt.Sprintf("%s.webhook[%d]", key, j)
			wc, err := wc.ResolveSecrets(k, o.Resolve)
			if err != nil {
				return nil, err
			}
			n, err := webhook.New(wc, opts)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			wrap(fmt.Sprintf("webhook[%d]", j), n)
		}
		for j, ec := range r.Email {
			k := fmt.Sprintf("%s.email[%d]", key, j)
			ec, err := ec.ResolveSecrets(k, o.Resolve)
			if err != nil {
				return nil, err
			}
			n, err := email.New(ec, opts)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			wrap(fmt.Sprintf("email[%d]", j), n)
		}
		for j, pc := range r.PagerDuty {
			k := fmt.Sprintf("%s.pagerduty[%d]", key, j)
			pc, err := pc.ResolveSecrets(k, o.Resolve)
			if err != nil {
				return nil, err
			}
			n, err := pagerduty.New(pc, opts)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			wrap(fmt.Sprintf("pagerduty[%d]", j), n)
		}
		out[r.Name] = fan
	}
	return out, nil
}
