package sentiment

import (
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/jonreiter/govader"
)

// The VADER part (Hutto & Gilbert, 2014) is computed here without
// allocating, with the lexicon and the word lists of
// github.com/jonreiter/govader, and gives exactly govader's scores
// (TestVaderMatchesGovader compares them on every labelled text and on
// written edge cases). It follows govader where govader departs from the
// Python original: emoji are replaced by their descriptions with no space
// after them, words are split on single spaces (two spaces make an empty
// word, counted as neutral), and the checks on the words before a
// lexicon word ("least", and whether the word before is itself in the
// lexicon) read those words as written, not lowercased.

// VADER's constants (from the paper and the reference implementation).
const (
	vaderBoost     = 0.293 // a booster word's increment (dampeners: minus)
	vaderCapsBoost = 0.733 // an ALL-CAPS word among others that are not
	vaderNegate    = -0.74 // a negated word's valence is multiplied by this
	vaderAlpha     = 15    // the compound's normalization
	vaderEPScale   = 0.292 // per "!", at most vaderMaxEP of them
	vaderMaxEP     = 4
	vaderQMScale   = 0.18 // per "?" when 2 or 3 of them
	vaderMaxQM     = 0.96 // 4 or more "?"
	vaderNeverSo   = 1.25 // "never so good", "never this good"
	vaderBut       = 0.5  // the share taken before "but", added after it
)

// vaderTrim is the punctuation trimmed from both ends of a word (Python's
// string.punctuation, as govader spells it, with the backslash).
const vaderTrim = "\"!#$%&\\'()*+,-./:;<=>?@[\\]^_`{|}~"

// vaderLexicon is VADER's data: word valences, boosters, negations, the
// special idioms and the emoji descriptions.
type vaderLexicon struct {
	// words has what VADER knows of each single word, for one lookup:
	// the slot's id is the word's index in entries.
	words   *wordTable
	entries []vaderEntry
	boost   map[string]float64 // boosters and dampeners, a few of two words
	special map[string]float64 // idioms that set the valence ("the bomb")
	emoji   map[rune]string
	// asciiEmoji holds the descriptions of ASCII characters, if any.
	asciiEmoji [utf8.RuneSelf]*string
	trim       [utf8.RuneSelf]bool
}

// vaderEntry is what VADER knows of a word.
type vaderEntry struct {
	valence  float64 // when inLex
	boost    float64 // when isBoost
	inLex    bool    // in the lexicon
	isBoost  bool    // a booster or dampener
	negation bool
	// idiomWord: a word of a key of more than one word in boost or
	// special. A sequence of words can only match such a key if each of
	// its words is one.
	idiomWord bool
	// casedKey: the lowercase form of a lexicon word with capitals
	// (":D" → ":d"). A word with capitals is only in the lexicon as
	// written if its lowercase form is one.
	casedKey bool
}

// vaderData reads govader's data once per process.
var vaderData = sync.OnceValue(func() *vaderLexicon {
	a := govader.NewSentimentIntensityAnalyzer()
	c := a.Constants
	lx := &vaderLexicon{
		words:   newWordTable(len(a.Lexicon)),
		boost:   c.BoosterDict,
		special: c.SpecialCaseIdioms,
		emoji:   make(map[rune]string, len(a.EmojiDict)),
	}
	entry := func(w string, set func(e *vaderEntry)) {
		s := lx.words.add(w)
		if s.id < 0 {
			if len(lx.entries) >= maxID {
				panic("sentiment: more VADER words than a wordTable's ids")
			}
			s.id = int16(len(lx.entries))
			lx.entries = append(lx.entries, vaderEntry{})
		}
		set(&lx.entries[s.id])
	}
	for w, v := range a.Lexicon {
		entry(w, func(e *vaderEntry) { e.valence, e.inLex = v, true })
	}
	for w := range a.Lexicon {
		if lower := string(appendLower(nil, w)); lower != w {
			entry(lower, func(e *vaderEntry) { e.casedKey = true })
		}
	}
	for w, v := range c.BoosterDict {
		entry(w, func(e *vaderEntry) { e.boost, e.isBoost = v, true })
	}
	for _, w := range c.NegateList {
		entry(w, func(e *vaderEntry) { e.negation = true })
	}
	for _, m := range []map[string]float64{c.BoosterDict, c.SpecialCaseIdioms} {
		for k := range m {
			if ws := strings.Split(k, " "); len(ws) > 1 {
				for _, w := range ws {
					entry(w, func(e *vaderEntry) { e.idiomWord = true })
				}
			}
		}
	}
	for k, d := range a.EmojiDict {
		// govader looks up each character alone, so only keys of one
		// character can match.
		if r, n := utf8.DecodeRuneInString(k); n == len(k) && string(r) == k {
			lx.emoji[r] = d
			if r < utf8.RuneSelf {
				lx.asciiEmoji[r] = &d
			}
		}
	}
	for i := range len(vaderTrim) {
		lx.trim[vaderTrim[i]] = true
	}
	return lx
})

