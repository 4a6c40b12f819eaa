package metrics

import (
	"maps"
	"testing"

	"github.com/earshot/earshot"
)

// TestOpenSpikes: only spikes without an end count, by watch; spikes over
// every post count under "all", per-source ones not at all.
func TestOpenSpikes(t *testing.T) {
	spikes := []earshot.Spike{
		{Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}},
		{Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}},
		{Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, End: at},
		{Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "globex"}},
		{Scope: earshot.Scope{Kind: earshot.ScopeAll}},
		{Scope: earshot.Scope{Kind: earshot.ScopeSource, Value: "twitter"}},
	}
	want := map[string]int{"acme": 2, "globex": 1, "all": 1}
	if got := openSpikes(spikes); !maps.Equal(got, want) {
		t.Errorf("openSpikes = %v, want %v", got, want)
	}
}
