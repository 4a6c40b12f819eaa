package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	var b strings.Builder
	b.Grow(len(text) + 8)
	space := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
	}
	var prev rune = ' '
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		atWordStart := !isWordRune(prev)
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
		case isWordRune(r):
			b.WriteRune(unicode.ToLower(r))
		case isApostrophe(r) && unicode.IsLetter(prev) && nextIsLetter(text[i+size:]):
			// Joined: "can't" → "cant".
		case strings.ContainsRune(".,;:!?", r):
			space()
			if b.Len() > 0 && !strings.HasSuffix(b.String(), clauseBreak+" ") && !nextIsWord(text[i+size:]) {
				b.WriteString(clauseBreak)
				b.WriteByte(' ')
			}
		default:
			space()
		}
		prev = r
		i += size
	}
	return strings.TrimSpace(b.String())
}

// writeHashtag writes the body of a hashtag (no '#') to b as lowercase
// words, splitting at underscores, lower-to-upper changes ("NotWorking"),
// the end of an acronym ("ISPDown") and letter-digit changes ("Error500").
func writeHashtag(b *strings.Builder, tag string) {
	runes := []rune(tag)
	for k, r := range runes {
		if r == '_' {
			b.WriteByte(' ')
			continue
		}
		if k > 0 && hashtagBoundary(runes[k-1], r, runes[k+1:]) {
			b.WriteByte(' ')
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

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

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
