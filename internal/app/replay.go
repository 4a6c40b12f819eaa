package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/engine/replay"
	"github.com/earshot/earshot/ingest/importfile"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/store/duckdb"
)

// ReplayOptions are a replay's files (every one but Posts optional) and
// how it runs.
type ReplayOptions struct {
	Posts, Incidents, Silences, Truth string
	// Deliver delivers the notifications through the configured
	// receivers; otherwise they are only printed.
	Deliver bool
	// Learn is the history the detectors learn from first.
	Learn time.Duration
	// Out takes the messages; Stderr rejected lines, progress (when
	// Progress) and the summaries.
	Out, Stderr io.Writer
	Progress    bool
	Log         *slog.Logger
	Getenv      func(string) string
}

// Replay runs the history in o's files through cfg's watches, pipeline
// and alerting (replay.Run) on an in-memory store, scoring with the
// sentiment model. A file that cannot be read, a bad line in it or a bad
// receiver is a replay.BadInput.
func Replay(ctx context.Context, cfg config.Config, o ReplayOptions) error {
	ro := replay.Options{Watches: cfg.Watches, MaxTextBytes: cfg.Pipeline.MaxTextBytes, DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		Alerting: &cfg.Alerting, Learn: o.Learn, PostsName: o.Posts, Out: o.Out, Stderr: o.Stderr, Progress: o.Progress,
		Log: o.Log}
	var err error
	if ro.Incidents, err = replay.ReadIncidents(o.Incidents); err != nil {
		return err
	}
	if ro.Silences, err = replay.ReadSilences(o.Silences); err != nil {
		return err
	}
	if ro.Truth, err = replay.ReadTruth(o.Truth); err != nil {
		return err
	}
	posts, err := os.Open(o.Posts)
	if err != nil {
		return replay.BadInput{Err: fmt.Errorf("cannot read %s: %v", o.Posts, errors.Unwrap(err))}
	}
	defer posts.Close()
	ro.ReadPosts = func(add func(earshot.Post) error) error {
		return importfile.ReadJSONLines(bufio.NewReaderSize(posts, 1<<20), add, func(line int, reason string) {
			if o.Progress {
				fmt.Fprint(o.Stderr, "\r\x1b[K")
			}
			fmt.Fprintf(o.Stderr, "%s:%d: rejected: %s\n", o.Posts, line, reason)
		})
	}

	st, err := duckdb.Open(ctx, ":memory:")
	if err != nil {
		return fmt.Errorf("opening the in-memory store: %w", err)
	}
	defer st.Close()
	if ro.Scorer, err = sentiment.New(); err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	ro.Store, ro.Alerts = st, st
	if o.Deliver {
		if ro.Deliver, err = cfg.Alerting.Notifiers(alerts.NotifierOptions{
			Resolve:    func(ref string) (string, error) { return collectors.Secret(ref).Resolve(o.Getenv) },
			Deliveries: ro.Alerts,
			Logger:     ro.Log.With("part", "notify"),
			Threads:    threadStoreOf(st),
		}); err != nil {
			return replay.BadInput{Err: err}
		}
	}
	return replay.Run(ctx, ro)
}
