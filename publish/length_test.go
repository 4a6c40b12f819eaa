package publish

import (
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	for _, c := range []struct {
		s                        string
		runes, graphemes, weight int
	}{
		{"hello", 5, 5, 5},
		{"café", 4, 4, 4},
		{"cafe\u0301", 5, 4, 5},                // e + combining acute
		{"👍🏽", 2, 1, 2},                        // thumbs up + skin tone
		{"👩\u200d👩\u200d👧", 5, 1, 2},           // family: ZWJ sequence
		{"🇫🇷🇩🇪", 4, 2, 4},                      // two flags
		{"日本語", 3, 3, 6},                       // CJK weighs 2 on X
		{"a\r\nb", 4, 3, 4},                    // CR LF is one
		{"❤️", 2, 1, 2},                        // heart + variation selector
		{"“quoted” — ok…", 14, 14, 14 + 1 + 0}, // … (U+2026) weighs 2 on X
	} {
		if got := Runes.Count(c.s); got != c.runes {
			t.Errorf("Runes.Count(%q) = %d, want %d", c.s, got, c.runes)
		}
		if got := Graphemes.Count(c.s); got != c.graphemes {
			t.Errorf("Graphemes.Count(%q) = %d, want %d", c.s, got, c.graphemes)
		}
		if got := Weighted.Count(c.s); got != c.weight {
			t.Errorf("Weighted.Count(%q) = %d, want %d", c.s, got, c.weight)
		}
	}
}

func TestFit(t *testing.T) {
	for _, c := range []struct {
		unit Unit
		s    string
		max  int
		want string
	}{
		{Runes, "short enough", 12, "short enough"},
		{Runes, "We are investigating problems with logins", 20, "We are…"},
		{Runes, "We are investigating problems", 21, "We are investigating…"},
		{Runes, "Supercalifragilistic", 10, "Supercali…"},     // one long word: cut on a character
		{Runes, "Logins, payments and search", 16, "Logins…"}, // no trailing comma before the ellipsis
		{Graphemes, "👍🏽👍🏽👍🏽 ok", 3, "👍🏽👍🏽…"},                  // never splits a cluster
		{Weighted, "日本語のテキストです", 9, "日本語…"},                   // 4×2 + … (2) would be 10
		{Runes, "anything", 0, "anything"},                    // no limit
	} {
		got, cut := c.unit.Fit(c.s, c.max)
		if got != c.want {
			t.Errorf("%s.Fit(%q, %d) = %q, want %q", c.unit, c.s, c.max, got, c.want)
		}
		if cut != (got != c.s) {
			t.Errorf("%s.Fit(%q, %d) cut = %v", c.unit, c.s, c.max, cut)
		}
		if c.max > 0 && c.unit.Count(got) > c.max {
			t.Errorf("%s.Fit(%q, %d) = %q is %d long", c.unit, c.s, c.max, got, c.unit.Count(got))
		}
	}
	long := strings.Repeat("word ", 200)
	for _, u := range []Unit{Runes, Graphemes, Weighted} {
		got, _ := u.Fit(long, 280)
		if u.Count(got) > 280 || !strings.HasSuffix(got, "word…") {
			t.Errorf("%s.Fit(long) = %d long, ends %q", u, u.Count(got), got[len(got)-10:])
		}
	}
}
