package collectors

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/earshot/earshot"
)

// IDPage is one page of a search over a range of IDs, as IDRun.Fetch
// returns it.
type IDPage[T any] struct {
	// Items are the page's results, newest first.
	Items []T
	// Header is the response's, for the rate limit.
	Header http.Header
	// Next names the next page (v2's next_token; any non-empty string
	// for a search that pages by lowering until); empty: there is none.
	Next string
	// Post makes an item's post; ok false skips the item (Post logs why).
	Post func(item *T) (p earshot.Post, ok bool)
}

// IDRun is one Collect of a paged search whose IDs grow with time (see
// IDSearch): the pages it may still fetch, the posts so far. It pages
// through each range IDSearch asks for, newest first, until the search has
// nothing older or the run must stop: max_pages reached, or the rate limit
// exhausted. A run is used by one goroutine.
type IDRun[T any] struct {
	// Now is the run's clock.
	Now time.Time
	// Budget is the pages the run may still fetch.
	Budget int
	// Backoff is told when the rate limit lets the collector ask again.
	Backoff *Backoff
	Log     *slog.Logger
	// Fetch fetches one page of the results with since < id < until
	// (until 0: no upper bound); token is the Next of the page before in
	// the range, or empty.
	Fetch func(ctx context.Context, since, until int64, token string) (IDPage[T], error)
	// ID returns an item's ID; ok false skips the item.
	ID func(item *T) (id int64, ok bool)
	// Narrow pages by lowering until to the oldest ID so far (v1.1's
	// max_id) rather than by passing the page's Next as the token.
	Narrow bool

	// Pages is the pages fetched so far.
	Pages int
	// Posts are the posts collected so far, each ID once.
	Posts []earshot.Post

	limited bool // the rate limit ran out: fetch nothing more
	taken   map[string]bool
}

// Stopped reports that the run may fetch nothing more.
func (r *IDRun[T]) Stopped() bool { return r.limited || r.Budget == 0 }

// Run runs s over top and gaps (see IDSearch.Run) with r's Segment and
// Stopped, and logs how far the run got.
func (r *IDRun[T]) Run(ctx context.Context, s IDSearch, top int64, gaps []IDGap) (int64, []IDGap, error) {
	s.Search, s.Stopped, s.Log = r.Segment, r.Stopped, r.Log
	top, gaps, err := s.Run(ctx, top, gaps)
	if err != nil {
		return 0, nil, err
	}
	if len(gaps) > 0 {
		r.Log.Info("run stopped early; the next runs fetch the rest", "pages", r.Pages, "gaps", len(gaps))
	}
	r.Log.Debug("searched", "pages", r.Pages, "posts", len(r.Posts))
	return top, gaps, nil
}

// Segment pages through the results with since < id < until (until 0: no
// upper bound), newest first, until the search has nothing older or the
// run must stop. It is an IDSearch's Search.
func (r *IDRun[T]) Segment(ctx context.Context, since, until int64) (IDSegment, error) {
	seg := IDSegment{Until: until}
	token := ""
	for {
		if until != 0 && until <= since+1 {
			seg.Done = true
			return seg, nil
		}
		if r.Stopped() {
			return seg, nil
		}
		r.Budget--
		pg, err := r.Fetch(ctx, since, until, token)
		if err != nil {
			var ra *RetryAfterError
			if r.Pages > 0 && errors.As(err, &ra) {
				// Keep what this run fetched; the cursor remembers the rest.
				r.limited = true
				if ra.Wait > 0 {
					r.Backoff.Until(r.Now.Add(ra.Wait))
				}
				r.Log.Warn("rate limited while paging; stopping early", "retry_after", ra.Wait.String())
				return seg, nil
			}
			return seg, err
		}
		r.Pages++
		if wait, ok := Exhausted(pg.Header, r.Now); ok {
			r.limited = true
			if wait > 0 {
				r.Backoff.Until(r.Now.Add(wait))
			}
			r.Log.Debug("rate limit exhausted; stopping after this page", "reset_in", wait.String())
		}
		oldest := int64(0)
		for i := range pg.Items {
			item := &pg.Items[i]
			id, ok := r.ID(item)
			if !ok || id <= since || (until != 0 && id >= until) {
				continue // not an ID, or outside the range asked for
			}
			seg.Newest = max(seg.Newest, id)
			if oldest == 0 || id < oldest {
				oldest = id
			}
			p, ok := pg.Post(item)
			if !ok {
				continue
			}
			if r.taken[p.ID] {
				continue // a retweet of a tweet already taken
			}
			if r.taken == nil {
				r.taken = map[string]bool{}
			}
			r.taken[p.ID] = true
			r.Posts = append(r.Posts, p)
		}
		if oldest != 0 {
			seg.Until = oldest
		}
		if oldest == 0 || pg.Next == "" {
			seg.Done = true
			return seg, nil
		}
		if r.Narrow {
			until = oldest
		} else {
			token = pg.Next
		}
	}
}

// Collect is the whole of a Collect over an IDWatermark cursor: it reads
// the cursor (an unreadable one is logged and ignored), runs s from its
// watermark (from start, the ID of the backfill's beginning, on the first
// run) and over its gaps, and returns the posts with the next cursor. An
// error of a search is returned with the cursor unchanged.
func (r *IDRun[T]) Collect(ctx context.Context, cursor string, s IDSearch, start int64) ([]earshot.Post, string, error) {
	st, err := ParseIDWatermark(cursor)
	if err != nil {
		r.Log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
		st = IDWatermark{}
	}
	top := st.SinceID
	if top == 0 {
		top = start
	}
	top, gaps, err := r.Run(ctx, s, top, st.Gaps)
	if err != nil {
		return nil, cursor, err
	}
	return r.Posts, IDWatermark{SinceID: top, Gaps: gaps}.String(), nil
}
