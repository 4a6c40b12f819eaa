package ingest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// cursorsAt returns an in-memory store holding cursor for the collector
// named "script" ("" for none).
func cursorsAt(t *testing.T, cursor string) *memstore.Store {
	t.Helper()
	st := memstore.New()
	if cursor != "" {
		if err := st.SetCursor(t.Context(), "script", cursor); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// cursorOf returns the cursor st keeps for collector.
func cursorOf(t *testing.T, st earshot.CursorStore, collector string) string {
	t.Helper()
	c, err := st.Cursor(t.Context(), collector)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type rateLimitErr time.Duration

func (e rateLimitErr) Error() string             { return "rate limited" }
func (e rateLimitErr) RetryAfter() time.Duration { return time.Duration(e) }

// scriptCollector returns one scripted answer per call.
type scriptCollector struct {
	calls   []string // cursors seen
	answers []func(cursor string) ([]earshot.Post, string, error)
}

func (s *scriptCollector) Name() string { return "script" }
func (s *scriptCollector) Collect(_ context.Context, cursor string) ([]earshot.Post, string, error) {
	s.calls = append(s.calls, cursor)
	i := len(s.calls) - 1
	if i >= len(s.answers) {
		return nil, cursor, earshot.ErrNotModified
	}
	return s.answers[i](cursor)
}

func TestPollerCursorAndBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	col := &scriptCollector{answers: []func(string) ([]earshot.Post, string, error){
		func(string) ([]earshot.Post, string, error) { return []earshot.Post{post("t:1", "a")}, "c1", nil },
		func(string) ([]earshot.Post, string, error) { return nil, "", errors.New("boom") },
		func(string) ([]earshot.Post, string, error) { return nil, "", rateLimitErr(time.Hour) },
		func(string) ([]earshot.Post, string, error) { return []earshot.Post{post("t:2", "b")}, "c2", nil },
	}}
	cursors := cursorsAt(t, "")
	var got []earshot.Post
	var waits []time.Duration
	p := &Poller{
		Collector: col, Cursors: cursors, Interval: time.Minute, MaxBackoff: 10 * time.Minute,
		Sink: func(_ context.Context, posts []earshot.Post) error { got = append(got, posts...); return nil },
		Sleep: func(_ context.Context, d time.Duration) error {
			waits = append(waits, d)
			if len(waits) == 4 {
				cancel()
				return context.Canceled
			}
			return nil
		},
	}
	p.Run(ctx)
	if want := []string{"", "c1", "c1", "c1"}; len(col.calls) != 4 || col.calls[1] != want[1] || col.calls[3] != want[3] {
		t.Errorf("cursors passed = %q, want %q", col.calls, want)
	}
	if cursorOf(t, cursors, "script") != "c2" || len(got) != 2 {
		t.Errorf("saved cursor %q, got %d posts", cursorOf(t, cursors, "script"), len(got))
	}
	for _, w := range []time.Duration{waits[0], waits[3]} {
		if w < 54*time.Second || w > 66*time.Second {
			t.Errorf("wait after success = %v, want the interval give or take a tenth", w)
		}
	}
	if waits[1] < time.Minute || waits[1] > 2*time.Minute {
		t.Errorf("backoff after first failure = %v, want within [1m, 2m]", waits[1])
	}
	if waits[2] != time.Hour {
		t.Errorf("wait after rate limit = %v, want the 1h the source asked for", waits[2])
	}
}

func TestPollerKeepsCursorWhenSinkFails(t *testing.T) {
	col := &scriptCollector{answers: []func(string) ([]earshot.Post, string, error){
		func(string) ([]earshot.Post, string, error) { return []earshot.Post{post("t:1", "a")}, "c1", nil },
	}}
	cursors := cursorsAt(t, "c0")
	p := &Poller{Collector: col, Cursors: cursors, Sink: func(context.Context, []earshot.Post) error { return errors.New("store down") }}
	if _, err := p.Once(t.Context()); err == nil {
		t.Fatal("Once returned nil though the sink failed")
	}
	if cursorOf(t, cursors, "script") != "c0" {
		t.Errorf("cursor moved to %q though the posts were not taken", cursorOf(t, cursors, "script"))
	}
}

// healthOf returns the health st keeps for collector, zero when none.
func healthOf(t *testing.T, st earshot.HealthStore, collector string) earshot.SourceHealth {
	t.Helper()
	all, err := st.Health(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range all {
		if h.Collector == collector {
			return h
		}
	}
	return earshot.SourceHealth{}
}

// gapsOf returns every gap st keeps.
func gapsOf(t *testing.T, st earshot.HealthStore) []earshot.Gap {
	t.Helper()
	gaps, err := st.Gaps(t.Context(), time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return gaps
}

func TestPollerHealthAndGaps(t *testing.T) {
	clock := t0
	now := func() time.Time { return clock }
	col := &scriptCollector{answers: []func(string) ([]earshot.Post, string, error){
		func(string) ([]earshot.Post, string, error) {
			return []earshot.Post{post("t:1", "a"), post("t:2", "b")}, "c1", nil
		},
		func(string) ([]earshot.Post, string, error) { return nil, "", errors.New("401 token expired") },
		func(string) ([]earshot.Post, string, error) { return nil, "", rateLimitErr(time.Minute) },
		func(string) ([]earshot.Post, string, error) { return []earshot.Post{post("t:3", "c")}, "c2", nil },
	}}
	hs := memstore.New()
	p := &Poller{Collector: col, Kind: "script", Cursors: cursorsAt(t, ""), Health: hs, Now: now,
		Sink: func(context.Context, []earshot.Post) error { return nil }}

	p.Once(t.Context())
	if h := healthOf(t, hs, "script"); h.PostsLastHour != 2 || !h.LastSuccess.Equal(t0) || h.Failures != 0 || h.Kind != "script" {
		t.Errorf("after success: %+v", h)
	}
	clock = t0.Add(10 * time.Minute)
	p.Once(t.Context())
	clock = t0.Add(20 * time.Minute)
	p.Once(t.Context())
	h := healthOf(t, hs, "script")
	if h.Failures != 2 || h.LastError != "rate limited" || !h.LastSuccess.Equal(t0) {
		t.Errorf("after two failures: %+v", h)
	}
	if len(gapsOf(t, hs)) != 1 {
		t.Fatalf("%d gaps recorded for one outage, want 1", len(gapsOf(t, hs)))
	}
	for _, g := range gapsOf(t, hs) {
		if !g.From.Equal(t0) || !g.Open() || g.Reason != "rate limited" {
			t.Errorf("open gap = %+v", g)
		}
	}
	clock = t0.Add(70 * time.Minute)
	p.Once(t.Context())
	h = healthOf(t, hs, "script")
	if h.Failures != 0 || h.PostsLastHour != 1 {
		t.Errorf("after recovery: %+v (the first run's 2 posts are over an hour old)", h)
	}
	for _, g := range gapsOf(t, hs) {
		if g.Open() || !g.To.Equal(clock) {
			t.Errorf("gap not filled on recovery: %+v", g)
		}
	}
}

func TestPollerLimit(t *testing.T) {
	limit := make(chan struct{}, 1)
	limit <- struct{}{} // another collector of the kind is running
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	col := &scriptCollector{}
	p := &Poller{Collector: col, Cursors: cursorsAt(t, ""), Limit: limit}
	if _, err := p.Once(ctx); !errors.Is(err, context.DeadlineExceeded) || len(col.calls) != 0 {
		t.Errorf("ran past a full limit: err %v, %d calls", err, len(col.calls))
	}
	<-limit
	if _, err := p.Once(t.Context()); !errors.Is(err, earshot.ErrNotModified) || len(limit) != 0 {
		t.Errorf("after the slot freed: err %v, slot held %d", err, len(limit))
	}
}

func TestPollerKeepsPartialProgress(t *testing.T) {
	col := &scriptCollector{answers: []func(string) ([]earshot.Post, string, error){
		func(string) ([]earshot.Post, string, error) {
			return []earshot.Post{post("t:1", "a")}, "c-partial", &collectorsRetry{time.Minute}
		},
	}}
	cursors := cursorsAt(t, "c0")
	var got []earshot.Post
	p := &Poller{Collector: col, Cursors: cursors, Sink: func(_ context.Context, ps []earshot.Post) error { got = append(got, ps...); return nil }}
	n, err := p.Once(t.Context())
	var ra earshot.RetryAfter
	if n != 1 || len(got) != 1 || cursorOf(t, cursors, "script") != "c-partial" || !errors.As(err, &ra) {
		t.Errorf("partial run: n %d, got %d posts, cursor %q, err %v", n, len(got), cursorOf(t, cursors, "script"), err)
	}
}

type collectorsRetry struct{ wait time.Duration }

func (e *collectorsRetry) Error() string             { return "quota used up" }
func (e *collectorsRetry) RetryAfter() time.Duration { return e.wait }

// A busy pipeline pauses the collector for the wait it gives, cursor
// unchanged, with no failure, gap or growing backoff; the same posts are
// collected again and taken.
func TestPollerPausesWhenBusy(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	again := func(cur string) ([]earshot.Post, string, error) { return []earshot.Post{post("t:1", "a")}, "c1", nil }
	col := &scriptCollector{answers: []func(string) ([]earshot.Post, string, error){again, again, again, again}}
	cursors := cursorsAt(t, "c0")
	health := memstore.New()
	sinks := 0
	var waits []time.Duration
	var cursorsSeen []string
	p := &Poller{
		Collector: col, Cursors: cursors, Health: health, Interval: time.Minute,
		Sink: func(context.Context, []earshot.Post) error {
			sinks++
			cursorsSeen = append(cursorsSeen, cursorOf(t, cursors, "script"))
			if sinks <= 3 {
				return &earshot.BusyError{Reason: "spool full", After: 7 * time.Second}
			}
			return nil
		},
		Sleep: func(_ context.Context, d time.Duration) error {
			waits = append(waits, d)
			if len(waits) == 4 {
				cancel()
				return context.Canceled
			}
			return nil
		},
	}
	p.Run(ctx)
	for i, w := range waits[:3] {
		if w != 7*time.Second {
			t.Errorf("wait %d while busy = %v, want the 7s asked", i, w)
		}
	}
	for i, c := range col.calls {
		if c != "c0" {
			t.Errorf("collect %d from cursor %q, want c0 (unchanged while busy)", i, c)
		}
	}
	if cursorOf(t, cursors, "script") != "c1" || sinks != 4 {
		t.Errorf("cursor %q after %d sinks; want c1 once taken", cursorOf(t, cursors, "script"), sinks)
	}
	if h := healthOf(t, health, "script"); h.Failures != 0 || len(gapsOf(t, health)) != 0 {
		t.Errorf("busy counted as failure: %+v, gaps %v", h, gapsOf(t, health))
	}
}
