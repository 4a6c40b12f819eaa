package main

import (
	"context"
	"errors"
	"time"

	"github.com/earshot/earshot/engine/replay"
	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/cli"
	"github.com/earshot/earshot/internal/config"
)

func runReplay(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("replay", e)
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
	return replayError(app.Replay(ctx, cfg, app.ReplayOptions{Posts: *postsPath, Incidents: *incPath, Silences: *silPath,
		Truth: *truthPath, Deliver: *deliver, Learn: *learn, Out: e.stdout, Stderr: e.stderr, Progress: cli.IsTerminal(e.stderr),
		Log: newLogger(e, "warn"), Getenv: e.getenv}))
}

// replayError makes replay's bad input a usage error (exit code 2).
func replayError(err error) error {
	if bad := (replay.BadInput{}); errors.As(err, &bad) {
		return usageError{bad}
	}
	return err
}
