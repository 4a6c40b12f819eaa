package snowflake

import (
	"testing"
	"time"
)

func TestSnowflake(t *testing.T) {
	// A real-format ID: 2025-06-02 12:00:00.123 UTC, machine 5, sequence 7.
	when := time.Date(2025, 6, 2, 12, 0, 0, 123e6, time.UTC)
	id := (when.UnixMilli()-Epoch)<<22 | 5<<12 | 7
	if got := Time(id); !got.Equal(when) {
		t.Errorf("Time(%d) = %v, want %v", id, got, when)
	}
	if at := At(when); at > id || at <= At(when.Add(-time.Millisecond)) {
		t.Errorf("At(%v) = %d: not the smallest ID of that millisecond (id %d)", when, at, id)
	}
	if got := Time(At(when)); !got.Equal(when) {
		t.Errorf("Time(At(t)) = %v, want %v", got, when)
	}
	if At(time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)) != 0 {
		t.Error("a time before Twitter's epoch should give ID 0")
	}
}
