// Package snowflake reads Twitter's Snowflake IDs: the milliseconds since
// Twitter's epoch, shifted left by 22 bits, with a machine and sequence
// number in those bits. An ID therefore orders tweets by time, and a time
// has a smallest ID. Both Twitter collectors (v1.1 and v2) use it.
package snowflake

import "time"

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