// vaderScores is the VADER part's opinion of a text: the compound score in
// [-1, 1] and the shares of positive, negative and neutral valence in
// [0, 1].
type vaderScores struct {
	compound, pos, neg, neu float64
}

// vword is one word of a text as VADER reads it.
type vword struct {
	word, lower string
	lo, hi      int     // lower's bytes in vaderScratch.lower, before lower is set
	hash        uint64  // gramHash(lower)
	cased       bool    // word != lower
	nt          bool    // lower contains "n't"
	valence     float64 // the lexicon's valence of lower, when inLex
	boost       float64 // the booster's increment, when isBoost
	inLex       bool    // lower is in the lexicon
	wordInLex   bool    // word, as written, is in the lexicon
	isBoost     bool
	upper       bool // no lowercase ASCII letter and some uppercase one
	negation    bool // a negation word, or containing "n't"
	idiomWord   bool
}

// vaderScratch is one worker's reusable memory for VADER.
type vaderScratch struct {
	pre              []byte // the text as vaderText writes it
	text, lower, key []byte
	words            []vword
	sentiments       []float64
}

// vaderScore runs VADER on text with mentions and URLs dropped and
// hashtags split (see vaderText).
func vaderScore(lx *vaderLexicon, sc *vaderScratch, text string) vaderScores {
	if vaderRewrites(text) {
		sc.pre = appendVaderText(sc.pre[:0], text)
		text = unsafe.String(unsafe.SliceData(sc.pre), len(sc.pre))
	}
	return lx.score(sc, text)
}

// score returns VADER's scores of text, as govader's PolarityScores.
func (lx *vaderLexicon) score(sc *vaderScratch, text string) vaderScores {
	trimmed := lx.readWords(sc, text)
	words := sc.words
	capDiff := capsDifferential(words)
	sents := sc.sentiments[:0]
	for i := range words {
		w := &words[i]
		if w.isBoost || (w.lower == "kind" && i+1 < len(words) && words[i+1].lower == "of") {
			sents = append(sents, 0)
			continue
		}
		sents = append(sents, lx.valence(sc, words, i, capDiff))
	}
	sc.sentiments = sents
	for b := range words {
		if words[b].lower == "but" {
			for i := range sents {
				if i < b {
					sents[i] = (1 - vaderBut) * sents[i]
				}
				if i > b {
					sents[i] = (1 + vaderBut) * sents[i]
				}
			}
			break
		}
	}
	return vaderValence(sents, trimmed)
}

// readWords replaces emoji by their descriptions, trims spaces, splits the
// text on single spaces into sc.words and returns the trimmed text. The
// strings in sc.words point into sc's buffers and are valid until the next
// call.
func (lx *vaderLexicon) readWords(sc *vaderScratch, text string) string {
	trimmed := strings.TrimSpace(lx.withEmoji(sc, text))
	words, lower := sc.words[:0], sc.lower[:0]
	for rest := trimmed; ; {
		tok, after, more := strings.Cut(rest, " ")
		w := vword{word: lx.stripPunctuation(tok)}
		w.lo = len(lower)
		lower = appendLowerWord(lower, &w)
		w.hi = len(lower)
		words = append(words, w)
		if !more {
			break
		}
		rest = after
	}
	sc.words, sc.lower = words, lower
	for i := range words {
		lx.describe(&words[i], lower)
	}
	return trimmed
}

