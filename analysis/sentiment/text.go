package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// clauseBreak is the token normalize puts where punctuation ends a clause;
// negation does not reach across it.
const clauseBreak = "."

// tokenize returns the words of text as normalize writes them.
func tokenize(text string) []string {
	return strings.Fields(normalize(text))
}

// normalize rewrites text as lowercase words separated by spaces:
//
//   - URLs (http://, https://, www.) and @mentions are dropped;
//   - hashtags are split into words: #NotWorking, #not_working → "not working",
//     #Error500 → "error 500" (an all-lowercase #notworking stays one word);
//   - apostrophes inside words are dropped, as the Bayes model was trained:
//     "can't" → "cant";
//   - clause punctuation (. , ; : ! ?) not followed by a letter or digit
//     becomes a clauseBreak token ("down, again"; not "3.5" or "example.com");
//     any other rune that is not a letter or digit separates words.
func normalize(text string) string {
	return strings.TrimSpace(string(appendNormalized(nil, text)))
}

// tokenizeInto appends the tokens of text to tokens, using buf (returned,
// to reuse) for their bytes. The tokens alias buf: they are valid until buf
// is next written.
func tokenizeInto(tokens []string, buf []byte, text string) ([]string, []byte) {
	buf = appendNormalized(buf[:0], text)
	if len(buf) == 0 {
		return tokens, buf
	}
	all := unsafe.String(&buf[0], len(buf))
	for len(all) > 0 {
		sp := strings.IndexByte(all, ' ')
		if sp < 0 {
			tokens = append(tokens, all)
			break
		}
		if sp > 0 {
			tokens = append(tokens, all[:sp])
		}
		all = all[sp+1:]
	}
	return tokens, buf
}

// nbuf is the byte buffer normalize writes to.
type nbuf []byte

func (b *nbuf) addByte(c byte)       { *b = append(*b, c) }
func (b *nbuf) WriteString(s string) { *b = append(*b, s...) }
func (b *nbuf) WriteRune(r rune)     { *b = utf8.AppendRune(*b, r) }
func (b *nbuf) Len() int             { return len(*b) }
func (b *nbuf) endsWith(s string) bool {
	return len(*b) >= len(s) && string((*b)[len(*b)-len(s):]) == s
}

// appendNormalized appends the normalized form of text to dst (see
// normalize), with a space after every token but perhaps the last.
func appendNormalized(dst []byte, text string) []byte {
	b := nbuf(dst)
	space := func() {
		if b.Len() > 0 && !b.endsWith(" ") {
			b.addByte(' ')
		}
	}
	var prev rune = ' '
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && asciiWord[c] && (isWordRune(prev) || !isURL(text[i:])) {
			// A run of ASCII letters and digits, not a URL: the common
			// case, written as the switch below would write it.
			i = appendASCIIWord(&b, text, i)
			prev = rune(text[i-1])
			continue
		}
		if text[i] == ' ' {
			// A space separates words, as the default below would.
			space()
			prev = ' '
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		atWordStart := !isWordRune(prev)
		if r < utf8.RuneSelf && emoticonStart[r] {
			if emo, n := matchEmoticon(text[i:]); n > 0 {
				space()
				b.WriteString(emo)
				b.addByte(' ')
				i, prev = i+n, ' '
				continue
			}
		}
		switch {
		case atWordStart && isURL(text[i:]):
			i = skipUntilSpace(text, i)
			space()
			prev = ' '
			continue
		case r == '@' && atWordStart:
			i = skipHandle(text, i+size)
			space()
			prev = ' '
			continue
		case r == '#' && atWordStart:
			end := skipHandle(text, i+size)
			if end > i+size {
				space()
				writeHashtag(&b, text[i+size:end])
				space()
				i, prev = end, ' '
				continue
			}
			space()
		case r == 0xFE0F || r == 0x200D || (r >= 0x1F3FB && r <= 0x1F3FF):
			// Variation selectors, joiners and skin tones: part of an emoji.
			prev = ' '
			i += size
			continue
		case r >= 0x2100 && isEmoji(r):
			space()
			b.WriteRune(r)
			b.addByte(' ')
		case isWordRune(r):
			b.WriteRune(unicode.ToLower(r))
		case isApostrophe(r) && unicode.IsLetter(prev) && nextIsLetter(text[i+size:]):
			// Joined: "can't" → "cant".
		case strings.ContainsRune(".,;:!?", r):
			space()
			if b.Len() > 0 && !b.endsWith(clauseBreak+" ") && !nextIsWord(text[i+size:]) {
				b.WriteString(clauseBreak)
				b.addByte(' ')
			}
		default:
			space()
		}
		prev = r
		i += size
	}
	return b
}

// appendASCIIWord appends the run of ASCII letters and digits that starts
// at text[i], lowercased, to b, and returns the index after it.
func appendASCIIWord(b *nbuf, text string, i int) int {
	j := i
	for j < len(text) && text[j] < utf8.RuneSelf && asciiWord[text[j]] {
		j++
	}
	s := append(*b, text[i:j]...)
	for k := len(s) - (j - i); k < len(s); k++ {
		if c := s[k]; 'A' <= c && c <= 'Z' {
			s[k] = c + 'a' - 'A'
		}
	}
	*b = s
	return j
}

