package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

func saveHealth(t *testing.T, hs earshot.HealthStore, h earshot.SourceHealth) {
	t.Helper()
	must(t, hs.SaveHealth(t.Context(), h), "SaveHealth(%s)", h.Collector)
}

func health(t *testing.T, hs earshot.HealthStore) []earshot.SourceHealth {
	t.Helper()
	return got(hs.Health(t.Context())).or(t, "Health")
}

func saveGap(t *testing.T, hs earshot.HealthStore, g earshot.Gap) {
	t.Helper()
	must(t, hs.SaveGap(t.Context(), g), "SaveGap(%s)", g.ID)
}

func gaps(t *testing.T, hs earshot.HealthStore, from, to time.Time) []earshot.Gap {
	t.Helper()
	return got(hs.Gaps(t.Context(), from, to)).or(t, "Gaps(%s)", span(from, to))
}

// healthy is the health of a collector running fine: its last run, at
// at, succeeded.
func healthy(collector string, at time.Time) earshot.SourceHealth {
	return earshot.SourceHealth{
		Collector:     collector,
		Kind:          "rss",
		LastRun:       at,
		LastSuccess:   at,
		Backoff:       time.Minute,
		PostsLastHour: 12,
		UpdatedAt:     at,
	}
}

// testHealthRoundTrip: a collector's health comes back as saved, every
// field: times in UTC (a zero time stays zero), the backoff to the
// nanosecond, an error message with quotes, newlines and non-ASCII text.
// Saving the health of a collector again replaces it whole: an error the
// new health has not is gone.
func testHealthRoundTrip(t *testing.T, st earshot.Store) {
	hs := st
	checkHealth(t, "Health on an empty store", health(t, hs), nil)

	failing := earshot.SourceHealth{
		Collector:     "Mastodon ünïcode",
		Kind:          "mastodon",
		LastRun:       Base.Add(-time.Minute + 250*time.Millisecond),
		LastSuccess:   Base.Add(-3 * time.Hour),
		LastError:     "GET https://social.example/api: 429 Too Many Requests\n{\"error\": \"slow down 'please'\"} — réessayez",
		LastErrorAt:   Base.Add(-time.Minute + 999*time.Millisecond),
		Failures:      7,
		Backoff:       90*time.Second + 1,
		PostsLastHour: 0,
		UpdatedAt:     Base,
	}
	// A collector that never succeeded, in another zone.
	never := earshot.SourceHealth{
		Collector:   "twitter",
		Kind:        "twitter",
		LastRun:     Base.Add(time.Hour).In(time.FixedZone("CET", 3600)),
		LastError:   "401 Unauthorized",
		LastErrorAt: Base.Add(time.Hour).In(time.FixedZone("PST", -8*3600)),
		Failures:    1,
		Backoff:     30 * time.Second,
		UpdatedAt:   Base.Add(time.Hour + time.Millisecond).In(time.FixedZone("CET", 3600)),
	}
	neverUTC := never
	neverUTC.LastRun, neverUTC.LastErrorAt, neverUTC.UpdatedAt = never.LastRun.UTC(), never.LastErrorAt.UTC(), never.UpdatedAt.UTC()
	fine := healthy("hn", Base)
	fine.PostsLastHour = 1 << 40
	// Health as a poller records it before a collector's first run.
	idle := earshot.SourceHealth{Collector: "idle"}

	for _, h := range []earshot.SourceHealth{never, failing, fine, idle} {
		saveHealth(t, hs, h)
	}
	checkHealth(t, "Health as saved", health(t, hs), []earshot.SourceHealth{failing, fine, idle, neverUTC})

	// The failing collector recovers, the healthy one fails: new health,
	// replaced whole; the other collectors are unchanged.
	recovered := healthy(failing.Collector, Base.Add(5*time.Minute))
	recovered.Kind = failing.Kind
	broken := fine
	broken.Kind = "hackernews"
	broken.LastRun, broken.LastErrorAt, broken.UpdatedAt = Base.Add(time.Minute), Base.Add(time.Minute), Base.Add(time.Minute)
	broken.LastError, broken.Failures, broken.Backoff = "connection refused", 1, 2*time.Minute+500*time.Millisecond
	broken.PostsLastHour = 3
	saveHealth(t, hs, recovered)
	saveHealth(t, hs, broken)
	checkHealth(t, "Health after replacing two", health(t, hs), []earshot.SourceHealth{recovered, broken, idle, neverUTC})
	// Saving the same health again changes nothing.
	saveHealth(t, hs, broken)
	checkHealth(t, "Health after saving the same again", health(t, hs), []earshot.SourceHealth{recovered, broken, idle, neverUTC})
}

// testHealthOrdering: Health comes ordered by collector name, compared byte
// by byte, whatever the order of saves and whatever the other fields.
func testHealthOrdering(t *testing.T, st earshot.Store) {
	hs := st
	var saved []earshot.SourceHealth
	// Saved last to first; kinds, failures and times run against the
	// order wanted.
	for i, name := range []string{"zeta", "rss-2", "rss-10", "rss", "b", "ab", "B", "Z", "0"} {
		h := healthy(name, Base.Add(time.Duration(i)*time.Minute))
		h.Kind = string(rune('a' + i))
		h.Failures = 10 - i
		saved = append(saved, h)
		saveHealth(t, hs, h)
	}
	byName := map[string]earshot.SourceHealth{}
	for _, h := range saved {
		byName[h.Collector] = h
	}
	var want []earshot.SourceHealth
	for _, name := range []string{"0", "B", "Z", "ab", "b", "rss", "rss-10", "rss-2", "zeta"} {
		want = append(want, byName[name])
	}
	checkHealth(t, "storetest bug: model disagrees", model.Health(saved), want)
	checkHealth(t, "Health", health(t, hs), want)
}

