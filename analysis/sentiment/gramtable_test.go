package sentiment

import (
	"math/rand/v2"
	"testing"
)

// TestGramTable checks the table against a Go map: random keys (some
// colliding in their home slot, one of them 0), overwrites, and absent
// keys.
func TestGramTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 5000
	want := map[uint64]vec3{}
	tab := newGramTable(n)
	put := func(h uint64) {
		w := vec3{rng.Float64(), rng.Float64(), float64(h % 7)}
		want[h] = w
		tab.set(h, w)
	}
	put(0)
	for range n - 1 {
		put(rng.Uint64() & 0xFFFF_0000_0000_00FF) // few distinct top bits: crowded home slots
	}
	for h := range want {
		if rng.IntN(4) == 0 {
			put(h) // overwrite
		}
	}
	if tab.len() != len(want) {
		t.Errorf("len %d, want %d", tab.len(), len(want))
	}
	for h, w := range want {
		if got, ok := tab.get(h); !ok || got != w {
			t.Fatalf("get(%#x) = %v %v, want %v", h, got, ok, w)
		}
	}
	for range 10 * n {
		h := rng.Uint64()
		_, in := want[h]
		if _, ok := tab.get(h); ok != in {
			t.Fatalf("get(%#x) found %v, want %v", h, ok, in)
		}
	}
	if _, ok := newGramTable(1).get(0); ok {
		t.Error("an empty table has hash 0")
	}
}
