package mastodon

import (
	"slices"
	"testing"
	"time"
)

func TestCompareIDs(t *testing.T) {
	ids := []string{"114613616640000001", "99", "114613577318400002", "100", "114613616640000000"}
	slices.SortFunc(ids, compareIDs)
	want := []string{"99", "100", "114613577318400002", "114613616640000000", "114613616640000001"}
	if !slices.Equal(ids, want) {
		t.Errorf("sorted %v, want %v", ids, want)
	}
}

func TestWiden(t *testing.T) {
	at := time.Date(2025, 6, 2, 11, 50, 0, 250e6, time.UTC)
	id := snowflake(at)
	got := widen(id)
	if want := snowflake(time.Date(2025, 6, 2, 11, 50, 1, 0, time.UTC)); got != want {
		t.Errorf("widen(%s) = %s, want %s", id, got, want)
	}
	if got := widen("01HZXJ3Q5R"); got != "01HZXJ3Q5R" {
		t.Errorf("widen of a non-numeric ID = %s", got)
	}
}

// TestMergeOldest: past the limit the oldest gaps merge into one that
// covers both (and what lay between), never dropping a range.
func TestMergeOldest(t *testing.T) {
	gaps := []span{{Since: "80", Max: "90"}, {Since: "60", Max: "70"}, {Since: "40", Max: "50"}, {Since: "20", Max: "30"}}
	got := mergeOldest(slices.Clone(gaps), 2)
	want := []span{{Since: "80", Max: "90"}, {Since: "20", Max: "70"}}
	if !slices.Equal(got, want) {
		t.Errorf("mergeOldest = %+v, want %+v", got, want)
	}
}

func TestUnreadableCursor(t *testing.T) {
	for _, s := range []string{"{not json", `{"v":99}`, `"a string"`} {
		if _, err := parseCursor(s); err == nil {
			t.Errorf("parseCursor(%q) succeeded", s)
		}
	}
	st, err := parseCursor(state{Streams: map[string]streamState{"tag:acme": {Top: "5", Gaps: []span{{Since: "1", Max: "3"}}}}}.String())
	if err != nil || st.Streams["tag:acme"].Top != "5" || len(st.Streams["tag:acme"].Gaps) != 1 {
		t.Errorf("round trip = %+v, %v", st, err)
	}
}
