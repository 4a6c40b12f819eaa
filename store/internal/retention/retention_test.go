package retention

import (
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestSet(t *testing.T) {
	for _, tc := range []struct {
		key, value string
		want       earshot.Retention
		ours, ok   bool
	}{
		{"retention", "90d", earshot.Retention{Posts: 90 * 24 * time.Hour}, true, true},
		{"rollup_retention", "730d", earshot.Retention{Rollups: 730 * 24 * time.Hour}, true, true},
		{"retention", "36h", earshot.Retention{Posts: 36 * time.Hour}, true, true},
		{"retention", "0d", earshot.Retention{}, true, true},
		{"retention", "-1d", earshot.Retention{}, true, false},
		{"retention", "ninety", earshot.Retention{}, true, false},
		{"rollup_retention", "1.5d", earshot.Retention{}, true, false},
		{"cluster", "90d", earshot.Retention{}, false, true},
	} {
		var r earshot.Retention
		ours, err := Set(&r, tc.key, tc.value)
		if ours != tc.ours || (err == nil) != tc.ok || r != tc.want {
			t.Errorf("Set(%s=%s) = %v, %v, %+v; want %v, ok %v, %+v", tc.key, tc.value, ours, err, r, tc.ours, tc.ok, tc.want)
		}
	}
}

func TestCut(t *testing.T) {
	now := time.Date(2026, 6, 15, 10, 30, 45, 0, time.UTC)
	if got, want := Cut(now, 24*time.Hour), time.Date(2026, 6, 14, 10, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Cut a day = %v, want %v (rounded down to the minute)", got, want)
	}
	if got := Cut(now, 0); !got.IsZero() {
		t.Errorf("Cut for ever = %v, want the zero time", got)
	}
}
