package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/demo"
)

func runDemo(ctx context.Context, args []string, e env) error {
	fs := newFlags("demo", e.stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the dashboard on")
	store := fs.String("store", "duckdb://:memory:", "store to fill (duckdb:///path/demo.duckdb keeps it)")
	days := fs.Int("days", 14, "days of history to generate")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same scenario")
	scale := fs.Float64("scale", 1, "volume multiplier")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: earshot demo [flags]\n\nGenerates two weeks of posts about an invented brand, Acme Cloud, with an\noutage along the way, runs them through the real pipeline into the store and\nserves the dashboard. Needs no network and no configuration.\n\nFlags:")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *days < 1 || *days > 90 {
		return usagef("-days %d: give 1 to 90", *days)
	}
	if *scale <= 0 || *scale > 20 {
		return usagef("-scale %g: give a number above 0 and at most 20", *scale)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("cannot listen on %s: %v (pick another with -addr)", *addr, err)
	}
	defer ln.Close()

	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := openStore(ctx, *store)
	if err != nil {
		return err
	}
	defer st.Close()

	start := time.Now()
	end := start.UTC().Truncate(time.Minute)
	sc := demo.Generate(demo.Options{End: end, Days: *days, Seed: *seed, Scale: *scale})
	fmt.Fprintf(e.stderr, "earshot demo: generated %d posts over %d days and %d incident(s) for %q\n",
		len(sc.Posts), *days, len(sc.Incidents), sc.Watches[0].Name)

	if err := populateDemo(ctx, st, sc, end, *days, e, log); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "earshot demo: ready in %s\n", time.Since(start).Round(10*time.Millisecond))

	srv := newHTTPServer(config.Default().Server, web.New(st, web.Options{Title: "Earshot demo: Acme Cloud", Log: log, WriteTokens: []string{demoToken},
		Watches: watchNames(sc.Watches), Silences: silenceStoreOf(st)}))
	fmt.Fprintf(e.stderr, "earshot demo: support queue at http://%s/support; the demo's write token is %q, e.g.\n"+
		"  curl -H 'Authorization: Bearer %s' -d '{\"to\":\"assigned\",\"assignee\":\"sam\"}' http://%s/api/followups/ID/move\n",
		ln.Addr(), demoToken, demoToken, ln.Addr())
	fmt.Fprintf(e.stderr, "earshot demo: dashboard at http://%s/  (JSON API under /api/; Ctrl-C stops)\n", ln.Addr())
	return serveUntilDone(ctx, srv, ln)
}

// populateDemo runs the scenario ending at end into st as the demo shows
// it: posts through the pipeline, detection and linking on the scenario's
// clock, then the follow-up queue.
func populateDemo(ctx context.Context, st earshot.Store, sc demo.Scenario, end time.Time, days int, e env, log *slog.Logger) error {
	start := time.Now()
	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	if err := fill(ctx, st, scorer, sc, e); err != nil {
		return err
	}
	// Detection, linking and alerting over the whole scenario, on its own
	// clock, as replay does: incidents become known as they were opened
	// and updated, so the outage's spike is first a possible unreported
	// incident, then linked.
	es, err := detectDemo(ctx, st, sc, end.Add(-time.Duration(days)*24*time.Hour), end, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "earshot demo: %d spike events, %d alerts routed (%s)\n", es.SpikeEvents, es.Notifications, time.Since(start).Round(10*time.Millisecond))
	// Flag the customers support should reach, stepping through the
	// scenario as serve would have live.
	flagger, err := newFlagger(st, followup.DefaultConfig(), log)
	if err != nil {
		return err
	}
	fst, err := flagger.Replay(ctx, end.Add(-time.Duration(days)*24*time.Hour), end, 6*time.Hour)
	if err != nil {
		return fmt.Errorf("flagging follow-ups: %w", err)
	}
	fmt.Fprintf(e.stderr, "earshot demo: flagged %d customers to follow up (%s)\n", fst.Opened, time.Since(start).Round(10*time.Millisecond))
	return nil
}

