package model

import (
	"testing"
	"time"
)

func TestBucketStart(t *testing.T) {
	for _, tc := range []struct {
		at    string
		width time.Duration
		want  string
	}{
		{"2026-03-02T10:00:59.999Z", time.Minute, "2026-03-02T10:00:00Z"},
		{"2026-03-02T10:59:00Z", time.Hour, "2026-03-02T10:00:00Z"},
		{"2026-03-02T23:59:59Z", day, "2026-03-02T00:00:00Z"},
		{"2026-03-02T00:00:00Z", day, "2026-03-02T00:00:00Z"},
		{"1969-12-31T23:59:00Z", day, "1969-12-31T00:00:00Z"},
	} {
		if got := BucketStart(at(tc.at), tc.width); !got.Equal(at(tc.want)) {
			t.Errorf("BucketStart(%s, %s) = %s, want %s", tc.at, tc.width, got, tc.want)
		}
	}
}

const day = 24 * time.Hour

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}
