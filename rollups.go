package earshot

import (
	"context"
	"time"
)

// RollupRebuilder is a store that keeps rollups of its posts (counts and
// sentiment per minute, watch and source, which series read instead of
// posts) and can compute them again from the posts, for a rollup that
// went wrong (a save that failed half-way, a process killed between its
// writes) or was never filled.
type RollupRebuilder interface {
	// RebuildRollups makes the rollups of the posts created in [from, to)
	// what the stored posts say, a span of time at a time, calling
	// progress after each span (progress may be nil). A zero from or to
	// is the first or last post or rollup row. The bounds are widened to
	// whole minutes. Where posts expire before the rollups, the rebuild
	// starts at the earliest post still stored, so that the counts of
	// expired posts stay. Saves by other processes during the rebuild may
	// be counted wrong: rebuild again once they stop. It returns the last
	// progress.
	RebuildRollups(ctx context.Context, from, to time.Time, progress func(RebuildProgress)) (RebuildProgress, error)
}

// RebuildProgress is how far a RebuildRollups has gone.
type RebuildProgress struct {
	// From and To are the span being rebuilt, in whole minutes.
	From, To time.Time
	// Done is the end of the part rebuilt so far: From before the first
	// span, To when finished.
	Done time.Time
	// Posts counts the posts the rollups hold for [From, Done).
	Posts int64
	// Fixed counts the rollup rows that had to change (0: the rollups
	// were right).
	Fixed int64
}
