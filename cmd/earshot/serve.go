package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors/push"
	"github.com/earshot/earshot/dashboards/metrics"
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/spool"
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

	st, err := openStoreRetrying(ctx, cfg.Store, time.Minute, log)
	if err != nil {
		return err
	}
	defer st.Close()
	log.Info("store open", "store", config.RedactDSN(cfg.Store))

	scorer, err := newScorer(cfg, log)
	if err != nil {
		return err
	}
	popts := pipelineOptions(cfg, log)
	var sp *spool.Spool
	if dir := cfg.SpoolDir(); dir != "" {
		if sp, err = spool.Open(dir, spool.Options{MaxBytes: cfg.Spool.MaxBytes}); err != nil {
			return err
		}
		defer sp.Close()
		popts.Spool = sp
		ss := sp.SpoolStats()
		log.Info("spool open", "dir", dir, "records", ss.Records, "bytes", ss.Bytes, "torn_tails_cut", ss.TornTails)
	} else {
		log.Warn("no spool: posts waiting for the store are in memory only, and a crash loses them")
	}
	pipe := ingest.NewPipeline(st, scorer, cfg.Watches, popts)
	if n, err := pipe.Recover(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("recovered spooled posts; storing them first", "posts", n)
	}
	// A post is acknowledged (cursor saved, 2xx to a pusher) only once Add
	// returns nil: with a spool, once it is fsynced there.
	sink := addTo(pipe)

	// One bucket per write credential, shared by every write route.
	writeLimit := auth.NewLimiter(cfg.Server.WriteRate, cfg.Server.WriteBurst)
	var pusher *push.Handler
	if len(cfg.Ingest.Tokens) > 0 || cfg.Ingest.SigningSecret != "" {
		if pusher, err = push.New(cfg.Ingest, addTo(pipe), e.getenv, log.With("part", "ingest")); err != nil {
			return usageError{err}
		}
		pusher.Limit = writeLimit
	}
	// /metrics; its snapshot reads the pollers, filled in below.
	var pollers []*ingest.Poller
	snapshot := func(ctx context.Context) (metrics.Snapshot, error) { return snapshotFunc(pipe, sp, pollers, st)(ctx) }
	reg := metrics.New(snapshot)
	eng, err := newEngine(cfg, st, e.getenv, log, reg)
	if err != nil {
		return err
	}
	// An incident saved by a webhook, the API or a poller wakes the engine,
	// so the spike it explains is linked within seconds.
	incidents := wakingIncidents{IncidentStore: st, wake: eng.Wake}
	incidentHandlers, err := incidentRoutes(cfg, incidents, writeLimit, e.getenv, log)
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
	readTokens, err := resolveTokens("web.read_tokens", cfg.Web.ReadTokens, e.getenv)
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
		p := &ingest.Poller{
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
	// Shutdown budget: a quarter for collectors and the engine to stop,
	// half for draining into the store, a quarter for requests in flight.
	grace := cfg.ShutdownTimeout / 4
	pipeDone := make(chan error, 1)
	pipeCtx, stopPipe := context.WithCancel(context.WithoutCancel(ctx))
	go func() { pipeDone <- pipe.Run(pipeCtx, cfg.ShutdownTimeout/2) }()

	mux := http.NewServeMux()
	mux.Handle("/", web.New(st, web.Options{Title: "Earshot", Log: log.With("part", "web"), WriteTokens: writeTokens, WriteLimit: writeLimit,
		Watches: watchNames(cfg.Watches), Silences: eng.SilenceStore()}))
	for path, h := range opsRoutes(reg, snapshot, st) {
		mux.Handle(path, h)
	}
	if pusher != nil {
		mux.Handle("/api/v1/ingest", pusher)
	}
	for path, h := range incidentHandlers {
		mux.Handle(path, h)
	}
	for path, h := range alertRoutes(eng, writeTokens) {
		mux.Handle(path, h)
	}
	for path, h := range digestRoutes(st) {
		mux.Handle(path, h)
	}
	// Reading needs a read token when web.read_tokens is set (a write
	// token of the dashboard reads too); the write routes check their own.
	handler := auth.RequireRead(mux, auth.ReadOptions{
		Tokens: append(readTokens, writeTokens...), Public: cfg.Web.PublicPaths, Writes: writeRoutes,
		SignIn: auth.NewLimiter(1, 10), Log: log.With("part", "auth"),
	})
	srv := newHTTPServer(cfg.Server, handler)
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "collectors", len(cols), "watches", len(cfg.Watches))
	serveErrc := make(chan error, 1)
	go func() { serveErrc <- srv.Serve(ln) }()
	var serveErr error
	select {
	case err := <-serveErrc:
		serveErr = fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}

	// Shutdown: from now on ingest answers 503 with Retry-After and
	// collectors keep their cursor (refused, not lost); collectors stop,
	// the pipeline drains into the store (what it does not take in time
	// stays spooled), and last the server stops, giving requests in
	// flight a grace.
	pipe.Close()
	stopCollecting()
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(grace):
		log.Warn("collectors or the engine did not stop in time; draining anyway")
	}
	stopPipe()
	if err := <-pipeDone; err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) && serveErr == nil {
		serveErr = fmt.Errorf("shutting down: %w", err)
	}
	s := pipe.Stats()
	log.Info("stopped", "stored", s.Stored, "duplicates", s.Duplicates, "rejected", s.Rejected, "dropped", s.Dropped, "refused", s.Refused, "left_spooled", s.Pending)
	return serveErr
}

// openStoreRetrying opens the store, retrying for up to patience when it
// does not answer (a store restarting, or hanging, as earshot restarts);
// a bad DSN fails at once.
func openStoreRetrying(ctx context.Context, dsn string, patience time.Duration, log *slog.Logger) (earshot.Store, error) {
	deadline := time.Now().Add(patience)
	wait := 500 * time.Millisecond
	for {
		st, err := openStore(ctx, dsn)
		var u usageError
		if err == nil || errors.As(err, &u) || time.Now().Add(wait).After(deadline) {
			return st, err
		}
		log.Warn("store not answering; retrying", "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(2*wait, 8*time.Second)
	}
}

// writeRoutes are the routes that check a write credential of their own
// (before reading a body), which reading's check lets through.
var writeRoutes = []string{
	"POST /api/v1/ingest",
	"POST /hooks/pagerduty",
	"POST /hooks/opsgenie",
	"POST /api/v1/incidents",
	"POST /api/v1/incidents/{id}/updates",
	"POST /api/v1/incidents/{id}/resolve",
	"POST /api/followups/{id}/move",
}

// newHTTPServer is the server serve and demo listen with: timeouts on
// every phase of a request and bounded headers, so a slow or hostile
// client cannot hold connections or memory.
func newHTTPServer(c config.Server, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    c.MaxHeaderBytes,
	}
}

func newLogger(e env, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: l}))
}
