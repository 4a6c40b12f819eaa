package retryafter

import (
	"math"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"   ", 0, false},
		{"120", 2 * time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{"0", 0, true},
		{"007", 7 * time.Second, true},
		{"86401", 86401 * time.Second, true},
		{"99999999999999999999", math.MaxInt64, true},
		{"9300000000", math.MaxInt64, true},
		{"-5", 0, false},
		{"-1", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"Mon, 02 Jun 2025 12:01:30 GMT", 90 * time.Second, true},
		{" Mon, 02 Jun 2025 12:01:30 GMT ", 90 * time.Second, true},
		{"Monday, 02-Jun-25 12:00:10 GMT", 10 * time.Second, true},
		{"Mon, 02 Jun 2025 11:00:00 GMT", 0, true},
		{"Mon, 09 Jun 2025 12:00:00 GMT", 7 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		if got, ok := Parse(tt.in, now); got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %s %v, want %s %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
