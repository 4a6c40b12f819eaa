package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/all" // register every collector
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/internal/config"
)

func runServe(ctx context.Context, args []string, e env) error {
	fs := newFlags("serve", e.stderr)
	path := fs.String("config", "", "configuration file (see earshot.example.yaml); without it, defaults and EARSHOT_* variables")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	cfg, err := config.Load(*path, e.getenv)
	if err != nil {
		return usageError{err}
	}
	log := newLogger(e, cfg.LogLevel)

	// Build every collector before touching the store or the network, so
	// that a configuration mistake is reported at once.
	httpClient := &http.Client{Timeout: 60 * time.Second}
	var cols []collectorRun
	for i, cc := range cfg.Collectors {
		opts := cc.Options
		c, err := collectors.New(cc.Type, cc.Name, &opts, collectors.Deps{HTTP: httpClient, Log: log, UserAgent: "earshot/" + version})
		if err != nil {
			return usagef("collectors[%d]: %v", i, err)
		}
		cols = append(cols, collectorRun{c, cc.Interval})
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return usagef("listen: cannot listen on %s: %v", cfg.Listen, err)
	}
	defer ln.Close()

	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	log.Info("store open", "store", config.RedactDSN(cfg.Store))

	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	pipe := earshot.NewPipeline(st, scorer, cfg.Watches, earshot.PipelineOptions{
		BatchSize:     cfg.Pipeline.BatchSize,
		FlushInterval: cfg.Pipeline.FlushInterval,
		MaxTextBytes:  cfg.Pipeline.MaxTextBytes,
		DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		Log:           log.With("part", "pipeline"),
	})
	sink := func(ctx context.Context, posts []earshot.Post) error {
		// Posts the pipeline took stay buffered even when the store fails,
		// so only log here: the cursor may move on.
		if err := pipe.Add(ctx, posts...); err != nil {
			log.Warn("adding posts", "err", err)
		}
		return nil
	}

	collectCtx, stopCollecting := context.WithCancel(ctx)
	defer stopCollecting()
	var wg sync.WaitGroup
	for _, cr := range cols {
		p := &earshot.Poller{
			Collector: cr.c, Cursors: st, Sink: sink, Interval: cr.interval,
			Log: log.With("collector", cr.c.Name()),
		}
		wg.Go(func() { p.Run(collectCtx) })
	}
	pipeDone := make(chan error, 1)
	pipeCtx, stopPipe := context.WithCancel(context.WithoutCancel(ctx))
	go func() { pipeDone <- pipe.Run(pipeCtx, 30*time.Second) }()

	srv := &http.Server{
		Handler:           web.New(st, web.Options{Title: "Earshot", Log: log.With("part", "web")}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "collectors", len(cols), "watches", len(cfg.Watches))
	serveErr := serveUntilDone(ctx, srv, ln)

	// Shutdown: stop collecting, then drain the pipeline into the store.
	stopCollecting()
	wg.Wait()
	stopPipe()
	if err := <-pipeDone; err != nil {
		return err
	}
	s := pipe.Stats()
	log.Info("stopped", "stored", s.Stored, "duplicates", s.Duplicates, "rejected", s.Rejected, "dropped", s.Dropped)
	return serveErr
}

type collectorRun struct {
	c        earshot.Collector
	interval time.Duration
}

func newLogger(e env, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: l}))
}
