package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/dashboards/digest/deliver"
	"github.com/earshot/earshot/internal/config"
)

// digestJobs validates the config's digests and resolves their secrets
// (env:NAME, file:PATH).
func digestJobs(cfg config.Config, getenv func(string) string) ([]*deliver.Job, error) {
	jobs, err := deliver.Jobs("digests", cfg.Digests)
	if err != nil {
		return nil, usageError{err}
	}
	resolve := notify.ResolveFunc(func(ref string) (string, error) { return collectors.Secret(ref).Resolve(getenv) })
	for i, j := range jobs {
		if jobs[i], err = j.ResolveSecrets(fmt.Sprintf("digests[%d]", i), resolve); err != nil {
			return nil, usageError{err}
		}
	}
	return jobs, nil
}

// newDigestSender sends digests from st, keeping them and their delivery
// attempts there when the store can; observe is told of each outcome.
func newDigestSender(st earshot.Store, log *slog.Logger, observe func(name string, ok bool)) *deliver.Sender {
	s := &deliver.Sender{Store: st, Options: notify.Options{Logger: log}, Observe: observe}
	if ds, ok := st.(earshot.DigestStore); ok {
		s.Digests = ds
	}
	if as, ok := st.(earshot.AlertStore); ok {
		s.Deliveries = as
	}
	return s
}

// digestScheduler fires the configured digests on the wall clock.
func digestScheduler(cfg config.Config, st earshot.Store, getenv func(string) string, log *slog.Logger, observe func(string, bool)) (*deliver.Scheduler, error) {
	jobs, err := digestJobs(cfg, getenv)
	if err != nil {
		return nil, err
	}
	log = log.With("part", "digests")
	sender := newDigestSender(st, log, observe)
	sender.Quiet = quietAdvisor(cfg.WarRoom.QuietPeriod, st)
	return &deliver.Scheduler{Jobs: jobs, Log: log, Send: func(ctx context.Context, j *deliver.Job, at time.Time) error {
		_, err := sender.Send(ctx, j, at)
		return err
	}}, nil
}

// digestRoutes serve the digests sent, when the store keeps them.
func digestRoutes(st earshot.Store) map[string]http.Handler {
	ds, ok := st.(earshot.DigestStore)
	if !ok {
		return nil
	}
	h := deliver.Handler{Store: ds}
	return map[string]http.Handler{"/digests": h, "/digests/": h}
}

const digestSendUsage = "Usage: earshot digest send --now NAME --config FILE [--store DSN]\n\n" +
	"Sends the configured digest NAME to its recipients now, for the period ending\n" +
	"now, and keeps it for /digests.\n\nFlags:"

// runDigestSend is `earshot digest send --now NAME`: the configured digest
// NAME, for the period ending now, sent to its recipients at once.
func runDigestSend(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("digest send", digestSendUsage, e)
	name := fs.String("now", "", "the digest to send now (its name under digests: in the config)")
	path := fs.String("config", "", "configuration file with the digests: section")
	store := fs.String("store", "", "store address (default: $EARSHOT_STORE or the config's)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usagef("digest send: give --now NAME")
	}
	cfg, err := loadConfig(*path, *store, e)
	if err != nil {
		return err
	}
	jobs, err := digestJobs(cfg, e.getenv)
	if err != nil {
		return err
	}
	var job *deliver.Job
	var names []string
	for _, j := range jobs {
		names = append(names, j.Name)
		if j.Name == *name {
			job = j
		}
	}
	if job == nil {
		return usagef("digest send: no digest is named %q (configured: %s)", *name, strings.Join(names, ", "))
	}
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	sender := newDigestSender(st, newLogger(e, cfg.LogLevel), nil)
	sender.Quiet = quietAdvisor(cfg.WarRoom.QuietPeriod, st)
	sent, err := sender.Send(ctx, job, time.Now())
	for _, sd := range sent {
		status := "sent"
		if !sd.OK {
			status = "not delivered to every recipient"
		}
		fmt.Fprintf(e.stdout, "%s: %s to %s (%s)\n", sd.ID, status, strings.Join(sd.Recipients, ", "), sd.Subject)
	}
	if err != nil {
		return fmt.Errorf("sending digest %s: %w", *name, err)
	}
	return nil
}
