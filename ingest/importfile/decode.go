package importfile

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

// decodeRecord decodes one line of the import format, a JSON object, into
// rec as encoding/json would, without reflection and with two allocations
// for all its strings (they share one copy of the line, but for the ID,
// copied on its own). raw must be valid UTF-8 (ReadJSONLines checks it
// first).
//
// It reports false when the line holds anything it leaves to
// encoding/json: bad syntax, a value of the wrong type, a number that is
// not a plain integer where the record wants one, a key matching a field
// only when case is ignored (encoding/json folds case), a key with an
// escape or beyond ASCII, a lone surrogate escape, nesting deeper than
// maxDepth. rec may then hold part of the line: the caller clears it and
// runs encoding/json, which settles the line and words its error.
func decodeRecord(raw []byte, rec *earshot.PostRecord) bool {
	d := lineDecoder{s: string(raw)}
	if !d.record(rec) {
		return false
	}
	d.space()
	// The pipeline remembers IDs long after the post (to skip repeats):
	// the ID gets its own copy, so as not to keep the whole line.
	rec.ID = strings.Clone(rec.ID)
	return d.i == len(d.s)
}

// maxDepth bounds the nesting of the values decodeRecord skips.
const maxDepth = 100

// recordKeys and authorKeys are the JSON names of earshot.PostRecord's
// and earshot.RecordAuthor's fields.
var (
	recordKeys = []string{"id", "source", "text", "created_at", "kind", "url", "lang", "parent_id", "rating", "author"}
	authorKeys = []string{"id", "handle", "name", "followers"}
)

// lineDecoder reads JSON from s, at i.
type lineDecoder struct {
	s string
	i int
}

func (d *lineDecoder) record(rec *earshot.PostRecord) bool {
	more, ok := d.open()
	for ok && more {
		var key string
		if key, ok = d.key(recordKeys); !ok {
			return false
		}
		switch key {
		case "id":
			ok = d.str(&rec.ID)
		case "source":
			ok = d.str(&rec.Source)
		case "text":
			ok = d.text(&rec.Text)
		case "created_at":
			ok = d.str(&rec.CreatedAt)
		case "kind":
			ok = d.str(&rec.Kind)
		case "url":
			ok = d.str(&rec.URL)
		case "lang":
			ok = d.str(&rec.Lang)
		case "parent_id":
			ok = d.str(&rec.ParentID)
		case "rating":
			var n int64
			ok = d.integer(&n, int64(rec.Rating))
			rec.Rating = int(n)
		case "author":
			ok = d.author(&rec.Author)
		default:
			ok = d.skip(0)
		}
		if ok {
			more, ok = d.next()
		}
	}
	return ok
}

func (d *lineDecoder) author(a *earshot.RecordAuthor) bool {
	if d.null() {
		return true
	}
	more, ok := d.open()
	for ok && more {
		var key string
		if key, ok = d.key(authorKeys); !ok {
			return false
		}
		switch key {
		case "id":
			ok = d.str(&a.ID)
		case "handle":
			ok = d.str(&a.Handle)
		case "name":
			ok = d.str(&a.Name)
		case "followers":
			ok = d.integer(&a.Followers, a.Followers)
		default:
			ok = d.skip(0)
		}
		if ok {
			more, ok = d.next()
		}
	}
	return ok
}

func (d *lineDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// eat consumes c, after white space, and reports whether it was there.
func (d *lineDecoder) eat(c byte) bool {
	d.space()
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// literal consumes word, after white space, if it comes next.
func (d *lineDecoder) literal(word string) bool {
	d.space()
	if strings.HasPrefix(d.s[d.i:], word) {
		d.i += len(word)
		return true
	}
	return false
}

func (d *lineDecoder) null() bool { return d.literal("null") }

// open consumes the start of an object and reports whether a member
// follows (false for {}).
func (d *lineDecoder) open() (more, ok bool) {
	if !d.eat('{') {
		return false, false
	}
	return !d.eat('}'), true
}

// next consumes what follows a member: a comma (another member follows)
// or the end of the object.
func (d *lineDecoder) next() (more, ok bool) {
	if d.eat(',') {
		return true, true
	}
	return false, d.eat('}')
}

// key reads a member's key and its colon. A key that is none of known but
// equals one of them ignoring case, or that has an escape or a byte
// beyond ASCII, is not handled here (encoding/json would match it to a
// field).
func (d *lineDecoder) key(known []string) (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.s) && d.s[d.i] != '"' {
		if c := d.s[d.i]; c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return "", false
		}
		d.i++
	}
	if d.i == len(d.s) {
		return "", false
	}
	key := d.s[start:d.i]
	d.i++
	for _, k := range known {
		if key != k && strings.EqualFold(key, k) {
			return "", false
		}
	}
	return key, d.eat(':')
}