// withEmoji returns text with its emoji replaced by their descriptions,
// in sc.text when it changes.
func (lx *vaderLexicon) withEmoji(sc *vaderScratch, text string) string {
	plain := true
	for i := 0; i < len(text) && plain; i++ {
		plain = text[i] < utf8.RuneSelf && lx.asciiEmoji[text[i]] == nil
	}
	if plain {
		return text
	}
	b := sc.text[:0]
	prevSpace := true
	for _, r := range text {
		if d, ok := lx.emojiOf(r); ok {
			if !prevSpace {
				b = append(b, ' ')
			}
			b = append(b, d...)
			prevSpace = false
			continue
		}
		b = utf8.AppendRune(b, r)
		prevSpace = r == ' '
	}
	sc.text = b
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// emojiOf returns the description of r if r is an emoji.
func (lx *vaderLexicon) emojiOf(r rune) (string, bool) {
	if r < utf8.RuneSelf {
		if d := lx.asciiEmoji[r]; d != nil {
			return *d, true
		}
		return "", false
	}
	d, ok := lx.emoji[r]
	return d, ok
}

// describe fills w's lookups, with w.lower's bytes in lower.
func (lx *vaderLexicon) describe(w *vword, lower []byte) {
	w.lower = unsafe.String(unsafe.SliceData(lower[w.lo:]), w.hi-w.lo)
	e := &noVaderEntry
	if s := lx.words.get(w.lower, w.hash); s != nil {
		e = &lx.entries[s.id]
	}
	w.valence, w.inLex, w.boost, w.isBoost = e.valence, e.inLex, e.boost, e.isBoost
	w.negation = e.negation || w.nt
	w.idiomWord = e.idiomWord
	w.wordInLex = w.inLex
	if w.cased {
		w.wordInLex = e.casedKey && lx.entry(w.word).inLex
	}
}

// appendLowerWord appends w.word lowercased to b and sets w's hash, cased,
// nt and upper, in one pass when the word is ASCII.
func appendLowerWord(b []byte, w *vword) []byte {
	h, hasUpper, hasLower := uint64(fnvOffset), false, false
	for i := range len(w.word) {
		c := w.word[i]
		switch {
		case c >= utf8.RuneSelf:
			start := len(b) - i
			b = appendLower(b[:start], w.word)
			w.hash = gramHash(string(b[start:]))
			w.cased = string(b[start:]) != w.word
			w.upper = isUpperASCII(w.word)
			w.nt = strings.Contains(string(b[start:]), "n't")
			return b
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			hasUpper = true
		case 'a' <= c && c <= 'z':
			hasLower = true
		case c == '\'' && i > 0 && i+1 < len(w.word) && w.word[i-1]|0x20 == 'n' && w.word[i+1]|0x20 == 't':
			w.nt = true
		}
		b = append(b, c)
		h = (h ^ uint64(c)) * fnvPrime
	}
	w.hash, w.cased, w.upper = h, hasUpper, hasUpper && !hasLower
	return b
}

// noVaderEntry is the entry of a word VADER does not know.
var noVaderEntry vaderEntry

// entry returns what VADER knows of word.
func (lx *vaderLexicon) entry(word string) *vaderEntry {
	if s := lx.words.get(word, gramHash(word)); s != nil {
		return &lx.entries[s.id]
	}
	return &noVaderEntry
}

// stripPunctuation trims punctuation from both ends of tok unless fewer
// than 3 bytes would be left.
func (lx *vaderLexicon) stripPunctuation(tok string) string {
	lo, hi := 0, len(tok)
	for lo < hi && tok[lo] < utf8.RuneSelf && lx.trim[tok[lo]] {
		lo++
	}
	for hi > lo && tok[hi-1] < utf8.RuneSelf && lx.trim[tok[hi-1]] {
		hi--
	}
	if hi-lo < 3 {
		return tok
	}
	return tok[lo:hi]
}

// appendLower appends s lowercased (as strings.ToLower) to b.
func appendLower(b []byte, s string) []byte {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// isUpperASCII reports whether s has an uppercase ASCII letter and no
// lowercase one (govader's reading of Python's str.isupper).
func isUpperASCII(s string) bool {
	upper := false
	for i := range len(s) {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
			return false
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	return upper
}

// capsDifferential reports whether some but not all words are in capitals.
func capsDifferential(words []vword) bool {
	caps := 0
	for i := range words {
		if words[i].upper {
			caps++
		}
	}
	diff := len(words) - caps
	return 0 < diff && diff < len(words)
}

// vaderValence turns the words' valences into VADER's scores, with the
// emphasis of text's "!" and "?".
func vaderValence(sents []float64, text string) vaderScores {
	var sum float64
	for _, v := range sents {
		sum += v
	}
	amp := punctuationEmphasis(text)
	if sum > 0 {
		sum += amp
	} else if sum < 0 {
		sum -= amp
	}
	compound := sum / math.Sqrt(sum*sum+vaderAlpha)
	compound = max(-1, min(1, compound))
	var posSum, negSum float64
	neutral := 0
	for _, v := range sents {
		if v > 0 {
			posSum += v + 1
		}
		if v < 0 {
			negSum += v - 1
		}
		if v == 0 {
			neutral++
		}
	}
	if posSum > math.Abs(negSum) {
		posSum += amp
	} else if posSum < math.Abs(negSum) {
		negSum -= amp
	}
	total := posSum + math.Abs(negSum) + float64(neutral)
	return vaderScores{
		compound: compound,
		pos:      math.Abs(posSum / total),
		neg:      math.Abs(negSum / total),
		neu:      math.Abs(float64(neutral) / total),
	}
}

// punctuationEmphasis is what "!" and "?" add to a text's valence.
func punctuationEmphasis(text string) float64 {
	ep := min(strings.Count(text, "!"), vaderMaxEP)
	amp := float64(ep) * vaderEPScale
	switch qm := strings.Count(text, "?"); {
	case qm > 3:
		amp += vaderMaxQM
	case qm > 1:
		amp += float64(qm) * vaderQMScale
	}
	return amp
}

// valence is the valence of words[i] in its context: the lexicon's,
// turned by "no", capitals, the boosters and negations of the three words
// before it, idioms and "least".
func (lx *vaderLexicon) valence(sc *vaderScratch, words []vword, i int, capDiff bool) float64 {
	w := &words[i]
	if !w.inLex {
		return 0
	}
	v := w.valence
	if w.lower == "no" && i+1 < len(words) && words[i+1].inLex {
		v = 0
	}
	if (i > 0 && words[i-1].lower == "no") ||
		(i > 1 && words[i-2].lower == "no") ||
		(i > 2 && words[i-3].lower == "no" && (words[i-1].lower == "or" || words[i-1].lower == "nor")) {
		v = w.valence * vaderNegate
	}
	if w.upper && capDiff {
		if v > 0 {
			v += vaderCapsBoost
		} else {
			v -= vaderCapsBoost
		}
	}
	for start := range 3 {
		if i <= start || words[i-(start+1)].wordInLex {
			continue
		}
		s := boostOf(&words[i-(start+1)], v, capDiff)
		if start == 1 && s != 0 {
			s = s * 0.95
		}
		if start == 2 && s != 0 {
			s = s * 0.9
		}
		v = v + s
		v = negationCheck(v, words, start, i)
		if start == 2 {
			v = lx.idioms(sc, v, words, i)
		}
	}
	return leastCheck(v, words, i)
}

// boostOf is what booster word w adds to a valence v after it.
func boostOf(w *vword, v float64, capDiff bool) float64 {
	if !w.isBoost {
		return 0
	}
	s := w.boost
	if v < 0 {
		s *= -1
	}
	if w.upper && capDiff {
		if v > 0 {
			s += vaderCapsBoost
		} else {
			s -= vaderCapsBoost
		}
	}
	return s
}

// negationCheck applies the negation start+1 words before words[i], with
// "never so" and "without doubt".
func negationCheck(v float64, words []vword, start, i int) float64 {
	at := func(k int) string { return words[i-k].lower }
	isSoThis := func(k int) bool { return at(k) == "so" || at(k) == "this" }
	switch start {
	case 0:
		if words[i-1].negation {
			return v * vaderNegate
		}
	case 1:
		switch {
		case at(2) == "never" && isSoThis(1):
			return v * vaderNeverSo
		case at(2) == "without" && at(1) == "doubt":
			return v
		case words[i-2].negation:
			return v * vaderNegate
		}
	case 2:
		switch {
		case at(3) == "never" && (isSoThis(2) || isSoThis(1)):
			return v * vaderNeverSo
		case at(3) == "without" && (at(2) == "doubt" || at(1) == "doubt"):
			return v
		case words[i-3].negation:
			return v * vaderNegate
		}
	}
	return v
}

// idioms applies the special idioms around words[i] ("the bomb", "yeah
// right") and the boosters of two words before it ("kind of").
func (lx *vaderLexicon) idioms(sc *vaderScratch, v float64, words []vword, i int) float64 {
	for _, r := range [...][2]int{{i - 1, i + 1}, {i - 2, i + 1}, {i - 2, i}, {i - 3, i}, {i - 3, i - 1}} {
		if x, ok := lx.joined(sc, lx.special, words[r[0]:r[1]]); ok {
			v = x
			break
		}
	}
	if len(words)-1 > i {
		if x, ok := lx.joined(sc, lx.special, words[i:i+2]); ok {
			v = x
		}
	}
	if len(words)-1 > i+1 {
		if x, ok := lx.joined(sc, lx.special, words[i:i+3]); ok {
			v = x
		}
	}
	for _, r := range [...][2]int{{i - 3, i}, {i - 3, i - 1}, {i - 2, i}} {
		if x, ok := lx.joined(sc, lx.boost, words[r[0]:r[1]]); ok {
			v = v + x
		}
	}
	return v
}

// joined looks up the lowercased words joined by spaces in m.
func (lx *vaderLexicon) joined(sc *vaderScratch, m map[string]float64, words []vword) (float64, bool) {
	key := sc.key[:0]
	for k := range words {
		if !words[k].idiomWord {
			return 0, false
		}
		if k > 0 {
			key = append(key, ' ')
		}
		key = append(key, words[k].lower...)
	}
	sc.key = key
	x, ok := m[string(key)]
	return x, ok
}

// leastCheck negates a word after "least" (as written), unless "at least"
// or "very least".
func leastCheck(v float64, words []vword, i int) float64 {
	if i > 1 && !words[i-1].wordInLex && words[i-1].word == "least" {
		if words[i-2].word != "at" && words[i-2].word != "very" {
			v = v * vaderNegate
		}
	} else if i > 0 && !words[i-1].wordInLex && words[i-1].word == "least" {
		v = v * vaderNegate
	}
	return v
}
