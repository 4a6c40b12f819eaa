package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/dashboards/digest/deliver"
	"github.com/earshot/earshot/dashboards/live"
	"github.com/earshot/earshot/dashboards/metrics"
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/inbound"
	"github.com/earshot/earshot/inbound/customerapi"
	"github.com/earshot/earshot/inbound/ingestapi"
	"github.com/earshot/earshot/inbound/publishapi"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/redact"
	"github.com/earshot/earshot/spool"
)

// NewServer builds what serve runs from cfg: every collector is built
// here, without touching the network, so a configuration mistake is
// reported before anything listens. version goes into the collectors'
// User-Agent.
func NewServer(cfg config.Config, log *slog.Logger, getenv func(string) string, version string) (*Server, error) {
	s := &Server{cfg: cfg, log: log, getenv: getenv}
	var err error
	if s.cols, err = buildCollectors(cfg, log, version); err != nil {
		return nil, err
	}
	if s.incidentCols, err = buildIncidentCollectors(cfg, log, version); err != nil {
		return nil, err
	}
	return s, nil
}

// Serve opens the store and the pipeline, starts the collectors, the
// engine, the follow-up flagger, the digests and the store's retention,
// and serves every route on ln until ctx ends; then it shuts down in order
// (see shutdown).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	cfg := s.cfg
	var err error
	if s.st, err = OpenStoreRetrying(ctx, cfg.Store, time.Minute, s.log); err != nil {
		return err
	}
	defer s.st.Close()
	s.log.Info("store open", "store", redact.DSN(cfg.Store))
	// What is saved through s.events is published to the live pages.
	s.hub, s.events = newLive(cfg.WarRoom, s.st)
	if err := s.openPipeline(ctx); err != nil {
		return err
	}
	if s.sp != nil {
		defer s.sp.Close()
	}
	handler, err := s.build()
	if err != nil {
		return err
	}

	collectCtx, stopCollecting := context.WithCancel(ctx)
	defer stopCollecting()
	s.startPollers(collectCtx, s.cols, s.incidentCols)
	// Detection, linking and alerting, on the wall clock.
	s.wg.Go(func() { _ = s.eng.Drive(collectCtx, &engine.Wall{}) })
	// Support's follow-up queue, every followups.interval.
	s.wg.Go(func() { s.flagger.Run(collectCtx) })
	// Scheduled digests, on the wall clock.
	s.wg.Go(func() { s.digests.Run(collectCtx) })
	// The posts stored, counted for the live pages.
	s.wg.Go(func() { s.events.Run(collectCtx, live.PostCountsEvery) })
	// The store's retention, if it has one: at start, then hourly.
	s.startRetention(collectCtx, s.reg.ObserveRetention)
	// Shutdown budget: a quarter for collectors and the engine to stop,
	// half for draining into the store, a quarter for requests in flight.
	pipeDone := make(chan error, 1)
	pipeCtx, stopPipe := context.WithCancel(context.WithoutCancel(ctx))
	go func() { pipeDone <- s.pipe.Run(pipeCtx, cfg.ShutdownTimeout/2) }()

	srv := NewHTTPServer(cfg.Server, handler)
	// Live pages' streams never end on their own: end them on shutdown.
	srv.RegisterOnShutdown(s.hub.Close)
	s.log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "collectors", len(s.cols), "watches", len(cfg.Watches))
	serveErrc := make(chan error, 1)
	go func() { serveErrc <- srv.Serve(ln) }()
	var serveErr error
	select {
	case err := <-serveErrc:
		serveErr = fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	return s.shutdown(ctx, srv, stopCollecting, stopPipe, pipeDone, serveErr)
}

// Server is what serve runs: the store, the pipeline and its spool, the
// engine and the parts around them, and the goroutines that collect.
type Server struct {
	cfg          config.Config
	cols         []collectorRun
	incidentCols []incidentRun
	log          *slog.Logger
	getenv       func(string) string
	st           earshot.Store
	sp           *spool.Spool
	pipe         *ingest.Pipeline
	eng          *engine.Engine
	flagger      *followup.Flagger
	digests      *deliver.Scheduler
	reg          *metrics.Registry
	// incidents wakes the engine on every incident saved.
	incidents inbound.Waking
	pollers   []*ingest.Poller
	wg        sync.WaitGroup

	// hub carries live events to the pages; events is the store
	// publishing to it what is saved through it.
	hub    *live.Hub
	events *live.Store
}

