package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/engine/replay"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/store/duckdb"
)

// allWatch is the watch every post belongs to when replay has no
// configuration (or one with no watch).
const allWatch = replay.AllWatch

func runReplay(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("replay", helpText("replay"), e)
	postsPath := fs.String("posts", "", "posts in the import format, JSON lines (required)")
	incPath := fs.String("incidents", "", `incidents, JSON lines {"id","title","services":[...],"watches":[...],"started_at","resolved_at"}`)
	cfgPath := fs.String("config", "", "configuration file: its watches, pipeline and alerting sections are used")
	deliver := fs.Bool("deliver", false, "deliver notifications through the configured receivers (default: only print them)")
	silPath := fs.String("silences", "", `silences, JSON lines {"matchers":[...],"starts_at","ends_at" (or "duration"),"created_by","comment"}`)
	truthPath := fs.String("truth", "", `what really happened, JSON lines {"start","end","kind"}: prints latency, precision and messages per episode on stderr`)
	learn := fs.Duration("learn", 7*24*time.Hour, "history the detectors learn from before anything may alert (at most half the data)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *postsPath == "" {
		return usagef("--posts FILE is required")
	}
	if *learn < 0 {
		return usagef("--learn %v: must not be negative", *learn)
	}
	cfg := config.Default()
	if *cfgPath != "" {
		var err error
		if cfg, err = config.Load(*cfgPath, e.getenv); err != nil {
			return usageError{err}
		}
	}
	o := replay.Options{Watches: cfg.Watches, MaxTextBytes: cfg.Pipeline.MaxTextBytes, DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		Alerting: &cfg.Alerting, Learn: *learn, PostsName: *postsPath, Out: e.stdout, Stderr: e.stderr, Progress: isTerminal(e.stderr),
		Log: newLogger(e, "warn")}
	var err error
	if o.Incidents, err = replay.ReadIncidents(*incPath); err != nil {
		return replayError(err)
	}
	if o.Silences, err = replay.ReadSilences(*silPath); err != nil {
		return replayError(err)
	}
	if o.Truth, err = replay.ReadTruth(*truthPath); err != nil {
		return replayError(err)
	}
	posts, err := os.Open(*postsPath)
	if err != nil {
		return usagef("cannot read %s: %v", *postsPath, errors.Unwrap(err))
	}
	defer posts.Close()
	o.ReadPosts = func(add func(earshot.Post) error) error {
		return readJSONLines(bufio.NewReaderSize(posts, 1<<20), add, func(line int, reason string) {
			if o.Progress {
				fmt.Fprint(e.stderr, "\r\x1b[K")
			}
			fmt.Fprintf(e.stderr, "%s:%d: rejected: %s\n", *postsPath, line, reason)
		})
	}

	st, err := duckdb.Open(ctx, ":memory:")
	if err != nil {
		return fmt.Errorf("opening the in-memory store: %w", err)
	}
	defer st.Close()
	if o.Scorer, err = sentiment.New(); err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	o.Store, o.Alerts = st, st
	if *deliver {
		if o.Deliver, err = cfg.Alerting.Notifiers(alerts.NotifierOptions{
			Resolve:    func(ref string) (string, error) { return collectors.Secret(ref).Resolve(e.getenv) },
			Deliveries: o.Alerts,
			Logger:     o.Log.With("part", "notify"),
			Threads:    threadStoreOf(st),
		}); err != nil {
			return usageError{err}
		}
	}
	return replayError(replay.Run(ctx, o))
}

// replayError makes replay's bad input a usage error (exit code 2).
func replayError(err error) error {
	if bad := (replay.BadInput{}); errors.As(err, &bad) {
		return usageError{bad}
	}
	return err
}
