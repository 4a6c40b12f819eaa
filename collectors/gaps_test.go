package collectors

import (
	"slices"
	"testing"
)

func TestMergeOldest(t *testing.T) {
	type span struct{ from, to int }
	merge := func(newer, older span) span { return span{older.from, newer.to} }
	gaps := []span{{50, 60}, {30, 40}, {10, 20}, {0, 5}}
	if got := MergeOldest(slices.Clone(gaps), 4, merge); !slices.Equal(got, gaps) {
		t.Errorf("within the limit: %v", got)
	}
	if got, want := MergeOldest(slices.Clone(gaps), 2, merge), []span{{50, 60}, {0, 40}}; !slices.Equal(got, want) {
		t.Errorf("MergeOldest = %v, want %v", got, want)
	}
}

func TestUnionIDs(t *testing.T) {
	a := []string{"a", "b"}
	got := UnionIDs(a, []string{"b", "c", "c"})
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("UnionIDs = %v, want %v", got, want)
	}
	got[0] = "x"
	if a[0] != "a" {
		t.Error("UnionIDs changed its argument")
	}
	if UnionIDs(nil, nil) != nil {
		t.Error("UnionIDs(nil, nil) is not nil")
	}
}
