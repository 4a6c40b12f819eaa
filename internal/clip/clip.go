package clip

import (
	"strings"
	"unicode/utf8"
)

// Option changes what String does; options combine with |.
type Option uint8

const (
	// Trim trims white space off both ends before clipping.
	Trim Option = 1 << iota
	// Ellipsis marks a cut with "…", after the n bytes kept.
	Ellipsis
)

// String cuts s to at most n bytes without splitting a character; n <= 0
// keeps nothing. With Ellipsis, a cut string ends in "…" (so it may be up
// to n+3 bytes long).
func String(s string, n int, opts ...Option) string {
	var o Option
	for _, x := range opts {
		o |= x
	}
	if o&Trim != 0 {
		s = strings.TrimSpace(s)
	}
	if len(s) <= n {
		return s
	}
	n = max(n, 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	if o&Ellipsis != 0 {
		return s[:n] + "…"
	}
	return s[:n]
}
