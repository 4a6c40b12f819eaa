package collectors

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeSearch pages through since < id < until over ids (newest first),
// per pages a run, then stops.
type fakeSearch struct {
	ids   []int64 // newest first
	per   int
	pages int // left in the run
	calls [][2]int64
	err   error
}

func (f *fakeSearch) search(_ context.Context, since, until int64) (IDSegment, error) {
	f.calls = append(f.calls, [2]int64{since, until})
	if f.err != nil {
		return IDSegment{}, f.err
	}
	res := IDSegment{Until: until}
	for {
		if f.pages == 0 {
			return res, nil
		}
		f.pages--
		var page []int64
		for _, id := range f.ids {
			if id > since && (res.Until == 0 || id < res.Until) && len(page) < f.per {
				page = append(page, id)
			}
		}
		if len(page) == 0 {
			res.Done = true
			return res, nil
		}
		res.Newest = max(res.Newest, page[0])
		res.Until = page[len(page)-1]
	}
}

func TestIDSearch(t *testing.T) {
	ids := []int64{100, 90, 80, 70, 60, 50, 40, 30, 20, 10}
	cases := []struct {
		name      string
		top       int64
		gaps      []IDGap
		floor     int64
		pages     int
		maxGaps   int
		wantTop   int64
		wantGaps  []IDGap
		wantCalls [][2]int64
		wantLog   string
	}{
		{name: "all new", top: 45, pages: 10, maxGaps: 5, wantTop: 100,
			wantCalls: [][2]int64{{45, 0}}},
		{name: "out of pages: the rest is a gap", top: 5, pages: 2, maxGaps: 5, wantTop: 100,
			wantGaps: []IDGap{{5, 70}}, wantCalls: [][2]int64{{5, 0}}},
		{name: "gap finished after the new", top: 100, gaps: []IDGap{{5, 70}}, pages: 10, maxGaps: 5, wantTop: 100,
			wantCalls: [][2]int64{{100, 0}, {5, 70}}},
		{name: "stopped: gaps kept as they are", top: 65, gaps: []IDGap{{35, 45}, {5, 25}}, pages: 1, maxGaps: 5, wantTop: 100,
			wantGaps: []IDGap{{65, 90}, {35, 45}, {5, 25}}, wantCalls: [][2]int64{{65, 0}}},
		{name: "below the floor", top: 5, gaps: []IDGap{{1, 15}, {15, 35}}, floor: 20, pages: 10, maxGaps: 5, wantTop: 100,
			wantCalls: [][2]int64{{20, 0}, {20, 35}}, wantLog: "out of the search's reach"},
		{name: "too many gaps", top: 95, gaps: []IDGap{{75, 85}, {55, 65}}, pages: 1, maxGaps: 2, wantTop: 100,
			wantGaps: []IDGap{{95, 100}, {75, 85}}, wantCalls: [][2]int64{{95, 0}}, wantLog: "too many gaps"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeSearch{ids: ids, per: 2, pages: c.pages}
			var logs bytes.Buffer
			s := IDSearch{
				Floor: c.floor, MaxGaps: c.maxGaps, Search: f.search,
				Stopped: func() bool { return f.pages == 0 },
				Log:     slog.New(slog.NewTextHandler(&logs, nil)),
				TimeOf:  func(id int64) time.Time { return time.Unix(id, 0) },
			}
			top, gaps, err := s.Run(t.Context(), c.top, c.gaps)
			if err != nil {
				t.Fatal(err)
			}
			if top != c.wantTop || !slices.Equal(gaps, c.wantGaps) || !slices.Equal(f.calls, c.wantCalls) {
				t.Errorf("top %d, gaps %v, calls %v; want %d, %v, %v", top, gaps, f.calls, c.wantTop, c.wantGaps, c.wantCalls)
			}
			if c.wantLog != "" && !strings.Contains(logs.String(), c.wantLog) {
				t.Errorf("log lacks %q:\n%s", c.wantLog, logs.String())
			}
		})
	}
	t.Run("error", func(t *testing.T) {
		boom := errors.New("boom")
		f := &fakeSearch{err: boom}
		s := IDSearch{Search: f.search, Stopped: func() bool { return false }, Log: slog.New(slog.DiscardHandler), TimeOf: time.UnixMilli}
		if _, _, err := s.Run(t.Context(), 1, nil); !errors.Is(err, boom) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestIDCursor(t *testing.T) {
	c := IDWatermark{SinceID: 1929523463413514240, Gaps: []IDGap{{Since: 1929518430559092736, Until: 1929521046567469056}}}
	s := c.String()
	want := `{"v":1,"since_id":"1929523463413514240","gaps":[{"since_id":"1929518430559092736","until_id":"1929521046567469056"}]}`
	if s != want {
		t.Fatalf("String:\n got %s\nwant %s", s, want)
	}
	back, err := ParseIDWatermark(s)
	if err != nil || back.String() != s {
		t.Fatalf("round trip: %v, %s", err, back.String())
	}
	if c, err := ParseIDWatermark(""); err != nil || c.SinceID != 0 || len(c.Gaps) != 0 {
		t.Errorf(`ParseIDWatermark("") = %+v, %v; want the zero cursor`, c, err)
	}
	for _, bad := range []struct{ cursor, why string }{
		{`{"v":2,"since_id":"5"}`, "another version"},
		{`{"v":1,"since_id":"5","gaps":[{"since_id":"3","until_id":"3"}]}`, "an empty gap"},
		// The Twitter v1.1 collector's cursors kept gaps as max_id: read
		// as until_id 0, they are refused and the run starts afresh.
		{`{"v":1,"since_id":"9","gaps":[{"since_id":"3","max_id":"7"}]}`, "a gap in the old max_id form"},
		{`{"v":1,"since_id":5}`, "an ID that is not a string"},
		{`not json`, "garbage"},
	} {
		if _, err := ParseIDWatermark(bad.cursor); err == nil {
			t.Errorf("%s was accepted: %s", bad.why, bad.cursor)
		}
	}
}
