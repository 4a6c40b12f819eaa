package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

// spike is a volume spike on watch "acme" over [start, end), peaking at
// start; a zero end leaves it open.
func spike(id string, start, end time.Time) earshot.Spike {
	return earshot.Spike{
		ID:       "spike:" + id,
		Scope:    earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"},
		Metric:   earshot.MetricVolume,
		Start:    start,
		Peak:     start,
		End:      end,
		Bucket:   5 * time.Minute,
		Observed: 40,
		Expected: 10,
		Score:    0.9,
	}
}

func saveSpike(t *testing.T, st earshot.Store, sp earshot.Spike) {
	t.Helper()
	must(t, st.SaveSpike(t.Context(), sp), "SaveSpike(%s)", sp.ID)
}

func spikes(t *testing.T, st earshot.Store, from, to time.Time) []earshot.Spike {
	t.Helper()
	return got(st.Spikes(t.Context(), from, to)).or(t, "Spikes(%s)", span(from, to))
}

// testSpikeRoundTrip: a spike comes back as saved, every field; saving one
// with the same ID replaces it whole, as a detector does when an open
// spike ends and when it is linked to an incident (or unlinked): one spike
// per ID, and windows see only the latest version.
func testSpikeRoundTrip(t *testing.T, st earshot.Store) {
	open := earshot.Spike{
		ID:       "spikes:watch/Ünïcode watch/negative_share/1772443800",
		Scope:    earshot.Scope{Kind: earshot.ScopeWatch, Value: "Ünïcode watch"},
		Metric:   earshot.MetricNegativeShare,
		Start:    Base.Add(-15*time.Minute + 250*time.Millisecond),
		Peak:     Base.Add(-5 * time.Minute),
		Bucket:   5 * time.Minute,
		Observed: 0.62,
		Expected: 0.075,
		Score:    0.97,
	}
	linked := earshot.Spike{
		ID:             "spikes:all/volume/1772445600",
		Scope:          earshot.Scope{Kind: earshot.ScopeAll},
		Metric:         earshot.MetricVolume,
		Start:          Base,
		Peak:           Base.Add(3 * time.Minute),
		End:            Base.Add(time.Hour + 5*time.Millisecond),
		Bucket:         time.Minute,
		Observed:       1234,
		Expected:       56.5,
		Score:          0.5,
		IncidentID:     "statuspage:inc-7",
		LinkConfidence: 0.25,
	}
	// A time given in another zone is the same instant; it must come back
	// in UTC.
	zoned := spike("zoned", Base.Add(2*time.Hour).In(time.FixedZone("CET", 3600)), time.Time{})
	zoned.Scope = earshot.Scope{Kind: earshot.ScopeSource, Value: "twitter"}
	zoned.Metric = earshot.MetricNetSentiment
	zoned.Peak = Base.Add(150 * time.Minute).In(time.FixedZone("PST", -8*3600))
	zoned.Bucket = 24 * time.Hour
	zoned.Observed, zoned.Expected, zoned.Score = -0.4, 0.1, 0
	zonedUTC := zoned
	zonedUTC.Start, zonedUTC.Peak = zoned.Start.UTC(), zoned.Peak.UTC()

	from, to := Base.Add(-day), Base.Add(day)
	checkSpikes(t, "Spikes on an empty store", spikes(t, st, from, to), nil)
	saveSpike(t, st, linked)
	saveSpike(t, st, zoned)
	saveSpike(t, st, open)
	checkSpikes(t, "Spikes as created", spikes(t, st, from, to), []earshot.Spike{open, linked, zonedUTC})
	// Open, the first spike overlaps a window long after its start.
	later := Base.Add(40 * time.Minute)
	checkSpikes(t, "Spikes after 40 minutes, while open", spikes(t, st, later, to), []earshot.Spike{open, linked, zonedUTC})

	// The spike ends and is linked to an incident: same ID, new version.
	ended := open
	ended.Peak = Base.Add(10 * time.Minute)
	ended.End = later
	ended.Observed = 0.81
	ended.Score = 0.99
	ended.IncidentID = "statuspage:inc-42"
	ended.LinkConfidence = 0.8
	saveSpike(t, st, ended)
	checkSpikes(t, "Spikes after the spike ended", spikes(t, st, from, to), []earshot.Spike{ended, linked, zonedUTC})
	checkSpikes(t, "Spikes after 40 minutes, once ended there", spikes(t, st, later, to), []earshot.Spike{linked, zonedUTC})

	// Unlinking replaces, rather than merges with, the linked version; a
	// later start moves the spike in the order.
	unlinked := ended
	unlinked.IncidentID = ""
	unlinked.LinkConfidence = 0
	unlinked.Start = Base.Add(30 * time.Minute)
	saveSpike(t, st, unlinked)
	checkSpikes(t, "Spikes after unlinking", spikes(t, st, from, to), []earshot.Spike{linked, unlinked, zonedUTC})
	checkSpikes(t, "Spikes before the moved start", spikes(t, st, from, Base.Add(30*time.Minute)), []earshot.Spike{linked})
}

