package storetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func episodeIDs(es []earshot.Episode) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// testEpisodes: an episode comes back as saved (times in UTC); saving the
// same ID replaces it; Episodes(from, to) holds those opened before to and
// updated at or after from, by OpenedAt then ID.
func testEpisodes(t *testing.T, st earshot.Store) {
	es := st
	ctx := t.Context()
	if got, err := es.Episodes(ctx, wide.From, wide.To); err != nil || len(got) != 0 {
		t.Fatalf("Episodes on an empty store: %v, %v; want none", got, err)
	}
	cet := time.FixedZone("CET", 3600)
	first := earshot.Episode{ID: "ep-acme-1", Watch: "acme", Kind: earshot.AlertUnreported, Severity: "critical",
		Metrics: []earshot.Metric{earshot.MetricNegativeShare, earshot.MetricVolume}, AlertIDs: []string{"a1", "ünï 'q'"},
		Summary: "Possible unreported incident on acme — “down” 🔥", OpenedAt: Base.In(cet),
		UpdatedAt: Base.Add(5 * time.Minute).In(cet), Messages: 1}
	tie := earshot.Episode{ID: "ep-Acme-1", Watch: "Acme", Kind: earshot.AlertSpike, Severity: "info", AlertIDs: []string{"b"},
		OpenedAt: Base, UpdatedAt: Base, Messages: 1}
	later := earshot.Episode{ID: "ep-beta", Watch: "beta", Kind: earshot.AlertSpike, Severity: "warning", AlertIDs: []string{"c"},
		OpenedAt: Base.Add(2 * time.Hour), UpdatedAt: Base.Add(3 * time.Hour), Messages: 2}
	for _, e := range []earshot.Episode{later, first, tie} {
		if err := es.SaveEpisode(ctx, e); err != nil {
			t.Fatalf("SaveEpisode(%s): %v", e.ID, err)
		}
	}
	utc := func(e earshot.Episode) earshot.Episode {
		e.OpenedAt, e.UpdatedAt, e.ResolvedAt = e.OpenedAt.UTC(), e.UpdatedAt.UTC(), e.ResolvedAt.UTC()
		return e
	}
	check := func(what string, from, to time.Time, want ...earshot.Episode) {
		t.Helper()
		got, err := es.Episodes(ctx, from, to)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !slices.Equal(episodeIDs(got), episodeIDs(want)) {
			t.Errorf("%s: got %q, want %q", what, episodeIDs(got), episodeIDs(want))
			return
		}
		for i := range want {
			if w := utc(want[i]); !reflect.DeepEqual(got[i], w) {
				t.Errorf("%s: episode %s\n got %+v\nwant %+v", what, w.ID, got[i], w)
			}
		}
	}
	check("Episodes, all", wide.From, wide.To, tie, first, later)
	check("Episodes updated from Base+1m", Base.Add(time.Minute), wide.To, first, later)
	check("Episodes opened before Base+2h", wide.From, Base.Add(2*time.Hour), tie, first)
	check("Episodes in [Base+5m, Base+2h]", Base.Add(5*time.Minute), Base.Add(2*time.Hour+time.Millisecond), first, later)

	// Replaced whole: linked, resolved, more messages.
	first.IncidentID, first.Messages = "statuspage:inc-42", 3
	first.AlertIDs = append(first.AlertIDs, "a2")
	first.ResolvedAt = Base.Add(4 * time.Hour)
	first.UpdatedAt = Base.Add(4 * time.Hour)
	if err := es.SaveEpisode(ctx, first); err != nil {
		t.Fatal(err)
	}
	check("Episodes after replacing", wide.From, wide.To, tie, first, later)
	check("Episodes updated from Base+3h30m", Base.Add(3*time.Hour+30*time.Minute), wide.To, first)
}

