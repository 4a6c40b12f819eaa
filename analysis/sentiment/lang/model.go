package lang

import (
	"embed"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Latin-script languages told apart by the trigram model, in the order of
// the score arrays.
var latinLangs = [numLatin]string{"en", "es", "fr", "de", "pt", "it", "nl", "sv", "pl", "tr", "id"}

const numLatin = 11

// Symbols of the folded Latin alphabet. 0 is a word boundary, 1-26 are a-z,
// then the accented letters the modelled languages use; letters they share
// a role in are folded together (ą ę; ć ń ś ź ż; ş ș; ţ ț) and every other
// Latin letter is symOther. 64 symbols keep a trigram key in 18 bits.
const (
	symBoundary = 0
	symOther    = 63
	numSyms     = 64
)

// symLetters lists the accented symbols from 27 on; letters in one string
// share a symbol.
var symLetters = []string{
	"à", "á", "â", "ã", "ä", "å", "æ", "ç", "è", "é", "ê", "ë", "ì", "í", "î", "ï",
	"ñ", "ò", "ó", "ô", "õ", "öő", "ø", "ù", "ú", "û", "üű", "ß", "ł", "ąę",
	"ćńśźż", "ğ", "ı", "şș", "ă", "ţț",
}

// latinSym maps a rune below 0x250 to its symbol (case folded); 0 means
// "not a letter of the folded alphabet" and is resolved by symOf.
var latinSym [0x250]uint8

func init() {
	for r := 'a'; r <= 'z'; r++ {
		latinSym[r] = uint8(r-'a') + 1
		latinSym[r-'a'+'A'] = uint8(r-'a') + 1
	}
	for i, letters := range symLetters {
		for _, r := range letters {
			latinSym[r] = uint8(27 + i)
			if r == 'ı' { // its upper case is plain I
				continue
			}
			if u := unicode.ToUpper(r); u < 0x250 {
				latinSym[u] = uint8(27 + i)
			}
		}
	}
	for _, r := range "ýÝÿŸ" {
		latinSym[r] = 'y' - 'a' + 1
	}
	latinSym['İ'] = 'i' - 'a' + 1
	if 27+len(symLetters) != symOther {
		panic("lang: folded alphabet does not fill 64 symbols")
	}
}

// symOf returns the symbol of a Latin letter.
func symOf(r rune) uint8 {
	if r < 0x250 {
		if s := latinSym[r]; s != 0 {
			return s
		}
	}
	return symOther
}

// isVietnamese reports whether r is a letter only Vietnamese uses among
// the languages Detect knows: ơ ư đ and the precomposed vowels with two
// diacritics or a dot below (Latin Extended Additional).
func isVietnamese(r rune) bool {
	switch r {
	case 'ơ', 'Ơ', 'ư', 'Ư', 'đ', 'Đ':
		return true
	}
	return r >= 0x1EA0 && r <= 0x1EF9
}

// stopwords are frequent short words of each Latin-script language; a
// whole word found here adds stopBonus (shared among the languages that
// list it) to their scores.
var stopwords = map[string]string{
	"en": "the and is are was were to of in it you my this that not for with on have has be but what why " +
		"can don doesn didn isn so at your they we me just been will would from all there how no",
	"es": "el la los las de que y en un una es por con para no se lo mi su al del pero más muy ya está " +
		"están hay qué porque como esta este todo nada nadie también me le",
	"fr": "le la les de des du et est un une que qui pas ne je il elle nous vous ils sur pour avec dans mais " +
		"très ce cette mon ma mes au aux ça plus rien toujours on",
	"de": "der die das und ist nicht ich du wir sie ein eine einen mit von zu den dem auf für es auch aber " +
		"noch schon wie was warum bei seit mein meine hat habe sind wird kein keine nur",
	"pt": "o a os as de do da dos das que e é em um uma não para com por no na meu minha mais muito já " +
		"está você isso esse essa ao nos também nada",
	"it": "il lo la gli le di che e è un una non per con del della da in mi sono ho ha ma più molto già " +
		"questo questa perché anche niente sempre ancora nel",
	"nl": "de het een en is niet ik je we ze van op te dat die voor met maar nog al er zijn wat waarom " +
		"mijn geen ook heb hebben naar bij weer",
	"sv": "och att det som en ett är inte jag du vi de på med för har av till men om så var kan den nu " +
		"min mitt ingen också sig",
	"pl": "i w na z że nie się to jest do jak ale co od po za tak już mnie mi ja ty my czy bardzo jeszcze " +
		"nic tylko przez dla",
	"tr": "ve bir bu da de ne için ile çok ama gibi daha ben sen biz değil var yok mi mı her şey hiç " +
		"neden ki kadar hâlâ artık",
	"id": "yang dan di ke dari ini itu tidak saya kamu kami ada untuk dengan akan sudah belum bisa juga " +
		"karena tapi lagi sangat apa kenapa mau aja banget gak nggak",
}

const (
	// stopBonus is the log-likelihood a stopword adds, split among the
	// languages that list it.
	stopBonus = 2.0
	// alpha is the additive smoothing of trigram counts.
	alpha = 0.5
	// maxStopLen: longer words are not looked up.
	maxStopLen = 8
)

//go:embed corpus/*.txt
var corpusFS embed.FS

// model holds the trigram log-likelihoods. It is built once from the
// embedded corpus and never written again, so it is safe to share.
type model struct {
	// index maps a trigram key to its row in rows; row 0 is "unseen".
	index [1 << 18]uint16
	rows  [][numLatin]float32
	// stop maps a word hash to its stopword bonuses.
	stop map[uint64][numLatin]float32
}

var loadModel = sync.OnceValue(buildModel)

func trigramKey(a, b, c uint8) uint32 { return uint32(a)<<12 | uint32(b)<<6 | uint32(c) }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func buildModel() *model {
	counts := make(map[uint32]*[numLatin]int)
	var totals [numLatin]int
	for li, code := range latinLangs {
		text, err := corpusFS.ReadFile("corpus/" + code + ".txt")
		if err != nil {
			panic("lang: missing corpus for " + code)
		}
		var st state
		st.train = func(key uint32) {
			c := counts[key]
			if c == nil {
				c = new([numLatin]int)
				counts[key] = c
			}
			c[li]++
			totals[li]++
		}
		scan(nil, string(text), &st)
	}
	if len(counts) >= math.MaxUint16 {
		panic("lang: too many trigrams")
	}

	m := &model{rows: make([][numLatin]float32, 1, len(counts)+1)}
	v := float64(len(counts) + 1)
	for li := range latinLangs {
		m.rows[0][li] = float32(math.Log(alpha / (float64(totals[li]) + alpha*v)))
	}
	for key, c := range counts {
		var row [numLatin]float32
		for li := range latinLangs {
			row[li] = float32(math.Log((float64(c[li]) + alpha) / (float64(totals[li]) + alpha*v)))
		}
		m.index[key] = uint16(len(m.rows))
		m.rows = append(m.rows, row)
	}

	owners := make(map[uint64][]int)
	for li, code := range latinLangs {
		for _, w := range strings.Fields(stopwords[code]) {
			h := uint64(fnvOffset)
			for _, r := range w {
				h = (h ^ uint64(symOf(r))) * fnvPrime
			}
			owners[h] = append(owners[h], li)
		}
	}
	m.stop = make(map[uint64][numLatin]float32, len(owners))
	for h, langs := range owners {
		var b [numLatin]float32
		for _, li := range langs {
			b[li] = stopBonus / float32(len(langs))
		}
		m.stop[h] = b
	}
	return m
}

// state is what one pass over a text gathers.
type state struct {
	counts   [numScripts]int
	vi       int // Vietnamese-only letters
	other    int // Latin letters of no modelled alphabet (symOther)
	ukMarks  int // і ї є ґ
	ruMarks  int // ы э ё
	bgMarks  int // ъ
	srMarks  int // ђ ј љ њ ћ џ
	urMarks  int // ٹ ڈ ڑ ں ے ہ
	faMarks  int // پ چ ژ گ ک ی
	trigrams int
	scores   [numLatin]float32
	// train, when set, receives every trigram key instead of scoring.
	train func(key uint32)
}

// scan walks text once. URLs, @mentions and #hashtags are skipped whole;
// anything that is not a letter ends a word. For Latin letters it adds the
// trigram and stopword log-likelihoods to st.scores (m may be nil when
// st.train is set); for other scripts it counts letters and the marks that
// tell languages of one script apart.
func scan(m *model, text string, st *state) {
	var a, b uint8 // the two previous symbols of the Latin stream
	h, wlen := uint64(fnvOffset), 0
	prevWord := false // the previous rune was a letter or digit

	endWord := func() {
		if b != symBoundary {
			st.emit(m, a, b, symBoundary)
			if m != nil && wlen <= maxStopLen {
				if bonus, ok := m.stop[h]; ok {
					for i := range st.scores {
						st.scores[i] += bonus[i]
					}
				}
			}
		}
		a, b = symBoundary, symBoundary
		h, wlen = fnvOffset, 0
	}

	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !prevWord {
			if n := skipToken(text[i:], r); n > 0 {
				endWord()
				i += n
				continue
			}
		}
		i += size

		sc := scriptOf(r)
		st.counts[sc] += scriptWeight[sc]
		switch sc {
		case scLatin:
			prevWord = true
			if r >= 0x80 && isVietnamese(r) {
				st.vi++
			}
			c := symOf(r)
			if c == symOther {
				st.other++
			}
			if b != symBoundary {
				st.emit(m, a, b, c)
			}
			a, b = b, c
			h = (h ^ uint64(c)) * fnvPrime
			wlen++
			continue
		case scNone:
			if unicode.IsMark(r) {
				continue // a combining accent inside a word
			}
			prevWord = r < 0x80 && r >= '0' && r <= '9' || r == '_'
		case scCyrillic:
			prevWord = true
			st.cyrillicMark(r)
		case scArabic:
			prevWord = true
			st.arabicMark(r)
		default:
			prevWord = true
		}
		endWord()
	}
	endWord()
}

