package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors/push"
	"github.com/earshot/earshot/dashboards/metrics"
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

	cols, err := buildCollectors(cfg, log)
	if err != nil {
		return err
	}
	incidentCols, err := buildIncidentCollectors(cfg, log)
	if err != nil {
		return err
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

	scorer, err := newScorer(cfg, log)
	if err != nil {
		return err
	}
	pipe := earshot.NewPipeline(st, scorer, cfg.Watches, pipelineOptions(cfg, log))
	sink := func(ctx context.Context, posts []earshot.Post) error {
		// Posts the pipeline took stay buffered even when the store fails,
		// so only log here: the cursor may move on.
		if err := pipe.Add(ctx, posts...); err != nil {
			log.Warn("adding posts", "err", err)
		}
		return nil
	}

	var ingest http.Handler
	if len(cfg.Ingest.Tokens) > 0 || cfg.Ingest.SigningSecret != "" {
		if ingest, err = push.New(cfg.Ingest, addTo(pipe), e.getenv, log.With("part", "ingest")); err != nil {
			return usageError{err}
		}
	}
	// /metrics; its snapshot reads the pollers, filled in below.
	var pollers []*earshot.Poller
	snapshot := func(ctx context.Context) (metrics.Snapshot, error) { return snapshotFunc(pipe, pollers, st)(ctx) }
	reg := metrics.New(snapshot)
	eng, err := newEngine(cfg, st, e.getenv, log, reg)
	if err != nil {
		return err
	}
	// An incident saved by a webhook, the API or a poller wakes the engine,
	// so the spike it explains is linked within seconds.
	incidents := wakingIncidents{IncidentStore: st, wake: eng.Wake}
	incidentHandlers, err := incidentRoutes(cfg, incidents, e.getenv, log)
	if err != nil {
		return usageError{err}
	}
	flagger, err := newFlagger(st, cfg.Followups, log.With("part", "followups"))
	if err != nil {
		return err
	}
	writeTokens, err := webTokens(cfg, e.getenv)
	if err != nil {
		return err
	}
	digests, err := digestScheduler(cfg, st, e.getenv, log, reg.ObserveDigest)
	if err != nil {
		return err
	}

	collectCtx, stopCollecting := context.WithCancel(ctx)
	defer stopCollecting()
	var wg sync.WaitGroup
	healthStore, _ := st.(earshot.HealthStore)
	limits := map[string]chan struct{}{}
	for _, cr := range cols {
		if limits[cr.kind] == nil {
			limits[cr.kind] = make(chan struct{}, cfg.CollectorConcurrency)
		}
		p := &earshot.Poller{
			Collector: cr.c, Kind: cr.kind, Cursors: st, Sink: sink, Interval: cr.interval,
			Health: healthStore, Limit: limits[cr.kind],
			Log: log.With("collector", cr.c.Name()),
		}
		pollers = append(pollers, p)
		wg.Go(func() { p.Run(collectCtx) })
	}
	for _, p := range incidentPollers(incidentCols, incidents, st, healthStore, log) {
		pollers = append(pollers, p)
		wg.Go(func() { p.Run(collectCtx) })
	}
	// Detection, linking and alerting, on the wall clock.
	wg.Go(func() { eng.Run(collectCtx, 0) })
	// Support's follow-up queue, every followups.interval.
	wg.Go(func() { flagger.Run(collectCtx) })
	// Scheduled digests, on the wall clock.
	wg.Go(func() { digests.Run(collectCtx) })
	pipeDone := make(chan error, 1)
	pipeCtx, stopPipe := context.WithCancel(context.WithoutCancel(ctx))
	go func() { pipeDone <- pipe.Run(pipeCtx, 30*time.Second) }()

	mux := http.NewServeMux()
	mux.Handle("/", web.New(st, web.Options{Title: "Earshot", Log: log.With("part", "web"), WriteTokens: writeTokens}))
	for path, h := range opsRoutes(reg, snapshot, st) {
		mux.Handle(path, h)
	}
	if ingest != nil {
		mux.Handle("/api/v1/ingest", ingest)
	}
	for path, h := range incidentHandlers {
		mux.Handle(path, h)
	}
	for path, h := range alertRoutes(eng) {
		mux.Handle(path, h)
	}
	for path, h := range digestRoutes(st) {
		mux.Handle(path, h)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
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

func newLogger(e env, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: l}))
}
