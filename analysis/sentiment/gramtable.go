package sentiment

import "math/bits"

// gramTable maps n-gram hashes (gramHash, bigramHash) to their weights:
// an open-addressing table with linear probing, at most half full, whose
// slot holds the key and the weights together, so that a lookup usually
// reads one cache line (a Go map reads its control word and then the
// slot). Hash 0 marks an empty slot; an n-gram whose hash is 0 is kept
// apart.
type gramTable struct {
	slots []gramSlot
	// seen has one bit set per key, 8 bits per slot, as wordTable's: most
	// bigrams of a text are not in the model, and their lookups end there.
	seen    []uint64
	shift   uint // 64 - log2(len(slots))
	n       int
	zero    vec3 // the weights of hash 0, when hasZero
	hasZero bool
}

type gramSlot struct {
	key uint64
	w   vec3
}

// newGramTable returns an empty table with room for n keys.
func newGramTable(n int) *gramTable {
	size := 1 << bits.Len(uint(2*n)) // over twice n, a power of 2
	size = max(size, 8)
	return &gramTable{slots: make([]gramSlot, size), seen: make([]uint64, size/8), shift: uint(64 - bits.Len(uint(size-1)))}
}

// seenBit is h's bit in seen (see wordTable.seenBit).
func (t *gramTable) seenBit(h uint64) uint64 {
	return (h * 0xC2B2AE3D27D4EB4F) >> (t.shift - 3)
}

// home is h's first slot: the top bits of h times 2⁶⁴/φ.
func (t *gramTable) home(h uint64) int {
	return int((h * 0x9E3779B97F4A7C15) >> t.shift)
}

// set sets the weights of h; the table must not be half full.
func (t *gramTable) set(h uint64, w vec3) {
	if h == 0 {
		if !t.hasZero {
			t.n++
		}
		t.zero, t.hasZero = w, true
		return
	}
	mask := len(t.slots) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case h:
			t.slots[i].w = w
			return
		case 0:
			t.slots[i] = gramSlot{key: h, w: w}
			t.n++
			b := t.seenBit(h)
			t.seen[b/64] |= 1 << (b % 64)
			return
		}
	}
}

// get returns the weights of h.
func (t *gramTable) get(h uint64) (vec3, bool) {
	if h == 0 {
		return t.zero, t.hasZero
	}
	if b := t.seenBit(h); t.seen[b/64]&(1<<(b%64)) == 0 {
		return vec3{}, false
	}
	mask := len(t.slots) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		switch s := &t.slots[i]; s.key {
		case h:
			return s.w, true
		case 0:
			return vec3{}, false
		}
	}
}

// len returns the number of keys.
func (t *gramTable) len() int { return t.n }
