package collectors

import (
	"fmt"
	"log/slog"
	"time"
)

// revisitCursorVersion is bumped when the meaning of a RevisitCursor
// changes; a cursor of another version is ignored (the next run starts
// afresh from the collector's backfill).
const revisitCursorVersion = 2

// RevisitCursor is the whole cursor of a collector that follows one
// owner's list (a Page's feed, a channel's comment threads, an
// organization's posts) with a revisit window. As JSON:
//
//	{"v":2,"owner":"104857600123","since":1748606400,
//	 "sweep":{"start":1748865600,"until":1748851201},
//	 "seen":{"104857600123_901":{"t":1748851200,"ids":{"104857600123_901":"6b1f0c2a"}}}}
type RevisitCursor[P SweepPosition] struct {
	V int `json:"v"`
	// Owner is the page, channel or organization the cursor was made
	// for: a cursor made for another one is ignored.
	Owner string `json:"owner"`
	RevisitWindow[P]
}

// NewRevisitCursor starts a cursor for owner that reads back to since
// (Unix seconds).
func NewRevisitCursor[P SweepPosition](owner string, since int64) RevisitCursor[P] {
	return RevisitCursor[P]{V: revisitCursorVersion, Owner: owner, RevisitWindow: RevisitWindow[P]{Since: since}}
}

// ParseRevisitCursor decodes a cursor that String made for owner. A cursor
// of another version or owner is an error: the caller logs it and starts
// afresh.
func ParseRevisitCursor[P SweepPosition](s, owner string) (RevisitCursor[P], error) {
	c, err := DecodeCursor[RevisitCursor[P]](s, revisitCursorVersion)
	if err != nil {
		return RevisitCursor[P]{}, err
	}
	if c.Owner != owner {
		return RevisitCursor[P]{}, fmt.Errorf("cursor is for %q, not %q", c.Owner, owner)
	}
	return c, nil
}

// String encodes the cursor.
func (c RevisitCursor[P]) String() string {
	c.V = revisitCursorVersion
	return EncodeCursor(c)
}

// LoadRevisitCursor returns the cursor s, which String made for owner, or
// a new one reading back backfill from now when there is none or it cannot
// be read (which it logs).
func LoadRevisitCursor[P SweepPosition](s, owner string, now time.Time, backfill time.Duration, log *slog.Logger) RevisitCursor[P] {
	if s != "" {
		c, err := ParseRevisitCursor[P](s, owner)
		if err == nil {
			return c
		}
		log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
	}
	return NewRevisitCursor[P](owner, now.Add(-backfill).Unix())
}
