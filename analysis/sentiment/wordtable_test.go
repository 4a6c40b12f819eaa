package sentiment

import (
	"fmt"
	"strings"
	"testing"
)

// TestWordTable adds words of every length class (within the slot's 8
// bytes, beyond them, the longest allowed), words that share their first
// 8 bytes, and enough of them to grow the table, then checks each is found
// with its own data and that near misses are not.
func TestWordTable(t *testing.T) {
	tbl := newWordTable(4)
	words := []string{"", "a", "down", "12345678", "123456789", "1234567890", "12345678x", strings.Repeat("z", maxWord), "can't", "😡"}
	for i := range 3000 {
		words = append(words, fmt.Sprintf("w%d", i), fmt.Sprintf("longer-word-%d", i))
	}
	for i, w := range words {
		s := tbl.add(w)
		if s.id != -1 {
			t.Fatalf("add(%q): id %d, want -1 for a new word", w, s.id)
		}
		s.id, s.odds, s.bayes = int16(i%maxID), float64(i), i%2 == 0
	}
	if tbl.len() != len(words) {
		t.Fatalf("len %d, want %d", tbl.len(), len(words))
	}
	if 2*tbl.len() > len(tbl.slots) {
		t.Errorf("%d words in %d slots: more than half full", tbl.len(), len(tbl.slots))
	}
	for i, w := range words {
		s := tbl.get(w, gramHash(w))
		if s == nil || s.odds != float64(i) || s.id != int16(i%maxID) || s.bayes != (i%2 == 0) {
			t.Errorf("get(%q) = %+v, want odds %d", w, s, i)
		}
		if again := tbl.add(w); again != s {
			t.Errorf("add(%q) again gave another slot", w)
		}
	}
	for _, w := range []string{"b", "dow", "downs", "1234567", "12345679", "123456780", "12345678y", strings.Repeat("z", maxWord-1), "cant", "w3000", "longer-word-3000"} {
		if s := tbl.get(w, gramHash(w)); s != nil {
			t.Errorf("get(%q) = %+v, want nil", w, s)
		}
	}
}

// TestWordTableSameHash checks that two words the table sees under one
// hash are still told apart.
func TestWordTableSameHash(t *testing.T) {
	tbl := newWordTable(4)
	// Each pair is one word in the table and one of the same length looked
	// up under its hash: the same home slot and key, another word, which
	// differs within the first 8 bytes or after them.
	for _, p := range [][2]string{{"first", "firsu"}, {"longword-a", "longword-b"}, {"a", "b"}} {
		tbl.add(p[0]).odds = 1
		if s := tbl.get(p[1], gramHash(p[0])); s != nil {
			t.Errorf("get(%q) under the hash of %q = %+v, want nil", p[1], p[0], s)
		}
		if s := tbl.get(p[0], gramHash(p[0])); s == nil || s.odds != 1 {
			t.Errorf("get(%q) = %+v", p[0], s)
		}
	}
}

func TestWordTableTooLong(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("add of a word longer than maxWord did not panic")
		}
	}()
	newWordTable(4).add(strings.Repeat("x", maxWord+1))
}
