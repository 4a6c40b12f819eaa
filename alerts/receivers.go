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
		add := func(name string, n earshot.Notifier) {
			fan = append(fan, &notify.Retrier{
				Notifier: n, Name: name, Attempts: c.Retry.Attempts,
				MinBackoff: c.Retry.MinBackoff, MaxBackoff: c.Retry.MaxBackoff,
				Sleep: o.Sleep, Now: o.Now, Deliveries: o.Deliveries,
				Logger: opts.Log().With("receiver", r.Name, "integration", name),
			})
		}
		for _, in := range integrations {
			if err := in.build(r, key, o.Resolve, opts, add); err != nil {
				return nil, err
			}
		}
		out[r.Name] = fan
	}
	return out, nil
}

// integration is one kind of receiver integration (slack, webhook, ...):
// how its configs in a receiver are validated and built.
type integration struct {
	// validate checks the receiver's configs of this kind; key is the
	// receiver's.
	validate func(r Receiver, key string) error
	// build resolves the secrets of the receiver's configs of this kind,
	// builds their notifiers and hands each to add with its name
	// ("slack[0]").
	build func(r Receiver, key string, resolve notify.ResolveFunc, opts notify.Options, add func(name string, n earshot.Notifier)) error
}

// integrations are the kinds a receiver may have, in the order they are
// validated and built.
var integrations = []integration{
	integrationOf("slack", func(r Receiver) []slack.Config { return r.Slack }, slack.New),
	integrationOf("webhook", func(r Receiver) []webhook.Config { return r.Webhook }, webhook.New),
	integrationOf("email", func(r Receiver) []email.Config { return r.Email }, email.New),
	integrationOf("pagerduty", func(r Receiver) []pagerduty.Config { return r.PagerDuty }, pagerduty.New),
}

// integrationConfig is what a notifier's config offers.
type integrationConfig[C any] interface {
	Validate(key string) error
	ResolveSecrets(key string, resolve notify.ResolveFunc) (C, error)
}

// integrationOf is the integration named name, whose configs a receiver
// holds in configs and whose notifiers newNotifier builds.
func integrationOf[C integrationConfig[C], N earshot.Notifier](name string, configs func(Receiver) []C,
	newNotifier func(C, notify.Options) (N, error)) integration {
	return integration{
		validate: func(r Receiver, key string) error {
			for j, c := range configs(r) {
				if err := c.Validate(fmt.Sprintf("%s.%s[%d]", key, name, j)); err != nil {
					return err
				}
			}
			return nil
		},
		build: func(r Receiver, key string, resolve notify.ResolveFunc, opts notify.Options, add func(string, earshot.Notifier)) error {
			for j, c := range configs(r) {
				k := fmt.Sprintf("%s.%s[%d]", key, name, j)
				c, err := c.ResolveSecrets(k, resolve)
				if err != nil {
					return err
				}
				n, err := newNotifier(c, opts)
				if err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
				add(fmt.Sprintf("%s[%d]", name, j), n)
			}
			return nil
		},
	}
}
