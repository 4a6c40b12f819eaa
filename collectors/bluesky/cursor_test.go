package bluesky

import (
	"slices"
	"testing"
	"time"
)

func TestJWTExpiry(t *testing.T) {
	// {"alg":"ES256K"}.{"sub":"did:plc:x","exp":1748872800}.sig
	tok := "eyJhbGciOiJFUzI1NksifQ.eyJzdWIiOiJkaWQ6cGxjOngiLCJleHAiOjE3NDg4NzI4MDB9.c2ln"
	if got, want := jwtExpiry(tok), time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("jwtExpiry = %v, want %v", got, want)
	}
	for _, opaque := range []string{"", "opaque-token", "a.b.c", "a.bm90IGpzb24.c"} {
		if got := jwtExpiry(opaque); !got.IsZero() {
			t.Errorf("jwtExpiry(%q) = %v, want zero", opaque, got)
		}
	}
}

func TestMergeOldest(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2025, 6, 2, h, 0, 0, 0, time.UTC) }
	gaps := []span{{Since: at(8), Until: at(9), UntilURIs: []string{"a"}}, {Since: at(5), Until: at(6)}, {Since: at(2), SinceURIs: []string{"b"}, Until: at(3)}}
	got := mergeOldest(slices.Clone(gaps), 2)
	if len(got) != 2 || !got[1].Since.Equal(at(2)) || !got[1].Until.Equal(at(6)) || !slices.Equal(got[1].SinceURIs, []string{"b"}) {
		t.Errorf("mergeOldest = %+v", got)
	}
}

func TestUnreadableCursor(t *testing.T) {
	for _, s := range []string{"{not json", `{"v":2}`, `[]`} {
		if _, err := parseCursor(s); err == nil {
			t.Errorf("parseCursor(%q) succeeded", s)
		}
	}
}
