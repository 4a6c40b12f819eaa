package alerts

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/earshot/earshot"
)

var t0 = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC) // a Monday

func alert(id, watch string, kind earshot.AlertKind, sev string, at time.Time) earshot.Alert {
	return earshot.Alert{ID: id, SpikeID: "s-" + id, Kind: kind, Watch: watch, Severity: sev,
		Metric: earshot.MetricNegativeShare, Summary: id + " summary", StartsAt: at, At: at}
}

// timing is the default config without noise controls.
func timing() Config {
	c := DefaultConfig()
	c.Noise = Noise{}
	return c
}

func newDispatcher(t *testing.T, c Config, opts Options) *Dispatcher {
	t.Helper()
	d, err := NewDispatcher(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// describe renders notifications compactly: "12:00:30 default root:{...} [a b -c]"
// where -id is a resolved alert.
func describe(ns []earshot.Notification) []string {
	var out []string
	for _, n := range ns {
		var ids []string
		for _, a := range n.Alerts {
			id := a.ID
			if !a.EndsAt.IsZero() && !a.EndsAt.After(n.At) {
				id = "-" + id
			}
			ids = append(ids, id)
		}
		out = append(out, fmt.Sprintf("%s %s %s %v", n.At.Format("15:04:05"), n.Receiver, n.GroupKey, ids))
	}
	return out
}

func expect(t *testing.T, got []earshot.Notification, want ...string) {
	t.Helper()
	g := describe(got)
	if !slices.Equal(g, want) {
		t.Errorf("notifications:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}

const acmeSpike = `root:{kind="spike",watch="acme"}`

func TestGroupWaitBatches(t *testing.T) {
	d := newDispatcher(t, DefaultConfig(), Options{})
	if o := d.Add(alert("a", "acme", earshot.AlertSpike, "warning", t0), nil); o != Admitted {
		t.Fatalf("Add = %s", o)
	}
	d.Add(alert("b", "acme", earshot.AlertSpike, "warning", t0.Add(10*time.Second)), nil)
	d.Add(alert("c", "globex", earshot.AlertSpike, "warning", t0.Add(20*time.Second)), nil)
	expect(t, d.Flush(t0.Add(29*time.Second)))
	expect(t, d.Flush(t0.Add(30*time.Second)), "12:00:30 default "+acmeSpike+" [a b]")
	expect(t, d.Flush(t0.Add(50*time.Second)), `12:00:50 default root:{kind="spike",watch="globex"} [c]`)
	if next, ok := d.NextFlush(); !ok || !next.Equal(t0.Add(30*time.Second+5*time.Minute)) {
		t.Errorf("NextFlush = %v %v", next, ok)
	}
}

func TestGroupIntervalAndRepeat(t *testing.T) {
	d := newDispatcher(t, timing(), Options{})
	d.Add(alert("a", "acme", earshot.AlertSpike, "warning", t0), nil)
	expect(t, d.Flush(t0.Add(30*time.Second)), "12:00:30 default "+acmeSpike+" [a]")
	// A new alert in the group waits for the group interval.
	d.Add(alert("b", "acme", earshot.AlertSpike, "warning", t0.Add(time.Minute)), nil)
	expect(t, d.Flush(t0.Add(5*time.Minute)))
	expect(t, d.Flush(t0.Add(5*time.Minute+30*time.Second)), "12:05:30 default "+acmeSpike+" [a b]")
	// Nothing changes: nothing is sent until the repeat interval has passed,
	// on the first group_interval tick after it.
	expect(t, d.Flush(t0.Add(4*time.Hour)))
	expect(t, d.Flush(t0.Add(4*time.Hour+10*time.Minute)), "16:05:30 default "+acmeSpike+" [a b]")
	// An update that matters (linked to an incident) is sent at the next tick.
	a := alert("a", "acme", earshot.AlertSpike, "warning", t0.Add(4*time.Hour+11*time.Minute))
	a.IncidentID, a.StartsAt = "inc-1", t0
	if o := d.Add(a, nil); o != Updated {
		t.Fatalf("Add = %s", o)
	}
	expect(t, d.Flush(t0.Add(4*time.Hour+15*time.Minute+30*time.Second)), "16:15:30 default "+acmeSpike+" [a b]")
}

func TestResolved(t *testing.T) {
	d := newDispatcher(t, DefaultConfig(), Options{})
	d.Add(alert("a", "acme", earshot.AlertSpike, "warning", t0), nil)
	d.Add(alert("b", "acme", earshot.AlertSpike, "warning", t0), nil)
	expect(t, d.Flush(t0.Add(time.Minute)), "12:00:30 default "+acmeSpike+" [a b]")

	// a ends: re-added with EndsAt.
	a := alert("a", "acme", earshot.AlertSpike, "warning", t0.Add(2*time.Minute))
	a.EndsAt = t0.Add(2 * time.Minute)
	if o := d.Add(a, nil); o != Resolving {
		t.Fatalf("Add = %s", o)
	}
	expect(t, d.Flush(t0.Add(6*time.Minute)), "12:05:30 default "+acmeSpike+" [b -a]")

	// b ends through a "resolved" alert of its spike.
	r := earshot.Alert{ID: "b-resolved", Kind: earshot.AlertResolved, SpikeID: "s-b", At: t0.Add(7 * time.Minute), Summary: "Over: b"}
	if o := d.Add(r, nil); o != Resolving {
		t.Fatalf("Add(resolved) = %s", o)
	}
	got := d.Flush(t0.Add(11 * time.Minute))
	expect(t, got, "12:10:30 default "+acmeSpike+" [-b]")
	if len(got) == 1 && (got[0].Alerts[0].Summary != "Over: b" || got[0].Alerts[0].Kind != earshot.AlertSpike) {
		t.Errorf("resolved alert = %+v", got[0].Alerts[0])
	}
	if _, ok := d.NextFlush(); ok {
		t.Error("the group outlived its alerts")
	}
	// Resolving what is gone changes nothing.
	if o := d.Add(a, nil); o != Ignored {
		t.Errorf("Add(gone) = %s", o)
	}
	expect(t, d.Flush(t0.Add(24*time.Hour)))
}

func TestResolvedBeforeAnyoneHeard(t *testing.T) {
	d := newDispatcher(t, DefaultConfig(), Options{})
	d.Add(alert("a", "acme", earshot.AlertSpike, "warning", t0), nil)
	a := alert("a", "acme", earshot.AlertSpike, "warning", t0.Add(10*time.Second))
	a.EndsAt = a.At
	d.Add(a, nil)
	expect(t, d.Flush(t0.Add(time.Hour)))
	if _, ok := d.NextFlush(); ok {
		t.Error("a group is left")
	}
}

func TestFlushLateKeepsDueTimes(t *testing.T) {
	// Replay with a gap in the data: one Flush long after several things
	// fell due returns them all, in order, each at its own time.
	d := newDispatcher(t, timing(), Options{})
	d.Add(alert("a", "acme", earshot.AlertSpike, "warning", t0), nil)
	d.Add(alert("c", "globex", earshot.AlertSpike, "warning", t0.Add(time.Minute)), nil)
	expect(t, d.Flush(t0.Add(9*time.Hour)),
		"12:00:30 default "+acmeSpike+" [a]",
		`12:01:30 default root:{kind="spike",watch="globex"} [c]`,
		"16:00:30 default "+acmeSpike+" [a]",
		`16:01:30 default root:{kind="spike",watch="globex"} [c]`,
		"20:00:30 default "+acmeSpike+" [a]",
		`20:01:30 default root:{kind="spike",watch="globex"} [c]`,
	)
	// Adding an alert stamped before the last flush counts from the flush.
	d.Add(alert("d", "initech", earshot.AlertSpike, "warning", t0), nil)
	expect(t, d.Flush(t0.Add(9*time.Hour+30*time.Second)), `21:00:30 default root:{kind="spike",watch="initech"} [d]`)
}

func TestInhibition(t *testing.T) {
	d := newDispatcher(t, DefaultConfig(), Options{})
	// Unreported on acme and globex; then the acme spike is linked.
	d.Add(alert("u-acme", "acme", earshot.AlertUnreported, "warning", t0), nil)
	d.Add(alert("u-globex", "globex", earshot.AlertUnreported, "warning", t0), nil)
	linked := alert("s-acme", "acme", earshot.AlertSpike, "warning", t0.Add(5*time.Second))
	linked.IncidentID = "inc-7"
	d.Add(linked, nil)
	// An unlinked spike on globex inhibits nothing.
	d.Add(alert("s-globex", "globex", earshot.AlertSpike, "warning", t0.Add(5*time.Second)), nil)
	expect(t, d.Flush(t0.Add(time.Minute)),
		`12:00:30 default root:{kind="unreported_incident",watch="globex"} [u-globex]`,
		`12:00:35 default root:{kind="spike",watch="acme"} [s-acme]`,
		`12:00:35 default root:{kind="spike",watch="globex"} [s-globex]`,
	)
	// When the linked spike ends, the unreported alert (still firing) is
	// no longer inhibited.
	end := linked
	end.At, end.EndsAt = t0.Add(2*time.Minute), t0.Add(2*time.Minute)
	d.Add(end, nil)
	got := describe(d.Flush(t0.Add(6 * time.Minute)))
	want := []string{
		`12:05:30 default root:{kind="unreported_incident",watch="acme"} [u-acme]`,
		`12:05:35 default root:{kind="spike",watch="acme"} [-s-acme]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("after the source ended:\n%v\nwant\n%v", got, want)
	}
}

func TestInhibitionMutesWhatWasSent(t *testing.T) {
	// An unreported alert is sent at night; later the incident is opened
	// and the spike linked: the unreported alert is muted, not repeated.
	d := newDispatcher(t, DefaultConfig(), Options{})
	d.Add(alert("u", "acme", earshot.AlertUnreported, "warning", t0), nil)
	expect(t, d.Flush(t0.Add(time.Minute)), `12:00:30 default root:{kind="unreported_incident",watch="acme"} [u]`)
	linked := alert("s", "acme", earshot.AlertSpike, "warning", t0.Add(2*time.Minute))
	linked.IncidentID = "inc-1"
	d.Add(linked, nil)
	expect(t, d.Flush(t0.Add(10*time.Hour)),
		`12:02:30 default root:{kind="spike",watch="acme"} [s]`,
		`16:02:30 default root:{kind="spike",watch="acme"} [s]`,
		`20:02:30 default root:{kind="spike",watch="acme"} [s]`,
	)
}

func TestSilences(t *testing.T) {
	now := t0
	sil := NewSilences(func() time.Time { return now })
	d := newDispatcher(t, DefaultConfig(), Options{Silences: sil})
	s, err := sil.Add(Silence{Matchers: []string{`watch="acme"`}, EndsAt: t0.Add(time.Hour), CreatedBy: "ana", Comment: "launch day"})
	if err != nil {
		t.Fatal(err)
	}
	d.Add(alert("a", "acme", earshot.AlertSpike, "warning", t0), nil)
	d.Add(alert("g", "globex", earshot.AlertSpike, "warning", t0), nil)
	expect(t, d.Flush(t0.Add(time.Minute)), `12:00:30 default root:{kind="spike",watch="globex"} [g]`)
	// Expired by the API: the next tick sends it.
	now = t0.Add(2 * time.Minute)
	if _, err := sil.Expire(s.ID); err != nil {
		t.Fatal(err)
	}
	expect(t, d.Flush(t0.Add(6*time.Minute)), "12:05:30 default "+acmeSpike+" [a]")
}

func TestSilencesAPI(t *testing.T) {
	now := t0
	sil := NewSilences(func() time.Time { return now })
	if _, err := sil.Add(Silence{EndsAt: t0.Add(time.Hour)}); err == nil {
		t.Error("a silence without matchers was accepted")
	}
	if _, err := sil.Add(Silence{Matchers: []string{`watch=~"("`}, EndsAt: t0.Add(time.Hour)}); err == nil {
		t.Error("a bad matcher was accepted")
	}
	if _, err := sil.Add(Silence{Matchers: []string{`watch="a"`}, StartsAt: t0, EndsAt: t0}); err == nil {
		t.Error("an empty window was accepted")
	}
	a, _ := sil.Add(Silence{Matchers: []string{`watch="a"`}, EndsAt: t0.Add(time.Hour)})
	b, _ := sil.Add(Silence{ID: "later", Matchers: []string{`kind="spike"`}, StartsAt: t0.Add(time.Hour), EndsAt: t0.Add(2 * time.Hour)})
	list := sil.List()
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != "later" {
		t.Fatalf("List = %+v", list)
	}
	if got := SilenceState(b, t0); got != SilencePending {
		t.Errorf("state = %s", got)
	}
	if !sil.Mutes(map[string]string{"watch": "a"}, t0.Add(time.Minute)) || sil.Mutes(map[string]string{"watch": "b"}, t0.Add(time.Minute)) {
		t.Error("Mutes is wrong")
	}
	if sil.Mutes(map[string]string{"kind": "spike"}, t0) || !sil.Mutes(map[string]string{"kind": "spike"}, t0.Add(90*time.Minute)) {
		t.Error("a pending silence mutes, or an active one does not")
	}
	now = t0.Add(10 * time.Minute)
	if _, err := sil.Expire("later"); err != nil {
		t.Fatal(err)
	}
	if sil.Mutes(map[string]string{"kind": "spike"}, t0.Add(90*time.Minute)) {
		t.Error("an expired silence mutes")
	}
	if got := SilenceState(sil.List()[1], now); got != SilenceExpired {
		t.Errorf("state after Expire = %s", got)
	}
	if _, err := sil.Expire("nope"); err == nil {
		t.Error("expiring an unknown silence succeeded")
	}
}

func quietConfig(action string) Config {
	c := DefaultConfig()
	c.QuietHours = []QuietHours{{Name: "nights", Start: "22:00", End: "07:00", Action: action}}
	c.Route.QuietHours = []string{"nights"}
	return c
}

func TestQuietHoursHold(t *testing.T) {
	night := time.Date(2025, 3, 3, 23, 0, 0, 0, time.UTC)
	d := newDispatcher(t, quietConfig(QuietHold), Options{})
	d.Add(alert("w", "acme", earshot.AlertSpike, "warning", night), nil)
	d.Add(alert("c", "acme", earshot.AlertUnreported, "critical", night), nil)
	// The critical alert passes; the warning waits for the morning.
	expect(t, d.Flush(night.Add(time.Hour)), `23:00:30 default root:{kind="unreported_incident",watch="acme"} [c]`)
	expect(t, d.Flush(night.Add(7*time.Hour+59*time.Minute)), `03:00:30 default root:{kind="unreported_incident",watch="acme"} [c]`)
	expect(t, d.Flush(night.Add(8*time.Hour)), "07:00:00 default "+acmeSpike+" [w]")
}

func TestQuietHoursHoldResolve(t *testing.T) {
	// An alert sent in the evening and resolved in the night: the resolve
	// is held to the morning, not lost.
	eve := time.Date(2025, 3, 3, 21, 0, 0, 0, time.UTC)
	d := newDispatcher(t, quietConfig(QuietDrop), Options{})
	d.Add(alert("w", "acme", earshot.AlertSpike, "warning", eve), nil)
	expect(t, d.Flush(eve.Add(time.Minute)), "21:00:30 default "+acmeSpike+" [w]")
	w := alert("w", "acme", earshot.AlertSpike, "warning", eve.Add(2*time.Hour))
	w.EndsAt = w.At
	d.Add(w, nil)
	expect(t, d.Flush(eve.Add(10*time.Hour)), "07:00:00 default "+acmeSpike+" [-w]")
}

func TestQuietHoursDrop(t *testing.T) {
	night := time.Date(2025, 3, 3, 23, 0, 0, 0, time.UTC)
	d := newDispatcher(t, quietConfig(QuietDrop), Options{})
	d.Add(alert("w", "acme", earshot.AlertSpike, "warning", night), nil)
	d.Add(alert("c", "acme", earshot.AlertUnreported, "critical", night), nil)
	expect(t, d.Flush(night.Add(10*time.Hour)),
		`23:00:30 default root:{kind="unreported_incident",watch="acme"} [c]`,
		`03:00:30 default root:{kind="unreported_incident",watch="acme"} [c]`,
		`07:00:30 default root:{kind="unreported_incident",watch="acme"} [c]`,
	)
	// A new alert after the night is sent as usual (joining the group
	// of the dropped one, which ticks on).
	d.Add(alert("x", "acme", earshot.AlertSpike, "warning", night.Add(10*time.Hour)), nil)
	expect(t, d.Flush(night.Add(11*time.Hour)), "09:00:30 default "+acmeSpike+" [x]")
}

func spike(score, observed, expected float64) *earshot.Spike {
	return &earshot.Spike{Score: score, Observed: observed, Expected: expected}
}

func TestNoiseControls(t *testing.T) {
	c := DefaultConfig()
	c.Noise = Noise{MinScore: 0.5, MinDuration: 10 * time.Minute, Cooldown: 2 * time.Hour, NewWave: 50}
	strict, quick := 0.9, time.Duration(0)
	c.Noise.Watches = map[string]NoiseOverride{"acme": {MinScore: &strict, MinDuration: &quick}}
	d := newDispatcher(t, c, Options{})

	started := func(id, watch string, start, at time.Time) earshot.Alert {
		a := alert(id, watch, earshot.AlertSpike, "warning", at)
		a.StartsAt = start
		return a
	}
	steps := []struct {
		name  string
		a     earshot.Alert
		s     *earshot.Spike
		want  Outcome
		flush time.Time
		sent  []string
	}{
		{"per-watch sensitivity turns a weak spike away", started("a1", "acme", t0, t0), spike(0.8, 100, 50), BelowMinScore, time.Time{}, nil},
		{"a strong one passes at once (no min duration for acme)", started("a2", "acme", t0, t0), spike(0.95, 100, 50), Admitted,
			t0.Add(time.Minute), []string{"12:00:30 default " + acmeSpike + " [a2]"}},
		{"default min duration: too short", started("g1", "globex", t0, t0.Add(5*time.Minute)), spike(0.6, 10, 5), TooShort, time.Time{}, nil},
		{"the same spike, later, has lasted long enough", started("g1", "globex", t0, t0.Add(10*time.Minute)), spike(0.6, 10, 5), Admitted,
			t0.Add(11 * time.Minute), []string{`12:10:30 default root:{kind="spike",watch="globex"} [g1]`}},
		{"a new spike on acme within the cooldown", started("a3", "acme", t0.Add(time.Hour), t0.Add(time.Hour)), spike(0.95, 120, 50), CoolingDown, time.Time{}, nil},
		{"a much bigger wave passes the cooldown", started("a4", "acme", t0.Add(time.Hour), t0.Add(time.Hour)), spike(0.99, 130, 50), Admitted,
			t0.Add(time.Hour + 5*time.Minute), []string{"13:00:30 default " + acmeSpike + " [a2 a4]"}},
		{"another kind on the same watch has its own cooldown", func() earshot.Alert {
			a := started("u1", "acme", t0.Add(time.Hour), t0.Add(time.Hour))
			a.Kind = earshot.AlertUnreported
			return a
		}(), spike(0.95, 100, 50), Admitted, time.Time{}, nil},
		{"after the cooldown a small spike passes", started("a5", "acme", t0.Add(4*time.Hour), t0.Add(4*time.Hour)), spike(0.95, 60, 50), Admitted, time.Time{}, nil},
	}
	for _, st := range steps {
		if got := d.Add(st.a, st.s); got != st.want {
			t.Fatalf("%s: Add = %s, want %s", st.name, got, st.want)
		}
		if !st.flush.IsZero() {
			if got := describe(d.Flush(st.flush)); !slices.Equal(got, st.sent) {
				t.Fatalf("%s: sent %v, want %v", st.name, got, st.sent)
			}
		}
	}
}

func TestWeeklyCounts(t *testing.T) {
	c := routingConfig()
	d := newDispatcher(t, c, Options{})
	crit := alert("c", "acme", earshot.AlertSpike, "critical", t0)
	d.Add(crit, nil)
	d.Add(alert("w", "acme", earshot.AlertSpike, "warning", t0), nil)
	d.Add(alert("g", "globex", earshot.AlertSpike, "warning", t0), nil)
	d.Flush(t0.Add(9 * time.Hour)) // first sends and two repeats
	got := d.WeeklyCounts(t0.Add(48 * time.Hour))
	want := []WeeklyCount{
		{Week: t0.Add(-12 * time.Hour), Route: "comms", Receiver: "comms", Watch: "acme", Alerts: 2, Notifications: 3},
		{Week: t0.Add(-12 * time.Hour), Route: "pager", Receiver: "oncall", Watch: "acme", Alerts: 1, Notifications: 3},
		{Week: t0.Add(-12 * time.Hour), Route: "root", Receiver: "default", Watch: "globex", Alerts: 1, Notifications: 3},
	}
	if !slices.Equal(got, want) {
		t.Errorf("WeeklyCounts =\n%+v\nwant\n%+v", got, want)
	}
	if got := d.WeeklyCounts(t0.Add(7 * 24 * time.Hour)); len(got) != 0 {
		t.Errorf("next week = %+v", got)
	}
	if ws := WeekStart(time.Date(2025, 3, 9, 23, 0, 0, 0, time.UTC)); !ws.Equal(time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("WeekStart(Sunday) = %v", ws)
	}
}

func TestRelabelMovesAlert(t *testing.T) {
	// An alert whose severity rises moves to the pager route as well.
	d := newDispatcher(t, routingConfig(), Options{})
	d.Add(alert("a", "acme", earshot.AlertSpike, "warning", t0), nil)
	expect(t, d.Flush(t0.Add(time.Minute)), `12:00:30 comms comms:{kind="spike",watch="acme"} [a]`)
	d.Add(alert("a", "acme", earshot.AlertSpike, "critical", t0.Add(2*time.Minute)), nil)
	expect(t, d.Flush(t0.Add(6*time.Minute)),
		`12:02:00 oncall pager:{watch="acme"} [a]`,
		`12:05:30 comms comms:{kind="spike",watch="acme"} [a]`,
	)
}

type recorder struct {
	mu    sync.Mutex
	got   []earshot.Notification
	block chan struct{}
}

func (r *recorder) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	if r.block != nil {
		<-r.block
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, n)
	return false, nil
}

func (r *recorder) list() []earshot.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func TestRunOnWallClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		d := newDispatcher(t, DefaultConfig(), Options{})
		rec := &recorder{}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { d.Run(ctx, rec); close(done) }()

		a := alert("a", "acme", earshot.AlertSpike, "warning", time.Now())
		d.Add(a, nil)
		time.Sleep(29 * time.Second)
		synctest.Wait()
		if n := len(rec.list()); n != 0 {
			t.Fatalf("%d notifications before group_wait", n)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		got := rec.list()
		if len(got) != 1 || !got[0].At.Equal(start.Add(30*time.Second)) || got[0].Alerts[0].ID != "a" {
			t.Fatalf("got %v", describe(got))
		}
		cancel()
		<-done // Run returns, its workers end: synctest fails on a leak
	})
}

func TestRunDropsWhenQueueFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := DefaultConfig()
		c.Route.GroupBy = []string{"..."}
		zero := time.Duration(0)
		c.Route.GroupWait = &zero
		d := newDispatcher(t, c, Options{QueueSize: 1})
		for i := range 4 {
			d.Add(alert(fmt.Sprint(i), fmt.Sprint("w", i), earshot.AlertSpike, "warning", time.Now()), nil)
		}
		rec := &recorder{block: make(chan struct{})}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { d.Run(ctx, rec); close(done) }()
		time.Sleep(time.Second)
		synctest.Wait()
		// At most one in delivery and one queued: the rest are dropped.
		if d.Dropped() < 2 {
			t.Errorf("Dropped = %d, want at least 2", d.Dropped())
		}
		close(rec.block)
		synctest.Wait()
		if got := int64(len(rec.list())) + d.Dropped(); got != 4 {
			t.Errorf("delivered + dropped = %d, want 4", got)
		}
		cancel()
		<-done
	})
}

func TestSparseFlushMatchesDense(t *testing.T) {
	// Replay may call Flush rarely; the notifications must not depend on
	// how often it does, as long as alerts come in time order.
	var events []earshot.Alert
	for i := range 40 {
		at := t0.Add(time.Duration(i*7) * time.Minute)
		w := []string{"acme", "globex", "initech"}[i%3]
		a := alert(fmt.Sprint("a", i%6), w, earshot.AlertSpike, []string{"warning", "critical"}[i%2], at)
		a.StartsAt = t0
		if i%5 == 4 {
			a.EndsAt = at
		}
		if i%4 == 0 {
			a.IncidentID = "inc"
		}
		events = append(events, a)
	}
	run := func(every time.Duration) []string {
		d := newDispatcher(t, routingConfig(), Options{})
		var out []earshot.Notification
		last := t0
		for _, a := range events {
			if every > 0 {
				for ; !last.Add(every).After(a.At); last = last.Add(every) {
					out = append(out, d.Flush(last.Add(every))...)
				}
			}
			d.Add(a, nil)
		}
		out = append(out, d.Flush(t0.Add(12*time.Hour))...)
		return describe(out)
	}
	dense, sparse := run(time.Second*10), run(0)
	if len(dense) < 10 {
		t.Fatalf("only %d notifications", len(dense))
	}
	if !slices.Equal(dense, sparse) {
		t.Errorf("dense:\n%s\nsparse:\n%s", strings.Join(dense, "\n"), strings.Join(sparse, "\n"))
	}
}