func (st *state) emit(m *model, a, b, c uint8) {
	st.trigrams++
	key := trigramKey(a, b, c)
	if st.train != nil {
		st.train(key)
		return
	}
	row := &m.rows[m.index[key]]
	for i := range st.scores {
		st.scores[i] += row[i]
	}
}

func (st *state) cyrillicMark(r rune) {
	switch r {
	case 'і', 'І', 'ї', 'Ї', 'є', 'Є', 'ґ', 'Ґ':
		st.ukMarks++
	case 'ы', 'Ы', 'э', 'Э', 'ё', 'Ё':
		st.ruMarks++
	case 'ъ', 'Ъ':
		st.bgMarks++
	case 'ђ', 'Ђ', 'ј', 'Ј', 'љ', 'Љ', 'њ', 'Њ', 'ћ', 'Ћ', 'џ', 'Џ':
		st.srMarks++
	}
}

func (st *state) arabicMark(r rune) {
	switch r {
	case 0x679, 0x688, 0x691, 0x6BA, 0x6D2, 0x6C1:
		st.urMarks++
	case 0x67E, 0x686, 0x698, 0x6AF, 0x6A9, 0x6CC:
		st.faMarks++
	}
}

// skipToken returns the length in bytes of the URL, @mention or #hashtag
// starting at s (whose first rune is r), or 0 if none starts there.
func skipToken(s string, r rune) int {
	switch r {
	case '@', '#', '＠', '＃':
		n := utf8.RuneLen(r)
		for n < len(s) {
			q, size := utf8.DecodeRuneInString(s[n:])
			if q != '_' && !unicode.IsLetter(q) && !unicode.IsDigit(q) && !unicode.IsMark(q) {
				break
			}
			n += size
		}
		if n == utf8.RuneLen(r) {
			return 0 // a lone sign
		}
		return n
	case 'h', 'H', 'w', 'W':
		if hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") || hasPrefixFold(s, "www.") {
			n := 0
			for n < len(s) {
				q, size := utf8.DecodeRuneInString(s[n:])
				if unicode.IsSpace(q) {
					break
				}
				n += size
			}
			return n
		}
	}
	return 0
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
