package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/dashboards/digest"
	"github.com/earshot/earshot/dashboards/digest/deliver"
	"github.com/earshot/earshot/internal/config"
)

// WriteDigest builds the digest opts asks for from st, its quiet periods
// as cfg sets them, and writes it on w with render, as `earshot digest`
// does.
func WriteDigest(ctx context.Context, cfg config.Config, st earshot.Store, opts digest.Options, render func(io.Writer, digest.Digest) error, w io.Writer) error {
	opts.Quiet = QuietAdvisor(cfg.WarRoom.QuietPeriod, st)
	d, err := digest.Build(ctx, st, opts)
	if err != nil {
		return fmt.Errorf("building the digest: %w", err)
	}
	bw := bufio.NewWriter(w)
	if err := render(bw, d); err != nil {
		return fmt.Errorf("writing the digest: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing the digest: %w", err)
	}
	return nil
}

// SendDigest sends job's digest for the period ending now to its
// recipients, as `earshot digest send --now` does, and lists on w what
// was sent.
func SendDigest(ctx context.Context, cfg config.Config, st earshot.Store, job *deliver.Job, log *slog.Logger, w io.Writer) error {
	sender := deliver.NewSender(st, log, nil)
	sender.Quiet = QuietAdvisor(cfg.WarRoom.QuietPeriod, st)
	sent, err := sender.Send(ctx, job, time.Now())
	deliver.WriteSent(w, sent)
	if err != nil {
		return fmt.Errorf("sending digest %s: %w", job.Name, err)
	}
	return nil
}
