package app

import (
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/demo"
)

// demoEnds are the ends the demo is checked at: `earshot demo` generates
// the fortnight ending at the minute it starts, so what it shows depends
// on the wall clock: the weekday and hour the scenario's events fall on,
// and the phase of its random chatter. The minutes a demo once showed a
// "no known incident" spike at or near (13 March 2026, 7 December 2026),
// and a few hours of six other dates, of every weekday and six months
// (docs/alerts.md lists the sweep they were taken from).
func demoEnds() []time.Time {
	var ends []time.Time
	for _, d := range []struct {
		year  int
		month time.Month
		day   int
		hm    [][2]int
	}{
		{2026, time.March, 13, [][2]int{{0, 13}, {5, 0}, {6, 0}, {7, 0}, {10, 0}, {11, 0}, {16, 58}, {17, 30}, {20, 0}}},
		{2026, time.December, 7, [][2]int{{0, 0}, {0, 13}, {16, 0}, {19, 0}}},
		{2026, time.January, 4, [][2]int{{4, 0}, {13, 0}, {22, 0}}},
		{2026, time.June, 20, [][2]int{{1, 0}, {10, 0}, {19, 0}}},
		{2026, time.July, 28, [][2]int{{7, 0}, {16, 0}}},
		{2026, time.September, 2, [][2]int{{4, 0}, {13, 0}}},
		{2026, time.October, 15, [][2]int{{1, 0}, {22, 0}}},
		{2027, time.February, 11, [][2]int{{10, 0}, {19, 0}}},
	} {
		for _, hm := range d.hm {
			ends = append(ends, time.Date(d.year, d.month, d.day, hm[0], hm[1], 0, 0, time.UTC))
		}
	}
	return ends
}

// TestDemoEnds runs the demo's scenario as `earshot demo` does
// (demo.Generate, then PopulateDemo into an in-memory DuckDB) for many
// end times, and checks what TestDemoServes checks at one: after the
// outage began and until 6 hours after it was resolved, every spike on
// the page's scopes (all posts, the watch) is explained by an incident
// (the outage, or as its aftermath), never "no known incident"; and the
// outage itself is found and linked. EARSHOT_DEMO_ENDS lists other ends
// (RFC 3339, comma-separated).
func TestDemoEnds(t *testing.T) {
	if testing.Short() {
		t.Skip("27 demos are not short (about 20 s each)")
	}
	ends := demoEnds()
	if v := os.Getenv("EARSHOT_DEMO_ENDS"); v != "" {
		ends = nil
		for _, s := range strings.Split(v, ",") {
			end, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
			if err != nil {
				t.Fatalf("EARSHOT_DEMO_ENDS: %v", err)
			}
			ends = append(ends, end)
		}
	}
	const days = 14
	for _, end := range ends {
		t.Run(end.Format("2006-01-02T15:04"), func(t *testing.T) {
			ctx := t.Context()
			st, err := openStoreDSN(ctx, "duckdb://:memory:")
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			sc := demo.Generate(demo.Options{End: end, Days: days, Seed: 1, Scale: 1})
			if err := PopulateDemo(ctx, st, sc, end, days, io.Discard, slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
			outage := sc.Outage()
			if outage.ID == "" {
				t.Fatal("the scenario has no outage")
			}
			sp, err := st.Spikes(ctx, end.Add(-days*24*time.Hour), end.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range sp {
				if s.Scope.Kind == earshot.ScopeSource {
					continue
				}
				if s.Scope == (earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}) && s.IncidentID == outage.ID &&
					s.Start.Sub(outage.StartedAt) >= -40*time.Minute && s.Start.Sub(outage.StartedAt) <= 10*time.Minute {
					found = true
				}
				if s.IncidentID == "" && s.Start.After(outage.StartedAt) && s.Start.Before(outage.ResolvedAt.Add(6*time.Hour)) {
					t.Errorf("demo ending %s: %s spike %s at %s (%.0f%% vs %.0f%% expected), after the outage (%s to %s), explained by no incident",
						end.Format(time.RFC3339), s.Metric, s.ID, s.Start.Format("15:04"), 100*s.Observed, 100*s.Expected,
						outage.StartedAt.Format("15:04"), outage.ResolvedAt.Format("15:04"))
				}
			}
			if !found {
				t.Errorf("demo ending %s: no spike on the acme watch within 10 minutes of the outage opened at %s and linked to it",
					end.Format(time.RFC3339), outage.StartedAt.Format("15:04"))
			}
		})
	}
}
