package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/inbound/publishapi"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/demo"
	"github.com/earshot/earshot/publish"
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

	defaults := config.Default()
	hub, _ := newLive(defaults.WarRoom, st)
	// Drafting (no channel to publish to: the demo touches no network).
	publishAPI, publishPage, err := publishing(config.Config{Watches: sc.Watches, Publishing: publish.DefaultConfig()}, st,
		[]string{demoToken}, nil, e.getenv, log)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", web.New(st, web.Options{Title: "Earshot demo: Acme Cloud", Log: log, WriteTokens: []string{demoToken},
		Watches: watchNames(sc.Watches), Silences: silenceStoreOf(st), Publish: publishPage,
		Publications: publicationsOf(st), Quiet: quietAdvisor(defaults.WarRoom.QuietPeriod, st), GoingDark: defaults.WarRoom.GoingDark, Events: hub}))
	mux.Handle("GET /api/v1/events", hub)
	for _, path := range publishapi.Routes {
		mux.Handle(path, publishAPI)
	}
	h, err := demoHandler(ctx, st, mux, log)
	if err != nil {
		return err
	}
	srv := newHTTPServer(defaults.Server, h)
	srv.RegisterOnShutdown(hub.Close)
	if len(sc.Incidents) > 0 {
		fmt.Fprintf(e.stderr, "earshot demo: war room of the outage at http://%s/incidents/%s/warroom\n", ln.Addr(), url.PathEscape(sc.Incidents[len(sc.Incidents)-1].ID))
	}
	fmt.Fprintf(e.stderr, "earshot demo: support queue at http://%s/support; the demo's write token is %q, e.g.\n"+
		"  curl -H 'Authorization: Bearer %s' -d '{\"to\":\"assigned\",\"assignee\":\"sam\"}' http://%s/api/followups/ID/move\n",
		ln.Addr(), demoToken, demoToken, ln.Addr())
	fmt.Fprintf(e.stderr, "earshot demo: dashboard at http://%s/  (signed in as %q, an admin; JSON API under /api/; Ctrl-C stops)\n", ln.Addr(), demoUser)
	return serveUntilDone(ctx, srv, ln, log)
}

// demoUser is who a visitor of the demo is signed in as, automatically.
const demoUser = "demo"

// demoHandler wraps the demo's dashboard as serve does (sessions, tokens,
// cross-origin protection), with every visitor signed in as demoUser, an
// admin without a password; the demo's write token works too.
func demoHandler(ctx context.Context, st earshot.Store, h http.Handler, log *slog.Logger) (http.Handler, error) {
	if _, err := st.Account(ctx, demoUser); errors.Is(err, earshot.ErrNotFound) {
		err = st.SaveAccount(ctx, earshot.Account{Name: demoUser, Role: earshot.RoleAdmin, CreatedAt: time.Now().UTC()})
		if err != nil {
			return nil, fmt.Errorf("adding the demo user: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("reading the demo user: %w", err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	gated := auth.Gate(h, auth.GateOptions{
		Users:       &auth.Users{Store: st, SessionKey: key},
		WriteTokens: []string{demoToken}, Public: auth.DefaultPublic, AutoUser: demoUser,
		SignIn: auth.NewLimiter(1, 10), Log: log.With("part", "auth"),
	})
	return auth.Protect(gated)
}

// populateDemo runs the scenario ending at end into st as the demo shows
// it (demo.Populate), with the sentiment model and the default follow-up
// flagger.
func populateDemo(ctx context.Context, st earshot.Store, sc demo.Scenario, end time.Time, days int, e env, log *slog.Logger) error {
	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	flagger, err := newFlagger(st, followup.DefaultConfig(), log)
	if err != nil {
		return err
	}
	return demo.Populate(ctx, st, sc, demo.Run{End: end, Days: days, Scorer: scorer, Flagger: flagger, Progress: e.stderr, Log: log})
}

// serveUntilDone serves on ln until ctx ends, then shuts down gracefully.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	stopHTTP(srv, 10*time.Second, log)
	return nil
}
