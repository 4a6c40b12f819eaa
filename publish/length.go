package publish

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unit is how a channel counts the length of a text.
type Unit string

// Units.
const (
	// Runes counts Unicode code points (Statuspage, Slack).
	Runes Unit = "runes"
	// Graphemes counts user-perceived characters: a letter with its
	// accents, an emoji with its modifiers and joiners, a flag (Bluesky,
	// Mastodon).
	Graphemes Unit = "graphemes"
	// Weighted counts as X does: code points in the Latin, Greek,
	// Cyrillic and other early ranges and a few punctuation ranges weigh
	// 1, every other code point (CJK, emoji) weighs 2; an emoji sequence
	// weighs 2 in all.
	Weighted Unit = "weighted"
)

// Ellipsis ends a text cut to fit.
const Ellipsis = "…"

// clusters splits s into extended grapheme clusters, closely enough for
// counting: a base character with its combining marks, variation
// selectors, emoji modifiers and tags, sequences joined by a zero width
// joiner, pairs of regional indicators (flags) and CR LF stay together.
func clusters(s string) []string {
	var out []string
	start, joinNext := 0, false
	prev, regional := rune(-1), 0
	for i, r := range s {
		if i > 0 && !joinNext && !extends(r) && !(prev == '\r' && r == '\n') &&
			!(isRegional(r) && regional%2 == 1) {
			out = append(out, s[start:i])
			start = i
			regional = 0
		}
		joinNext = r == '\u200d'
		if isRegional(r) {
			regional++
		} else {
			regional = 0
		}
		prev = r
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// extends reports whether r belongs to the cluster before it.
func extends(r rune) bool {
	switch {
	case r == '\u200d', // zero width joiner
		r >= 0xFE00 && r <= 0xFE0F,   // variation selectors
		r >= 0xE0100 && r <= 0xE01EF, // variation selectors supplement
		r >= 0x1F3FB && r <= 0x1F3FF, // emoji skin tone modifiers
		r >= 0xE0020 && r <= 0xE007F, // tags (subdivision flags)
		r >= 0x1160 && r <= 0x11FF:   // Hangul jungseong and jongseong
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

// weight is a cluster's weight on X: 2 for an emoji sequence or a
// cluster starting outside X's light ranges, else 1 per code point.
func weight(c string) int {
	first, _ := utf8.DecodeRuneInString(c)
	if !light(first) {
		return 2
	}
	n := 0
	for _, r := range c {
		if light(r) {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// light reports whether X counts r as one character.
func light(r rune) bool {
	return r <= 4351 || (r >= 8192 && r <= 8205) || (r >= 8208 && r <= 8223) || (r >= 8242 && r <= 8247)
}

func (u Unit) clusterLen(c string) int {
	switch u {
	case Graphemes:
		return 1
	case Weighted:
		return weight(c)
	default:
		return utf8.RuneCountInString(c)
	}
}

// Count returns the length of s in unit u.
func (u Unit) Count(s string) int {
	if u == Runes || u == "" {
		return utf8.RuneCountInString(s)
	}
	n := 0
	for _, c := range clusters(s) {
		n += u.clusterLen(c)
	}
	return n
}

// Fit returns s if it is at most max long in unit u; otherwise s cut on
// a word (on a character when a single word is too long) with an
// ellipsis added, at most max long, and true. A max of 0 or less means
// no limit.
func (u Unit) Fit(s string, max int) (string, bool) {
	if max <= 0 || u.Count(s) <= max {
		return s, false
	}
	room := max - u.Count(Ellipsis)
	if room <= 0 {
		return "", true
	}
	cs := clusters(s)
	end, used := 0, 0
	for end < len(cs) && used+u.clusterLen(cs[end]) <= room {
		used += u.clusterLen(cs[end])
		end++
	}
	// Cut on the last space before the limit, unless the next cluster
	// starts a word anyway (the cut falls between two words).
	if end < len(cs) && !isSpace(cs[end]) {
		for i := end - 1; i > 0; i-- {
			if isSpace(cs[i]) {
				end = i
				break
			}
		}
	}
	cut := strings.TrimRightFunc(strings.Join(cs[:end], ""), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—", r)
	})
	return cut + Ellipsis, true
}

func isSpace(c string) bool {
	r, _ := utf8.DecodeRuneInString(c)
	return unicode.IsSpace(r)
}