// testSpikeWindows: Spikes(from, to) holds the spikes that started before
// to and had not ended by from: one ending exactly at from is over, one
// starting exactly at to has not begun. An open spike (zero End) overlaps
// every window that ends after its start. Ordered by Start, then ID.
func testSpikeWindows(t *testing.T, st earshot.Store) {
	var ss [6]earshot.Spike
	for i, sp := range intervalSpans {
		ss[i] = spike(fmt.Sprintf("s%d", i), sp.start, sp.end)
	}
	for _, i := range []int{4, 1, 5, 3, 2, 0} {
		saveSpike(t, st, ss[i])
	}
	all := ss[:]
	for _, tc := range intervalWindows() {
		want := pick(ss, tc.want)
		what := "Spikes(" + span(tc.from, tc.to) + ")"
		checkSpikes(t, "storetest bug: model disagrees on "+what, model.Spikes(all, tc.from, tc.to), want)
		checkSpikes(t, what, spikes(t, st, tc.from, tc.to), want)
	}
}

// testSpikeOrdering: spikes come ordered by Start, then by ID (compared
// byte by byte), whatever the order they were saved in and whatever their
// other fields.
func testSpikeOrdering(t *testing.T, st earshot.Store) {
	at := func(id string, start time.Time, score float64) earshot.Spike {
		sp := spike(id, start, start.Add(time.Hour))
		sp.ID = id
		sp.Peak = start.Add(time.Duration(100*score) * time.Minute)
		sp.Score = score
		return sp
	}
	// Among equal starts only the IDs give the order wanted: scores and
	// peaks run against it, ends agree with neither, and the spikes were
	// saved last to first. Across starts, IDs run against the starts.
	z := at("z", Base.Add(-time.Hour), 0.1)
	b2 := at("b-2", Base, 0.9)
	b10 := at("b-10", Base, 0.95) // "b-10" < "b-2" byte by byte
	upper := at("B", Base, 0.99)  // upper case before lower
	ab := at("ab", Base, 0.97)    // "B" < "ab" < "b-10", whatever the case
	b10.End, ab.End = Base.Add(3*time.Hour), Base.Add(30*time.Minute)
	a := at("a", Base.Add(time.Millisecond), 0.2)
	open := at("0-open", Base.Add(time.Hour), 0.3)
	open.End = time.Time{}
	saved := []earshot.Spike{open, a, b2, b10, ab, upper, z}
	for _, sp := range saved {
		saveSpike(t, st, sp)
	}
	want := []earshot.Spike{z, upper, ab, b10, b2, a, open}
	checkSpikes(t, "storetest bug: model disagrees", model.Spikes(saved, Base.Add(-day), Base.Add(day)), want)
	checkSpikes(t, "Spikes", spikes(t, st, Base.Add(-day), Base.Add(day)), want)
	checkSpikes(t, "Spikes from the shared start", spikes(t, st, Base.Add(time.Minute), Base.Add(2*time.Hour)), []earshot.Spike{upper, ab, b10, b2, a, open})
}