// openPipeline opens the spool (when configured) and the pipeline into the
// store, and takes back what a previous run left spooled.
func (s *Server) openPipeline(ctx context.Context) error {
	scorer, err := NewScorer(s.cfg, s.log)
	if err != nil {
		return err
	}
	popts := pipelineOptions(s.cfg, s.log)
	if dir := s.cfg.SpoolDir(); dir != "" {
		if s.sp, err = spool.Open(dir, spool.Options{MaxBytes: s.cfg.Spool.MaxBytes}); err != nil {
			return err
		}
		popts.Spool = s.sp
		ss := s.sp.SpoolStats()
		s.log.Info("spool open", "dir", dir, "records", ss.Records, "bytes", ss.Bytes, "torn_tails_cut", ss.TornTails)
	} else {
		s.log.Warn("no spool: posts waiting for the store are in memory only, and a crash loses them")
	}
	s.pipe = ingest.NewPipeline(s.events, scorer, s.cfg.Watches, popts)
	if n, err := s.pipe.Recover(ctx); err != nil {
		return err
	} else if n > 0 {
		s.log.Info("recovered spooled posts; storing them first", "posts", n)
	}
	return nil
}

// build makes the engine, the follow-up flagger and the digest scheduler,
// and returns the handler serving every route.
func (s *Server) build() (http.Handler, error) {
	cfg, log, st := s.cfg, s.log, s.st
	// One bucket per write credential, shared by every write route.
	writeLimit := auth.NewLimiter(cfg.Server.WriteRate, cfg.Server.WriteBurst)
	var pusher *ingestapi.Handler
	var err error
	if len(cfg.Ingest.Tokens) > 0 || cfg.Ingest.SigningSecret != "" {
		// A post is acknowledged (cursor saved, 2xx to a pusher) only once
		// Add returns nil: with a spool, once it is fsynced there.
		if pusher, err = ingestapi.New(cfg.Ingest, addTo(s.pipe), s.getenv, log.With("part", "ingest")); err != nil {
			return nil, &badinput.Error{Err: err}
		}
		pusher.Limit = writeLimit
	}
	// /metrics; its snapshot reads the pollers, filled in by startPollers.
	snapshot := func(ctx context.Context) (metrics.Snapshot, error) {
		return metrics.SnapshotFunc(s.pipe, s.sp, s.pollers, st)(ctx)
	}
	reg := metrics.New(snapshot)
	s.reg = reg
	if s.eng, err = newEngine(cfg, s.events, s.getenv, log, reg); err != nil {
		return nil, err
	}
	// An incident saved by a webhook, the API or a poller wakes the engine,
	// so the spike it explains is linked within seconds.
	s.incidents = inbound.Waking{IncidentStore: s.events, Wake: s.eng.Wake}
	incidentHandlers, err := incidentRoutes(cfg, s.incidents, s.events, writeLimit, s.getenv, log)
	if err != nil {
		return nil, &badinput.Error{Err: err}
	}
	if s.flagger, err = followup.Over(s.events, cfg.Followups, followup.Options{Log: log.With("part", "followups")}); err != nil {
		return nil, err
	}
	writeTokens, err := webTokens(cfg, s.getenv)
	if err != nil {
		return nil, err
	}
	readTokens, err := resolveTokens("web.read_tokens", cfg.Web.ReadTokens, s.getenv)
	if err != nil {
		return nil, err
	}
	if s.digests, err = digestScheduler(cfg, st, s.getenv, log, reg.ObserveDigest); err != nil {
		return nil, err
	}
	quiet := QuietAdvisor(cfg.WarRoom.QuietPeriod, st)
	publishAPI, publishPage, err := publishing(cfg, s.events, writeTokens, writeLimit, s.getenv, log.With("part", "publish"))
	if err != nil {
		return nil, &badinput.Error{Err: err}
	}

	mux := http.NewServeMux()
	mux.Handle("/", web.New(st, web.Options{Title: "Earshot", Log: log.With("part", "web"), WriteTokens: writeTokens, WriteLimit: writeLimit,
		Watches: watchNames(cfg.Watches), Silences: s.eng.SilenceStore(), Publish: publishPage,
		Publications: live.PublicationsOf(st), Quiet: quiet, GoingDark: cfg.WarRoom.GoingDark, Events: s.hub}))
	mux.Handle("GET /api/v1/events", s.hub)
	for path, h := range metrics.Routes(reg, snapshot, st) {
		mux.Handle(path, h)
	}
	if pusher != nil {
		mux.Handle("/api/v1/ingest", pusher)
	}
	for path, h := range incidentHandlers {
		mux.Handle(path, h)
	}
	for path, h := range s.eng.Routes(writeTokens) {
		mux.Handle(path, h)
	}
	for path, h := range deliver.Routes(st) {
		mux.Handle(path, h)
	}
	for _, path := range publishapi.Routes {
		mux.Handle(path, publishAPI)
	}
	for path, h := range customerapi.Routes(st, customerapi.Options{WriteTokens: writeTokens, Log: log.With("part", "customers")}) {
		mux.Handle(path, h)
	}
	// Every page and API needs a session or a token, and carries its user;
	// the write routes check their own credential. Go's cross-origin
	// protection refuses forged cross-site posts.
	sessionKey, err := sessionKey(cfg, s.getenv, log)
	if err != nil {
		return nil, err
	}
	sso, err := singleSignOn(cfg.Web.OIDC, s.getenv)
	if err != nil {
		return nil, err
	}
	gated := auth.Gate(mux, auth.GateOptions{
		Users:      &auth.Users{Store: st, SessionKey: sessionKey, SessionTTL: cfg.Web.SessionTTL},
		OIDC:       sso,
		ReadTokens: readTokens, WriteTokens: writeTokens, Public: cfg.Web.PublicPaths, Writes: writeRoutes,
		SignIn: auth.NewLimiter(1, 10), Log: log.With("part", "auth"),
	})
	h, err := auth.Protect(gated, cfg.Web.TrustedOrigins...)
	if err != nil {
		return nil, badinput.Errorf("web.trusted_origins: %v", err)
	}
	return h, nil
}