// str reads a string into dst; null leaves dst as it is.
func (d *lineDecoder) str(dst *string) bool {
	if d.null() {
		return true
	}
	s, ok := d.stringValue()
	if ok {
		*dst = s
	}
	return ok
}

// text reads a string into a new *string; null makes dst nil.
func (d *lineDecoder) text(dst **string) bool {
	if d.null() {
		*dst = nil
		return true
	}
	s, ok := d.stringValue()
	if ok {
		*dst = &s
	}
	return ok
}

// integer reads a plain integer (no fraction, no exponent) into dst; null
// keeps old.
func (d *lineDecoder) integer(dst *int64, old int64) bool {
	if d.null() {
		*dst = old
		return true
	}
	d.space()
	start := d.i
	if !d.number() {
		return false
	}
	s := d.s[start:d.i]
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) > 18 || strings.ContainsAny(s, ".eE") {
		return false // a fraction, an exponent or perhaps too big: encoding/json says
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	if neg {
		n = -n
	}
	*dst = n
	return true
}

// stringValue reads a JSON string, unescaping it.
func (d *lineDecoder) stringValue() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c == '"':
			d.i++
			return d.s[start : d.i-1], true
		case c == '\\':
			return d.unescape(start)
		case c < 0x20:
			return "", false
		}
		d.i++
	}
	return "", false
}

// unescape reads the rest of a string that has an escape at i, from start
// (after its opening quote).
func (d *lineDecoder) unescape(start int) (string, bool) {
	b := []byte(d.s[start:d.i])
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return string(b), true
		case c < 0x20:
			return "", false
		case c != '\\':
			b = append(b, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.s) {
			return "", false
		}
		e := d.s[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := d.escapedRune()
			if !ok {
				return "", false
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", false
		}
	}
	return "", false
}

// escapedRune reads the XXXX of a \uXXXX escape (after the u) and, for a
// surrogate, the \uXXXX of its other half. A lone surrogate, which
// encoding/json turns into U+FFFD, is left to it.
func (d *lineDecoder) escapedRune() (rune, bool) {
	r, ok := d.hex4()
	if !ok || !utf16.IsSurrogate(r) {
		return r, ok
	}
	if !strings.HasPrefix(d.s[d.i:], `\u`) {
		return 0, false
	}
	d.i += 2
	r2, ok := d.hex4()
	if !ok {
		return 0, false
	}
	r = utf16.DecodeRune(r, r2)
	return r, r != utf8.RuneError
}

func (d *lineDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(d.s[d.i : d.i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.i += 4
	return r, true
}

// number consumes a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *lineDecoder) number() bool {
	if d.i < len(d.s) && d.s[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.s) && d.s[d.i] == '0':
		d.i++
	case !d.digits():
		return false
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if !d.digits() {
			return false
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if !d.digits() {
			return false
		}
	}
	return true
}

// digits consumes one digit or more.
func (d *lineDecoder) digits() bool {
	start := d.i
	for d.i < len(d.s) && '0' <= d.s[d.i] && d.s[d.i] <= '9' {
		d.i++
	}
	return d.i > start
}

// skip consumes a value of a key the record does not have, checking its
// syntax as encoding/json does.
func (d *lineDecoder) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	d.space()
	if d.i == len(d.s) {
		return false
	}
	switch c := d.s[d.i]; {
	case c == '"':
		_, ok := d.stringValue()
		return ok
	case c == '{':
		d.i++
		if d.eat('}') {
			return true
		}
		for {
			if _, ok := d.stringValue(); !ok || !d.eat(':') || !d.skip(depth+1) {
				return false
			}
			if !d.eat(',') {
				return d.eat('}')
			}
		}
	case c == '[':
		d.i++
		if d.eat(']') {
			return true
		}
		for {
			if !d.skip(depth + 1) {
				return false
			}
			if !d.eat(',') {
				return d.eat(']')
			}
		}
	case c == '-' || '0' <= c && c <= '9':
		return d.number()
	default:
		return d.literal("true") || d.literal("false") || d.null()
	}
}