// fill runs the scenario through the pipeline into st, with progress.
func fill(ctx context.Context, st earshot.Store, scorer earshot.Scorer, sc demo.Scenario, e env) error {
	p := ingest.NewPipeline(st, scorer, sc.Watches, ingest.PipelineOptions{BatchSize: 2000, DropUnmatched: true})
	const step = 2000
	for i := 0; i < len(sc.Posts); i += step {
		if err := p.Add(ctx, sc.Posts[i:min(i+step, len(sc.Posts))]...); err != nil {
			return fmt.Errorf("storing demo posts: %w", err)
		}
		fmt.Fprintf(e.stderr, "\rearshot demo: storing posts %3d%%", 100*min(i+step, len(sc.Posts))/len(sc.Posts))
	}
	if err := p.Flush(ctx); err != nil {
		return fmt.Errorf("storing demo posts: %w", err)
	}
	s := p.Stats()
	fmt.Fprintf(e.stderr, "\rearshot demo: stored %d posts (%d matched no watch, %d duplicates, %d rejected)\n", s.Stored, s.Unmatched, s.Duplicates, s.Rejected)
	return nil
}

// detectDemo steps the engine through [from, to] in detection buckets,
// telling it of each incident as of each of its updates.
func detectDemo(ctx context.Context, st earshot.Store, sc demo.Scenario, from, to time.Time, log *slog.Logger) (engine.Stats, error) {
	const bucket, lag = 5 * time.Minute, 2 * time.Minute
	warm := min(7*24*time.Hour, to.Sub(from)/2).Truncate(bucket)
	cfg := engine.Config{
		Store: st, Watches: sc.Watches, Series: engine.NewSeriesCache(st), ManualIncidents: true,
		Monitor: spikes.MonitorOptions{Bucket: bucket, Lag: lag, History: warm + 2*bucket},
		Log:     log,
	}
	lister, okL := st.(earshot.PostLister)
	linker, okK := st.(earshot.PostLinker)
	if okL && okK {
		// The linker asks for the same baseline posts at every event of a
		// spike; the cache answers the repeats.
		cache := &engine.PostsCache{Lister: lister, Linker: linker}
		cfg.Posts, cfg.PostLinker = cache, cache
	}
	eng, err := engine.New(cfg)
	if err != nil {
		return engine.Stats{}, fmt.Errorf("starting the engine: %w", err)
	}
	clock := &engine.Data{From: from.Truncate(bucket).Add(warm + bucket + lag), To: to.Add(bucket), Step: bucket,
		Incidents: incidentVersions(sc.Incidents), Store: st}
	if err := eng.Drive(ctx, clock); err != nil {
		return engine.Stats{}, fmt.Errorf("detecting spikes: %w", err)
	}
	return eng.Stats(), nil
}

// incidentVersions returns each incident as it stood after each of its
// updates (as opened, when it has none), in time order.
func incidentVersions(incidents []earshot.Incident) []engine.IncidentAt {
	var out []engine.IncidentAt
	for _, inc := range incidents {
		if len(inc.Updates) == 0 {
			out = append(out, engine.IncidentAt{At: inc.StartedAt, Incident: inc})
			continue
		}
		for i, u := range inc.Updates {
			v := inc
			v.Updates = slices.Clone(inc.Updates[:i+1])
			v.Status, v.UpdatedAt = u.Status, u.At
			if u.Status != earshot.Resolved {
				v.ResolvedAt = time.Time{}
			}
			out = append(out, engine.IncidentAt{At: u.At, Incident: v})
		}
	}
	slices.SortStableFunc(out, func(a, b engine.IncidentAt) int { return a.At.Compare(b.At) })
	return out
}

// serveUntilDone serves on ln until ctx ends, then shuts down gracefully.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}