// startPollers starts a poller for every collector of posts (a limit per
// kind, so a shared quota is not hammered) and of incidents.
func (s *Server) startPollers(ctx context.Context, cols []collectorRun, incidentCols []incidentRun) {
	healthStore, _ := s.st.(earshot.HealthStore)
	sink := addTo(s.pipe)
	limits := map[string]chan struct{}{}
	for _, cr := range cols {
		if limits[cr.Kind] == nil {
			limits[cr.Kind] = make(chan struct{}, s.cfg.CollectorConcurrency)
		}
		p := &ingest.Poller{
			Collector: cr.C, Kind: cr.Kind, Cursors: s.st, Sink: sink, Interval: cr.Interval,
			Health: healthStore, Limit: limits[cr.Kind],
			Log: s.log.With("collector", cr.C.Name()),
		}
		s.pollers = append(s.pollers, p)
		s.wg.Go(func() { p.Run(ctx) })
	}
	for _, p := range incidentPollers(incidentCols, s.incidents, s.st, healthStore, s.log) {
		s.pollers = append(s.pollers, p)
		s.wg.Go(func() { p.Run(ctx) })
	}
}

// shutdown: from now on ingest answers 503 with Retry-After and
// collectors keep their cursor (refused, not lost); collectors stop, the
// pipeline drains into the store (what it does not take in time stays
// spooled), and last the server stops, giving requests in flight a grace.
func (s *Server) shutdown(ctx context.Context, srv *http.Server, stopCollecting, stopPipe func(), pipeDone <-chan error, serveErr error) error {
	grace := s.cfg.ShutdownTimeout / 4
	s.pipe.Close()
	stopCollecting()
	stopped := make(chan struct{})
	go func() { s.wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(grace):
		s.log.Warn("collectors or the engine did not stop in time; draining anyway")
	}
	stopPipe()
	if err := <-pipeDone; err != nil {
		return err
	}
	StopHTTP(srv, grace, s.log)
	st := s.pipe.Stats()
	s.log.Info("stopped", "stored", st.Stored, "duplicates", st.Duplicates, "rejected", st.Rejected, "dropped", st.Dropped, "refused", st.Refused, "left_spooled", st.Pending)
	return serveErr
}
