package digest

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/recovery"
)

// TestQuietPeriodFromAdvisor: with an advisor, the digest's quiet period
// is the advisor's, which also waits for the incident's follow-ups.
func TestQuietPeriodFromAdvisor(t *testing.T) {
	end := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	f := costStore(end)
	st := f.store(t)
	cases := []struct {
		name     string
		cfg      recovery.Config
		action   string
		evidence string
	}{
		// Back to 10% from 14:00 (15:00 once the hour is over), 2 open
		// follow-ups: quiet until a day after.
		{"recovered", recovery.Config{}, "Hold promotional posts until Mon 9 Mar 15:00 UTC",
			"Usual negative share 10% (1680 scored posts in the 7 days before the incident); back to normal means at most 15%."},
		{"follow-ups pending", recovery.Config{MaxOpenFollowUps: 1}, "at most 1 of the incident's follow-ups open (2 now)",
			"2 of the incident's follow-ups open (threshold 1)."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Build(t.Context(), st, Options{End: end, Period: 7 * 24 * time.Hour, Quiet: recovery.Advisor{Source: st, Config: c.cfg}})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Incidents) != 1 || d.Incidents[0].Quiet == nil || !d.Incidents[0].Quiet.Quiet {
				t.Fatalf("incidents %+v", d.Incidents)
			}
			var quiet []Recommendation
			for _, r := range d.Recommendations {
				if r.Kind == RecommendQuietPeriod {
					quiet = append(quiet, r)
				}
			}
			if len(quiet) != 1 || !strings.Contains(quiet[0].Action, c.action) || !strings.Contains(quiet[0].Action, `"Login outage"`) ||
				!strings.Contains(quiet[0].Evidence, c.evidence) {
				t.Errorf("quiet period recommendations %+v, want %q with %q", quiet, c.action, c.evidence)
			}
		})
	}
}
