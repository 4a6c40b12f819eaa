package collectors

import (
	"log/slog"
	"time"

	"github.com/earshot/earshot"
)

// RevisitRun is one run of a collector that follows an owner's list with
// a revisit window (Facebook, LinkedIn, YouTube): when it started, its
// cursor, the requests it made and the posts it collected. The
// collector's run embeds it.
type RevisitRun[P SweepPosition] struct {
	Now      time.Time
	Cursor   RevisitCursor[P]
	Requests int
	Posts    []earshot.Post
}

// StartRevisitRun starts a run at now with the cursor s, which String
// made for owner, or a new one reading back backfill when there is none
// or it cannot be read (see LoadRevisitCursor).
func StartRevisitRun[P SweepPosition](s, owner string, now time.Time, backfill time.Duration, log *slog.Logger) RevisitRun[P] {
	return RevisitRun[P]{Now: now, Cursor: LoadRevisitCursor[P](s, owner, now, backfill, log)}
}

// Finish runs the cursor's window over pass (see RevisitWindow.Run) and
// ends the run with EndRun: cursor, what the run was given, is kept when
// an error comes before anything was collected, and waitUntil learns how
// long a RetryAfterError asks to wait. It logs the requests made and
// whether a sweep is under way.
func (r *RevisitRun[P]) Finish(cursor string, revisit time.Duration, pass RevisitPass[P], waitUntil func(time.Time), log *slog.Logger) ([]earshot.Post, string, error) {
	err := r.Cursor.Run(r.Now, revisit, pass)
	return EndRun(cursor, r.Cursor.String(), r.Posts, err, r.Now, waitUntil, log,
		"requests", r.Requests, "sweep", r.Cursor.Sweep != nil)
}

// Keep adds p, the post of item id of thread th, unless the run's cursor
// has it with the same text; edited reports a post kept whose text
// changed since.
func (r *RevisitRun[P]) Keep(th *RevisitThread, id string, p earshot.Post) (edited bool) {
	take, edited := th.Take(id, p.Text)
	if !take {
		return false
	}
	r.Posts = append(r.Posts, p)
	return edited
}
