package sentiment

import (
	"math"
	"math/bits"
)

// wordTable maps words to what the parts know of them: an open-addressing
// table with linear probing, at most half full, keyed by the word's
// gramHash (the hash the learned part computes anyway), whose 32-byte slot
// holds the hash, the word's first 8 bytes and where the rest are, and the
// data most lookups need, so that a lookup usually reads one slot (the
// word is compared in full: a hash collision never mixes two words; the
// bytes after the first 8 are read from text). A Go map of 117,448 strings
// reads its control word, its slot and the key's bytes, each a likely
// cache miss, and hashes the word again for every part.
type wordTable struct {
	slots []wordSlot
	// seen has one bit set per word, 8 bits per slot (see seenBit): a
	// lookup of a word whose bit is clear, as most unknown words', ends
	// there, in 1/32 of the table's memory, which stays in the
	// processor's cache.
	seen  []uint64
	shift uint   // 64 - log2(len(slots))
	text  []byte // the words' bytes, end to end
	n     int
}

// wordSlot is one word of a wordTable.
type wordSlot struct {
	key   uint64  // gramHash(word) | 1; 0 marks an empty slot
	head  uint64  // the word's first 8 bytes (see wordHead)
	odds  float64 // the Bayes log odds, when bayes
	off   uint32  // the word's bytes after the first 8 are text[off : off+n-8]
	id    int16   // the index of the word's other data (see its table's user), -1 none
	n     uint8   // the word's length in bytes
	bayes bool    // a word of the Bayes vocabulary
}

// maxWord is the longest word a wordTable holds, in bytes, and maxID the
// largest id.
const (
	maxWord = math.MaxUint8
	maxID   = math.MaxInt16
)

// wordHead is the first 8 bytes of word, the first the lowest, zero
// after its end.
func wordHead(word string) uint64 {
	var h uint64
	for i := min(len(word), 8) - 1; i >= 0; i-- {
		h = h<<8 | uint64(word[i])
	}
	return h
}

// newWordTable returns an empty table with room for at least n words (at
// most half full: its size is the power of 2 above 2n); it grows as
// needed.
func newWordTable(n int) *wordTable {
	t := &wordTable{}
	t.resize(1 << bits.Len(uint(2*max(n, 8))))
	return t
}

func (t *wordTable) resize(size int) {
	old := t.slots
	t.slots = make([]wordSlot, size)
	t.seen = make([]uint64, size/8)
	t.shift = uint(64 - bits.Len(uint(size-1)))
	mask := size - 1
	for _, s := range old {
		if s.key == 0 {
			continue
		}
		i := t.home(s.key)
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
		t.see(s.key)
	}
}

// seenBit is key's bit in seen: the top bits of key times another odd
// constant than home's, so that words sharing a home slot rarely share a
// bit.
func (t *wordTable) seenBit(key uint64) uint64 {
	return (key * 0xC2B2AE3D27D4EB4F) >> (t.shift - 3)
}

func (t *wordTable) see(key uint64) {
	b := t.seenBit(key)
	t.seen[b/64] |= 1 << (b % 64)
}

// home is the first slot of key: the top bits of key times 2⁶⁴/φ.
func (t *wordTable) home(key uint64) int {
	return int((key * 0x9E3779B97F4A7C15) >> t.shift)
}

// add returns word's slot, adding the word (with id -1) if it is not in
// the table; word must not be longer than maxWord. The slot is valid until
// the next add.
func (t *wordTable) add(word string) *wordSlot {
	if len(word) > maxWord {
		panic("sentiment: a word of more than maxWord bytes")
	}
	h := gramHash(word)
	if s := t.get(word, h); s != nil {
		return s
	}
	if 2*(t.n+1) > len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	key := h | 1
	mask := len(t.slots) - 1
	i := t.home(key)
	for t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = wordSlot{key: key, head: wordHead(word), off: uint32(len(t.text)), n: uint8(len(word)), id: -1}
	t.see(key)
	if len(word) > 8 {
		t.text = append(t.text, word[8:]...)
	}
	t.n++
	return &t.slots[i]
}

// get returns word's slot, nil if word is not in the table; h is
// gramHash(word).
func (t *wordTable) get(word string, h uint64) *wordSlot {
	key := h | 1
	if b := t.seenBit(key); t.seen[b/64]&(1<<(b%64)) == 0 {
		return nil
	}
	mask := len(t.slots) - 1
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key && int(s.n) == len(word) && s.head == wordHead(word) &&
			(len(word) <= 8 || string(t.text[s.off:s.off+uint32(s.n)-8]) == word[8:]) {
			return s
		}
		if s.key == 0 {
			return nil
		}
	}
}

// len returns the number of words.
func (t *wordTable) len() int { return t.n }
