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
// on the wall clock. Every hour of a day, and the minutes a demo once
// showed a "no known incident" spike at or near.
func demoEnds() []time.Time {
	day := time.Date(2026, time.March, 13, 0, 0, 0, 0, time.UTC)
	var ends []time.Time
	for h := range 24 {
		ends = append(ends, day.Add(time.Duration(h)*time.Hour))
	}
	for _, hm := range [][2]int{{0, 13}, {16, 58}, {17, 30}} {
		ends = append(ends, day.Add(time.Duration(hm[0])*time.Hour+time.Duration(hm[1])*time.Minute))
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
		t.Skip("27 demos are not short")
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
		t.Run(end.Format("15:04"), func(t *testing.T) {
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
