package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/dashboards/live"
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/inbound/publishapi"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/demo"
	"github.com/earshot/earshot/publish"
)

// DemoOptions are the demo's: its store and the scenario to generate.
type DemoOptions struct {
	Store  string // the store to fill
	Days   int    // days of history
	Seed   uint64 // the same seed gives the same scenario
	Scale  float64
	Stderr io.Writer // progress and the addresses to visit
	Getenv func(string) string
}

// DemoToken is the write token of `earshot demo`'s dashboard, printed at
// startup: the demo holds nothing worth protecting.
const DemoToken = "earshot-demo"

// Demo generates the demo's scenario, runs it into the store and serves
// the dashboard on ln until ctx ends.
func Demo(ctx context.Context, ln net.Listener, o DemoOptions) error {
	log := slog.New(slog.NewTextHandler(o.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := OpenStore(ctx, o.Store)
	if err != nil {
		return err
	}
	defer st.Close()

	start := time.Now()
	end := start.UTC().Truncate(time.Minute)
	sc := demo.Generate(demo.Options{End: end, Days: o.Days, Seed: o.Seed, Scale: o.Scale})
	fmt.Fprintf(o.Stderr, "earshot demo: generated %d posts over %d days and %d incident(s) for %q\n",
		len(sc.Posts), o.Days, len(sc.Incidents), sc.Watches[0].Name)

	if err := PopulateDemo(ctx, st, sc, end, o.Days, o.Stderr, log); err != nil {
		return err
	}
	fmt.Fprintf(o.Stderr, "earshot demo: ready in %s\n", time.Since(start).Round(10*time.Millisecond))

	defaults := config.Default()
	hub, _ := newLive(defaults.WarRoom, st)
	// Drafting (no channel to publish to: the demo touches no network).
	publishAPI, publishPage, err := publishing(config.Config{Watches: sc.Watches, Publishing: publish.DefaultConfig()}, st,
		[]string{DemoToken}, nil, o.Getenv, log)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", web.New(st, web.Options{Title: "Earshot demo: Acme Cloud", Log: log, WriteTokens: []string{DemoToken},
		Watches: watchNames(sc.Watches), Silences: silenceStoreOf(st), Publish: publishPage,
		Publications: live.PublicationsOf(st), Quiet: QuietAdvisor(defaults.WarRoom.QuietPeriod, st), GoingDark: defaults.WarRoom.GoingDark, Events: hub}))
	mux.Handle("GET /api/v1/events", hub)
	for _, path := range publishapi.Routes {
		mux.Handle(path, publishAPI)
	}
	h, err := demoHandler(ctx, st, mux, log)
	if err != nil {
		return err
	}
	srv := NewHTTPServer(defaults.Server, h)
	srv.RegisterOnShutdown(hub.Close)
	if len(sc.Incidents) > 0 {
		fmt.Fprintf(o.Stderr, "earshot demo: war room of the outage at http://%s/incidents/%s/warroom\n", ln.Addr(), url.PathEscape(sc.Incidents[len(sc.Incidents)-1].ID))
	}
	fmt.Fprintf(o.Stderr, "earshot demo: support queue at http://%s/support; the demo's write token is %q, e.g.\n"+
		"  curl -H 'Authorization: Bearer %s' -d '{\"to\":\"assigned\",\"assignee\":\"sam\"}' http://%s/api/followups/ID/move\n",
		ln.Addr(), DemoToken, DemoToken, ln.Addr())
	fmt.Fprintf(o.Stderr, "earshot demo: dashboard at http://%s/  (signed in as %q, an admin; JSON API under /api/; Ctrl-C stops)\n", ln.Addr(), demoUser)
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
		WriteTokens: []string{DemoToken}, Public: auth.DefaultPublic, AutoUser: demoUser,
		SignIn: auth.NewLimiter(1, 10), Log: log.With("part", "auth"),
	})
	return auth.Protect(gated)
}

// PopulateDemo runs the scenario ending at end into st as the demo shows
// it (demo.Populate), with the sentiment model and the default follow-up
// flagger; progress goes to progress.
func PopulateDemo(ctx context.Context, st earshot.Store, sc demo.Scenario, end time.Time, days int, progress io.Writer, log *slog.Logger) error {
	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	flagger, err := followup.Over(st, followup.DefaultConfig(), followup.Options{Log: log})
	if err != nil {
		return err
	}
	return demo.Populate(ctx, st, sc, demo.Run{End: end, Days: days, Scorer: scorer, Flagger: flagger, Progress: progress, Log: log})
}
