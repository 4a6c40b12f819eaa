// Package snowflake reads Twitter's Snowflake IDs: the milliseconds since
// Twitter's epoch, shifted left by 22 bits, with a machine and sequence
// number in those bits. An ID therefore orders tweets by time, and a time
// has a smallest ID. Both Twitter collectors (v1.1 and v2) use it, and
// Search, the reach of their searches.
package snowflake

import (
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/collectors"
)

// Epoch is Twitter's epoch, in Unix milliseconds.
const Epoch = 1288834974657

// At returns the smallest ID a tweet posted at t can have: since_id =
// At(t) asks for the tweets posted after t. Times before the epoch give 0.
func At(t time.Time) int64 {
	ms := t.UnixMilli() - Epoch
	if ms <= 0 {
		return 0
	}
	return ms << 22
}

// Time returns when id was made, to the millisecond, in UTC.
func Time(id int64) time.Time {
	return time.UnixMilli(id>>22 + Epoch).UTC()
}

// Format writes an ID as the APIs do, in decimal.
func Format(id int64) string { return strconv.FormatInt(id, 10) }

// SearchWindow is how far back both Twitter searches (v1.1's standard
// search, v2's recent search) reach.
const SearchWindow = 7 * 24 * time.Hour

// MaxGaps bounds the gaps a cursor keeps. A run adds at most one, so only a
// search that outruns max_pages for many runs in a row reaches it; then the
// oldest gap is given up, with a warning.
const MaxGaps = 20

// Search is a run at now over a Twitter search: it reaches back
// SearchWindow (less a minute of slack) and keeps MaxGaps gaps.
func Search(now time.Time) collectors.IDSearch {
	floor := At(now.Add(-SearchWindow + time.Minute)) // the oldest the search still reaches
	return collectors.IDSearch{Floor: floor, MaxGaps: MaxGaps, TimeOf: Time}
}

// SearchChecks are the checks of the configuration keys both Twitter
// collectors share; search names their endpoint ("standard", "recent").
func SearchChecks(query string, token collectors.Secret, backfill time.Duration, maxPages int, search string) []collectors.Check {
	return []collectors.Check{
		{Key: "query", OK: strings.TrimSpace(query) != "", Problem: "required"},
		{Key: "bearer_token", OK: token != "", Problem: `required (write "env:NAME" or "file:/path")`},
		collectors.BackfillCheck(backfill),
		{Key: "backfill", OK: backfill <= SearchWindow, Problem: "must be at most 168h: the " + search + " search reaches back 7 days"},
		{Key: "max_pages", OK: maxPages >= 1, Problem: "must be at least 1"},
	}
}
