package deliver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/internal/badinput"
)

// ResolvedJobs validates the digests configured at key and resolves their
// secrets (env:NAME, file:PATH) with resolve. Every error is the
// configuration's: a *badinput.Error naming the entry.
func ResolvedJobs(key string, cs []Config, resolve notify.ResolveFunc) ([]*Job, error) {
	jobs, err := Jobs(key, cs)
	if err != nil {
		return nil, &badinput.Error{Err: err}
	}
	for i, j := range jobs {
		if jobs[i], err = j.ResolveSecrets(fmt.Sprintf("%s[%d]", key, i), resolve); err != nil {
			return nil, &badinput.Error{Err: err}
		}
	}
	return jobs, nil
}

// Named returns the job of jobs named name; none is a *badinput.Error
// that lists the names configured.
func Named(jobs []*Job, name string) (*Job, error) {
	var names []string
	for _, j := range jobs {
		if j.Name == name {
			return j, nil
		}
		names = append(names, j.Name)
	}
	return nil, badinput.Errorf("no digest is named %q (configured: %s)", name, strings.Join(names, ", "))
}

// NewSender sends digests from st, keeping them and their delivery
// attempts there when the store can; observe, when not nil, is told of
// each outcome.
func NewSender(st earshot.Store, log *slog.Logger, observe func(name string, ok bool)) *Sender {
	s := &Sender{Store: st, Options: notify.Options{Logger: log}, Observe: observe}
	if ds, ok := st.(earshot.DigestStore); ok {
		s.Digests = ds
	}
	if as, ok := st.(earshot.AlertStore); ok {
		s.Deliveries = as
	}
	return s
}

// NewScheduler fires jobs on the wall clock, each sent by sender.
func NewScheduler(jobs []*Job, sender *Sender, log *slog.Logger) *Scheduler {
	return &Scheduler{Jobs: jobs, Log: log, Send: func(ctx context.Context, j *Job, at time.Time) error {
		_, err := sender.Send(ctx, j, at)
		return err
	}}
}

// Routes serve the digests sent at /digests, when the store keeps them.
func Routes(st earshot.Store) map[string]http.Handler {
	ds, ok := st.(earshot.DigestStore)
	if !ok {
		return nil
	}
	h := Handler{Store: ds}
	return map[string]http.Handler{"/digests": h, "/digests/": h}
}

// WriteSent says, a line each, to whom each digest of sent went, or that it
// did not reach every recipient.
func WriteSent(w io.Writer, sent []earshot.SentDigest) {
	for _, sd := range sent {
		status := "sent"
		if !sd.OK {
			status = "not delivered to every recipient"
		}
		fmt.Fprintf(w, "%s: %s to %s (%s)\n", sd.ID, status, strings.Join(sd.Recipients, ", "), sd.Subject)
	}
}
