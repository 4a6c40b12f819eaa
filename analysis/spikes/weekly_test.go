package spikes

import (
	"testing"
	"time"
)

// TestWeeklyWarmUp: on a fresh series of plain daily and weekly rhythm, the
// Mondays after a weekend are the rhythm, not news. From the third week,
// their severity stays well under the Tracker's threshold and their Score
// under the level at which an episode is reported. The second week's
// Monday is the first after the series' first weekend, whose return to
// the weekday level the series has never shown: it may come near the
// threshold, not far past it. (Before the day-of-week level, every week's
// Monday reached 0.55 to 0.79, and Score 0.25 to 0.34.)
func TestWeeklyWarmUp(t *testing.T) {
	cfg := DefaultConfig()
	for seed := uint64(1); seed <= 5; seed++ {
		times, values := series(seed, 28, func(t time.Time) float64 { return rhythm(t, 40) })
		pts := observeAll(cfg, times, values)
		for week := 1; week < 4; week++ {
			var sev, score float64
			var when time.Time
			for m := 0; m < 14*60; m += 5 { // Monday 00:00 to 14:00
				p := pts[index(at(7*week, 0, m))]
				if p.Severity > sev {
					sev, when = p.Severity, p.Time
				}
				score = max(score, p.Score)
			}
			t.Logf("seed %d week %d: Monday severity up to %.2f (%s), score up to %.2f", seed, week+1, sev, when.Format("15:04"), score)
			limit, scoreLimit := 0.7, 1.0
			if week >= 2 {
				limit, scoreLimit = 0.5, cfg.ReportAt
			}
			if sev >= limit || score >= scoreLimit {
				t.Errorf("seed %d, week %d: Monday morning severity %.2f, score %.2f; want < %.2f and < %.2f", seed, week+1, sev, score, limit, scoreLimit)
			}
		}
	}
}
