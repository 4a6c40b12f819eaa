// Package retention reads the retention keys of a store address, the same
// for store/duckdb and store/clickhouse: retention=90d for posts and
// rollup_retention=730d for the rollup (see earshot.Retention), and says
// where a retention cuts by the minute (store/duckdb and store/memstore;
// store/clickhouse without TTL cuts by the month).
package retention

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// Set reads the address parameter key=value into r when key is a
// retention key, and reports whether it was. The caller validates r once
// every key is read.
func Set(r *earshot.Retention, key, value string) (bool, error) {
	var d *time.Duration
	switch key {
	case "retention":
		d = &r.Posts
	case "rollup_retention":
		d = &r.Rollups
	default:
		return false, nil
	}
	v, err := Parse(value)
	if err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	*d = v
	return true, nil
}

// Parse reads a duration, also in whole days ("90d").
func Parse(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	return d, nil
}

// Keys says r as address parameters, the keys set only when not zero.
func Keys(r earshot.Retention) map[string]string {
	keys := map[string]string{}
	if r.Posts > 0 {
		keys["retention"] = r.Posts.String()
	}
	if r.Rollups > 0 {
		keys["rollup_retention"] = r.Rollups.String()
	}
	return keys
}

// Cut is where a retention of keep cuts at now: now - keep rounded down
// to the minute, so that a minute's posts go together and a rollup
// minute goes with them. What was created before it has expired. It is
// the zero time when keep is zero (nothing expires).
func Cut(now time.Time, keep time.Duration) time.Time {
	if keep <= 0 {
		return time.Time{}
	}
	return now.Add(-keep).UTC().Truncate(time.Minute)
}