// writeHashtag writes the body of a hashtag (no '#') to b as lowercase
// words, splitting at underscores, lower-to-upper changes ("NotWorking"),
// the end of an acronym ("ISPDown") and letter-digit changes ("Error500").
func writeHashtag(b *nbuf, tag string) {
	runes := []rune(tag)
	for k, r := range runes {
		if r == '_' {
			b.addByte(' ')
			continue
		}
		if k > 0 && hashtagBoundary(runes[k-1], r, runes[k+1:]) {
			b.addByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
}

func hashtagBoundary(prev, r rune, rest []rune) bool {
	switch {
	case prev == '_':
		return false
	case unicode.IsLower(prev) && unicode.IsUpper(r):
		return true
	case unicode.IsUpper(prev) && unicode.IsUpper(r) && len(rest) > 0 && unicode.IsLower(rest[0]):
		return true
	case unicode.IsLetter(prev) && unicode.IsDigit(r), unicode.IsDigit(prev) && unicode.IsLetter(r):
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// asciiWord holds the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
	}
	return t
}()

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

func nextIsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

func nextIsLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// isURL reports whether s starts with a URL scheme or "www.".
func isURL(s string) bool {
	if len(s) < 4 || (s[0]|0x20 != 'h' && s[0]|0x20 != 'w') {
		return false
	}
	for _, p := range []string{"http://", "https://", "www."} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// skipUntilSpace returns the index of the first white space at or after i.
func skipUntilSpace(s string, i int) int {
	if j := strings.IndexFunc(s[i:], unicode.IsSpace); j >= 0 {
		return i + j
	}
	return len(s)
}

// skipHandle returns the index just past the letters, digits and
// underscores that start at i, as in a handle or hashtag.
func skipHandle(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) && r != '_' {
			break
		}
		i += size
	}
	return i
}

// emoticons maps the emoticons normalize recognises to the token it writes
// for each: variants of one face share a token.
var emoticons = map[string]string{
	":)": ":)", ":-)": ":)", ":))": ":)", "=)": ":)", ":]": ":)",
	":(": ":(", ":-(": ":(", ":((": ":(", "=(": ":(", ":[": ":(",
	":'(": ":'(",
	":d":  ":d", ":-d": ":d", "=d": ":d",
	";)": ";)", ";-)": ";)",
	":p": ":p", ":-p": ":p",
	":/": ":/", ":-/": ":/", ":\\": ":/",
	":|": ":|", ":-|": ":|",
	":o": ":o", ":-o": ":o",
	"<3": "<3", "</3": "</3",
}

// emoticonStart marks the bytes an emoticon can start with.
var emoticonStart = func() (m [utf8.RuneSelf]bool) {
	for e := range emoticons {
		m[e[0]] = true
	}
	return m
}()

// matchEmoticon returns the token of the emoticon s starts with and its
// length in bytes, longest first; n is 0 when s starts with none. An
// emoticon must not run into a letter, a digit or a slash (":Done",
// "http://").
func matchEmoticon(s string) (token string, n int) {
	for l := min(len(s), 4); l >= 2; l-- {
		key := s[:l]
		var lower [4]byte
		for k := 0; k < l; k++ {
			c := key[k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[k] = c
		}
		tok, ok := emoticons[string(lower[:l])]
		if !ok {
			continue
		}
		if l < len(s) && (nextIsWord(s[l:]) || s[l] == '/') {
			return "", 0
		}
		return tok, l
	}
	return "", 0
}

// isEmoji reports whether r is a pictograph or dingbat, written as a token
// of its own.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F300 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x1F000 && r <= 0x1F2FF:
		return true
	}
	return r >= 0x2100 && r != utf8.RuneError && unicode.Is(unicode.So, r)
}

// vaderText prepares text for the VADER part, which reads case and
// punctuation ("GREAT!!!"): URLs and @mentions are dropped and hashtags
// split into words keeping their case (#NotWorking → "Not Working"); the
// rest is kept as written.
func vaderText(text string) string {
	if !vaderRewrites(text) {
		return text
	}
	return string(appendVaderText(nil, text))
}

// mayStartSkip reports whether c, at the start of a word, may start
// what appendVaderText rewrites: a mention, a hashtag or a URL (http://,
// https://, www.).
func mayStartSkip(c byte) bool {
	return c == '@' || c == '#' || c|0x20 == 'h' || c|0x20 == 'w'
}

// vaderRewrites reports whether vaderText may change text: whether it has
// a mention, hashtag or URL.
func vaderRewrites(text string) bool {
	return strings.ContainsAny(text, "@#") || strings.Contains(text, "://") || strings.Contains(text, "www.") || strings.Contains(text, "WWW.")
}

// appendVaderText appends vaderText's rewriting of text to b, for a text
// where vaderRewrites.
func appendVaderText(b []byte, text string) []byte {
	var prev rune = ' '
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && (isWordRune(prev) || !mayStartSkip(c)) {
			// An ASCII byte that starts no mention, hashtag or URL: copied,
			// as the default below would.
			b = append(b, c)
			prev = rune(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		atWordStart := !isWordRune(prev)
		switch {
		case atWordStart && isURL(text[i:]):
			i = skipUntilSpace(text, i)
			prev = ' '
			continue
		case r == '@' && atWordStart:
			i = skipHandle(text, i+size)
			prev = ' '
			continue
		case r == '#' && atWordStart:
			end := skipHandle(text, i+size)
			runes := []rune(text[i+size : end])
			for k, r := range runes {
				switch {
				case r == '_':
					b = append(b, ' ')
					continue
				case k > 0 && hashtagBoundary(runes[k-1], r, runes[k+1:]):
					b = append(b, ' ')
				}
				b = utf8.AppendRune(b, r)
			}
			if end == i+size {
				b = append(b, '#')
			}
			i, prev = end, ' '
			continue
		}
		b = append(b, text[i:i+size]...)
		prev = r
		i += size
	}
	return b
}
