package collectors

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// fakePages serves ids (newest first) per at a time, in the range asked
// for, naming the next page by the offset of its first item.
type fakePages struct {
	ids   []int64
	per   int
	calls []string // "since until token"
	errAt int      // the call (from 1) that fails with err; 0: none
	err   error
	hdr   http.Header // the header of every page
}

func (f *fakePages) fetch(_ context.Context, since, until int64, token string) (IDPage[int64], error) {
	f.calls = append(f.calls, strconv.FormatInt(since, 10)+" "+strconv.FormatInt(until, 10)+" "+token)
	if len(f.calls) == f.errAt {
		return IDPage[int64]{}, f.err
	}
	var in []int64
	for _, id := range f.ids {
		if id > since && (until == 0 || id < until) {
			in = append(in, id)
		}
	}
	from, _ := strconv.Atoi(token)
	pg := IDPage[int64]{Header: f.hdr, Post: func(id *int64) (earshot.Post, bool) {
		return earshot.Post{ID: "x:" + strconv.FormatInt(*id%1000, 10)}, *id != 55
	}}
	pg.Items = in[min(from, len(in)):min(from+f.per, len(in))]
	if from+f.per < len(in) {
		pg.Next = strconv.Itoa(from + f.per)
	}
	return pg, nil
}

func newTestRun(f *fakePages, budget int, narrow bool) *IDRun[int64] {
	return &IDRun[int64]{
		Now: time.Unix(1000, 0), Budget: budget, Backoff: &Backoff{}, Log: slog.New(slog.DiscardHandler),
		Fetch: f.fetch, Narrow: narrow,
		ID: func(id *int64) (int64, bool) { return *id, *id > 0 },
	}
}

func postIDs(ps []earshot.Post) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestIDRunSegment(t *testing.T) {
	ids := []int64{1080, 90, 80, 70, 60, 55, 50, 40} // 1080 repeats 80's post; 55 is skipped by Post
	for _, narrow := range []bool{false, true} {
		t.Run("narrow="+strconv.FormatBool(narrow), func(t *testing.T) {
			f := &fakePages{ids: ids, per: 2}
			r := newTestRun(f, 2, narrow)
			seg, err := r.Segment(t.Context(), 45, 85)
			if err != nil {
				t.Fatal(err)
			}
			// Pages: [80 70] [60 55]; then the budget is spent.
			if want := (IDSegment{Newest: 80, Until: 55}); seg != want {
				t.Errorf("segment = %+v, want %+v", seg, want)
			}
			if got, want := postIDs(r.Posts), []string{"x:80", "x:70", "x:60"}; !slices.Equal(got, want) {
				t.Errorf("posts = %v, want %v", got, want)
			}
			wantCalls := []string{"45 85 ", "45 85 2"}
			if narrow {
				wantCalls = []string{"45 85 ", "45 70 "}
			}
			if !slices.Equal(f.calls, wantCalls) {
				t.Errorf("calls = %q, want %q", f.calls, wantCalls)
			}
			if !r.Stopped() || r.Pages != 2 {
				t.Errorf("stopped %v after %d pages", r.Stopped(), r.Pages)
			}

			// A new budget finishes the range; a post taken before is not
			// taken again.
			r.Budget = 5
			seg, err = r.Segment(t.Context(), 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !seg.Done || seg.Newest != 1080 {
				t.Errorf("segment = %+v, want done with newest 1080", seg)
			}
			if got, want := postIDs(r.Posts), []string{"x:80", "x:70", "x:60", "x:90", "x:50", "x:40"}; !slices.Equal(got, want) {
				t.Errorf("posts = %v, want %v", got, want)
			}
		})
	}
}

func TestIDRunEmptyRange(t *testing.T) {
	f := &fakePages{per: 2}
	r := newTestRun(f, 1, false)
	seg, err := r.Segment(t.Context(), 10, 11)
	if err != nil || !seg.Done || len(f.calls) != 0 || r.Budget != 1 {
		t.Errorf("segment = %+v, %v after %q", seg, err, f.calls)
	}
}

func TestIDRunRateLimit(t *testing.T) {
	limited := &RetryAfterError{Wait: time.Minute}

	// On the first page, the error ends the run.
	f := &fakePages{ids: []int64{3, 2, 1}, per: 1, errAt: 1, err: limited}
	r := newTestRun(f, 5, false)
	if _, err := r.Segment(t.Context(), 0, 0); !errors.Is(err, limited) {
		t.Fatalf("err = %v, want the rate limit", err)
	}

	// Later, the run keeps what it has and waits.
	f = &fakePages{ids: []int64{3, 2, 1}, per: 1, errAt: 2, err: limited}
	r = newTestRun(f, 5, false)
	seg, err := r.Segment(t.Context(), 0, 0)
	if err != nil || seg.Done || seg.Until != 3 || len(r.Posts) != 1 || !r.Stopped() {
		t.Errorf("segment = %+v, %v, %d posts, stopped %v", seg, err, len(r.Posts), r.Stopped())
	}
	if w := r.Backoff.Wait(r.Now); w != time.Minute {
		t.Errorf("backoff = %v, want 1m", w)
	}

	// A page that exhausts the limit is the last.
	f = &fakePages{ids: []int64{3, 2, 1}, per: 1, hdr: http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {"300"}}}
	r = newTestRun(f, 5, false)
	seg, err = r.Segment(t.Context(), 0, 0)
	if err != nil || seg.Done || len(f.calls) != 1 || !r.Stopped() {
		t.Errorf("segment = %+v, %v after %q", seg, err, f.calls)
	}
	if w := r.Backoff.Wait(r.Now); w != 5*time.Minute {
		t.Errorf("backoff = %v, want 5m", w)
	}
}

func TestIDRunRun(t *testing.T) {
	f := &fakePages{ids: []int64{900, 800, 700}, per: 1}
	r := newTestRun(f, 2, false)
	top, gaps, err := r.Run(t.Context(), IDSearch{Floor: 100, MaxGaps: 5, TimeOf: time.UnixMilli}, 100, []IDGap{{Since: 150, Until: 160}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []IDGap{{Since: 100, Until: 800}, {Since: 150, Until: 160}}; top != 900 || !slices.Equal(gaps, want) {
		t.Errorf("Run = %d, %v; want 900, %v", top, gaps, want)
	}
}
