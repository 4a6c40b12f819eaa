package collectors

import (
	"testing"
	"time"
)

// FuzzDecodeCursor reads arbitrary cursors (a store's row may hold
// anything): none may panic, and one that decodes encodes and decodes
// again to the same value.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{"", `{"v":1}`, `{"v":1,"since":"2026-03-02T10:00:00Z","ids":["a","b"],"page":"x"}`, `{"v":2}`, `{"v":"1"}`, `[]`, `null`} {
		f.Add(s)
	}
	type cur struct {
		V     int       `json:"v"`
		Since time.Time `json:"since"`
		IDs   []string  `json:"ids"`
		Page  string    `json:"page"`
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeCursor[cur](s, 1)
		if err != nil || s == "" {
			return
		}
		if c.Since.Year() > 9999 || c.Since.Year() < 0 {
			return // not a time JSON can write back
		}
		again, err := DecodeCursor[cur](EncodeCursor(c), 1)
		if err != nil {
			t.Fatalf("re-decoding %q: %v", EncodeCursor(c), err)
		}
		if !again.Since.Equal(c.Since) || again.Page != c.Page || len(again.IDs) != len(c.IDs) {
			t.Errorf("round trip changed the cursor: %+v → %+v", c, again)
		}
	})
}