// testThreads: a thread reference comes back for its episode and receiver
// only; saving again replaces it; an unknown one is "".
func testThreads(t *testing.T, st earshot.Store) {
	es := st
	ctx := t.Context()
	get := func(ep, rcv string) string {
		t.Helper()
		ref, err := es.Thread(ctx, ep, rcv)
		if err != nil {
			t.Fatalf("Thread(%s, %s): %v", ep, rcv, err)
		}
		return ref
	}
	if got := get("ep-1", "slack"); got != "" {
		t.Errorf("Thread on an empty store: %q", got)
	}
	for _, x := range [][3]string{{"ep-1", "slack", "1710000000.000100"}, {"ep-1", "slack-exec", "C1/1710000000.000200"}, {"ep-2", "slack", "ünï"}} {
		if err := es.SaveThread(ctx, x[0], x[1], x[2]); err != nil {
			t.Fatal(err)
		}
	}
	if err := es.SaveThread(ctx, "ep-1", "slack", "1710000000.000300"); err != nil {
		t.Fatal(err)
	}
	for _, x := range [][3]string{{"ep-1", "slack", "1710000000.000300"}, {"ep-1", "slack-exec", "C1/1710000000.000200"},
		{"ep-2", "slack", "ünï"}, {"ep-2", "slack-exec", ""}, {"ep-3", "slack", ""}} {
		if got := get(x[0], x[1]); got != x[2] {
			t.Errorf("Thread(%s, %s) = %q, want %q", x[0], x[1], got, x[2])
		}
	}
}

// testSilences: a silence comes back as saved (times in UTC); saving the
// same ID replaces it (expiring it); Silences(since) holds those ending
// after since, by StartsAt then ID.
func testSilences(t *testing.T, st earshot.Store) {
	es := st
	ctx := t.Context()
	list := func(since time.Time) []string {
		t.Helper()
		got, err := es.Silences(ctx, since)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		return ids
	}
	if got := list(wide.From); len(got) != 0 {
		t.Errorf("Silences on an empty store: %q", got)
	}
	maint := earshot.Silence{ID: "maint", Matchers: []string{`watch="acme"`, `severity!="critical"`},
		StartsAt: Base.In(time.FixedZone("PST", -8*3600)), EndsAt: Base.Add(2 * time.Hour),
		CreatedBy: "zoë", Comment: "planned “maintenance”\n'quoted'"}
	early := earshot.Silence{ID: "early", Matchers: []string{`kind=~"spike|resolved"`}, StartsAt: Base.Add(-time.Hour), EndsAt: Base.Add(time.Hour)}
	tie := earshot.Silence{ID: "Maint", Matchers: []string{`watch="beta"`}, StartsAt: Base, EndsAt: Base.Add(30 * time.Minute)}
	for _, s := range []earshot.Silence{maint, early, tie} {
		if err := es.SaveSilence(ctx, s); err != nil {
			t.Fatalf("SaveSilence(%s): %v", s.ID, err)
		}
	}
	if got, want := list(wide.From), []string{"early", "Maint", "maint"}; !slices.Equal(got, want) {
		t.Errorf("Silences: %q, want %q", got, want)
	}
	if got, want := list(Base.Add(time.Hour)), []string{"maint"}; !slices.Equal(got, want) {
		t.Errorf("Silences ending after Base+1h (one ends then): %q, want %q", got, want)
	}
	all, err := es.Silences(ctx, wide.From)
	if err != nil {
		t.Fatal(err)
	}
	want := maint
	want.StartsAt, want.EndsAt = maint.StartsAt.UTC(), maint.EndsAt.UTC()
	if len(all) != 3 || !reflect.DeepEqual(all[2], want) {
		t.Errorf("silence maint came back as %+v, want %+v", all, want)
	}
	// Expired: saved again with an earlier end.
	maint.EndsAt = Base.Add(10 * time.Minute)
	if err := es.SaveSilence(ctx, maint); err != nil {
		t.Fatal(err)
	}
	if got, want := list(Base.Add(20*time.Minute)), []string{"early", "Maint"}; !slices.Equal(got, want) {
		t.Errorf("Silences after expiring maint: %q, want %q", got, want)
	}
}