// gap is a gap of collector "rss" over [from, to); a zero to leaves it
// open (the collector still stopped) and unfilled.
func gap(id string, from, to time.Time) earshot.Gap {
	return earshot.Gap{ID: "rss@" + id, Collector: "rss", From: from, To: to, Reason: "quota"}
}

// testGapRoundTrip: a gap comes back as saved, every field; saving one with
// the same ID replaces it whole, as a poller does when a stopped collector
// catches up (To and FilledAt set): one gap per ID, and windows see only the
// latest version.
func testGapRoundTrip(t *testing.T, st earshot.Store) {
	hs := st
	from, to := Base.Add(-day), Base.Add(day)
	checkGaps(t, "Gaps on an empty store", gaps(t, hs, from, to), nil)

	open := earshot.Gap{
		ID:        "mastodon ü@1772445600000000000",
		Collector: "mastodon ü",
		From:      Base.Add(-2*time.Hour + 125*time.Millisecond),
		Reason:    "HTTP 429: rate limited 'again'\nretry later — ☹",
	}
	// Stopped for an hour, but not filled yet.
	closed := earshot.Gap{ID: "twitter@1", Collector: "twitter", From: Base, To: Base.Add(time.Hour + time.Millisecond), Reason: "token refused"}
	// A time given in another zone is the same instant; it must come back
	// in UTC.
	zoned := gap("zoned", Base.Add(3*time.Hour).In(time.FixedZone("CET", 3600)), Base.Add(4*time.Hour).In(time.FixedZone("PST", -8*3600)))
	zoned.FilledAt = Base.Add(5 * time.Hour).In(time.FixedZone("CET", 3600))
	zonedUTC := zoned
	zonedUTC.From, zonedUTC.To, zonedUTC.FilledAt = zoned.From.UTC(), zoned.To.UTC(), zoned.FilledAt.UTC()

	saveGap(t, hs, zoned)
	saveGap(t, hs, closed)
	saveGap(t, hs, open)
	checkGaps(t, "Gaps as created", gaps(t, hs, from, to), []earshot.Gap{open, closed, zonedUTC})
	// Open, the first gap overlaps a window long after it began.
	later := Base.Add(2 * time.Hour)
	checkGaps(t, "Gaps from two hours on, while open", gaps(t, hs, later, to), []earshot.Gap{open, zonedUTC})

	// The collector catches up: the gap closes and is filled, same ID.
	filled := open
	filled.To = Base.Add(90 * time.Minute)
	filled.FilledAt = Base.Add(95 * time.Minute)
	filled.Reason = "quota"
	saveGap(t, hs, filled)
	checkGaps(t, "Gaps once filled", gaps(t, hs, from, to), []earshot.Gap{filled, closed, zonedUTC})
	checkGaps(t, "Gaps from two hours on, once filled", gaps(t, hs, later, to), []earshot.Gap{zonedUTC})

	// Replaced whole, not merged: a new version without FilledAt reopens
	// it, and a later From moves it in the order.
	reopened := filled
	reopened.FilledAt = time.Time{}
	reopened.From = Base.Add(30 * time.Minute)
	saveGap(t, hs, reopened)
	checkGaps(t, "Gaps after replacing the filled gap", gaps(t, hs, from, to), []earshot.Gap{closed, reopened, zonedUTC})
	checkGaps(t, "Gaps before its new start", gaps(t, hs, from, Base.Add(30*time.Minute)), []earshot.Gap{closed})
}

// testGapWindows: Gaps(from, to) holds the gaps that began before to and
// had not ended by from: one ending exactly at from is over, one beginning
// exactly at to has not begun. A gap with a zero To (its collector still
// stopped) overlaps every window that ends after its From, and filling a
// gap changes nothing here: To alone ends it. Ordered by From, then ID
// (compared byte by byte).
func testGapWindows(t *testing.T, st earshot.Store) {
	var gs [6]earshot.Gap
	for i, sp := range intervalSpans {
		gs[i] = gap(fmt.Sprintf("g%d", i), sp.start, sp.end)
	}
	gs[1].FilledAt = Base
	gs[4].FilledAt = Base.Add(3 * time.Hour) // 3 is closed, not filled
	gs[0] = gap("Z0", gs[0].From, gs[0].To)  // begins with g3; "rss@Z0" < "rss@g3" byte by byte
	gs[0].Collector = "mastodon"
	for _, i := range []int{4, 1, 5, 3, 2, 0} {
		saveGap(t, st, gs[i])
	}
	all := gs[:]
	for _, tc := range intervalWindows() {
		want := pick(gs, tc.want)
		what := "Gaps(" + span(tc.from, tc.to) + ")"
		checkGaps(t, "storetest bug: model disagrees on "+what, model.Gaps(all, tc.from, tc.to), want)
		checkGaps(t, what, gaps(t, st, tc.from, tc.to), want)
	}
}
