package collectors

import (
	"context"
	"log/slog"
	"time"
)

// IDGap is a range of IDs a search has still to fetch: Since < id < Until,
// the meaning of the since_id and until_id of Twitter's v2 search. It
// marshals the way the twitter_v2 cursor keeps it.
type IDGap struct {
	Since int64 `json:"since_id,string"`
	Until int64 `json:"until_id,string"`
}

// IDSegment says how far a search over one range of IDs got.
type IDSegment struct {
	// Newest is the newest ID the search returned, 0 if none.
	Newest int64
	// Done: the range was searched to its end.
	Done bool
	// Until is where the rest of the range ends (exclusive) when not
	// done; 0 when nothing was fetched.
	Until int64
}

// IDSearch is one run over a search whose IDs grow with time (Twitter's
// Snowflake IDs) and which reaches back only so far: what is new above the
// newest ID collected first, then the gaps earlier runs left, newest first,
// as far as the run may go. A range the run cannot finish becomes a gap for
// the next runs.
type IDSearch struct {
	// Floor is the oldest ID the search still reaches: older gaps are
	// given up, with a warning.
	Floor int64
	// MaxGaps bounds the gaps kept; the oldest beyond it are given up,
	// with a warning.
	MaxGaps int
	// Search pages back through Since < id < Until (Until 0: no upper
	// bound), newest first, until nothing is older or the run must stop.
	Search func(ctx context.Context, since, until int64) (IDSegment, error)
	// Stopped reports that the run may fetch nothing more.
	Stopped func() bool
	Log     *slog.Logger
	// TimeOf is when an ID was made, for the log.
	TimeOf func(id int64) time.Time
}

// Run searches above top (the newest ID collected, or the ID of the
// backfill's start) and then gaps. It returns the newest ID to search
// above next time and the gaps left, newest first. An error of any search
// ends the run: the caller keeps its cursor.
func (s IDSearch) Run(ctx context.Context, top int64, gaps []IDGap) (int64, []IDGap, error) {
	if top < s.Floor {
		s.Log.Warn("the search no longer reaches back to the cursor; tweets in between are lost",
			"from", s.when(top), "to", s.when(s.Floor))
		top = s.Floor
	}
	var next []IDGap
	res, err := s.Search(ctx, top, 0)
	if err != nil {
		return 0, nil, err
	}
	if !res.Done && res.Until != 0 {
		next = append(next, IDGap{Since: top, Until: res.Until})
	}
	top = max(top, res.Newest)
	for _, g := range gaps {
		if g.Until <= s.Floor {
			s.Log.Warn("a gap left by an earlier run is out of the search's reach; its tweets are lost",
				"from", s.when(g.Since), "to", s.when(g.Until))
			continue
		}
		g.Since = max(g.Since, s.Floor)
		if s.Stopped() {
			next = append(next, g)
			continue
		}
		res, err := s.Search(ctx, g.Since, g.Until)
		if err != nil {
			return 0, nil, err
		}
		if !res.Done {
			next = append(next, IDGap{Since: g.Since, Until: res.Until})
		}
	}
	if len(next) > s.MaxGaps {
		for _, g := range next[s.MaxGaps:] {
			s.Log.Warn("too many gaps; giving up on the oldest, its tweets are lost",
				"from", s.when(g.Since), "to", s.when(g.Until))
		}
		next = next[:s.MaxGaps]
	}
	return top, next, nil
}

func (s IDSearch) when(id int64) string { return s.TimeOf(id).Format(time.RFC3339) }
