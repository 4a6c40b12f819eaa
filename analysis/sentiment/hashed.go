package sentiment

import (
	"math"
	"sync"
	"unsafe"
)

// The hashed part's features. A text's tokens (see normalize) become
// feature hashes, folded into the model's buckets:
//
//   - each word, squeezed ("soooo" → "soo"), marked when it is in a
//     negation's scope (after "not", "never", "cant"... up to the end of
//     the clause: "not good" gives "good" the mark);
//   - each pair of neighbouring words within a clause;
//   - the character n-grams of each word, padded with its boundaries
//     ("<ok>": "<ok", "ok>", "<ok>"), of lengths minChar to maxChar;
//   - a few marks of the text as written: exclamation and question marks,
//     words in capitals, elongated words.
//
// Besides the hashed features, a few dense ones carry prior knowledge:
// the sums of VADER's lexicon valences (positive and negative, negation
// flipping them) and the domain lexicon's score.
var (
	minChar = 3
	maxChar = 5
)

// Seeds keep the kinds of features apart in the hash space.
const (
	seedWord    uint64 = fnvOffset
	seedNegWord uint64 = 0x9e3779b97f4a7c15
	seedBigram  uint64 = 0xc2b2ae3d27d4eb4f
	seedChar    uint64 = 0x165667b19e3779f9
	seedMark    uint64 = 0x27d4eb2f165667c5
	seedNegChar uint64 = 0x94d049bb133111eb
)

// The dense features, in this order.
const (
	dLexPos = iota
	dLexNeg
	dDomain
	dVaderCompound
	dVaderPos
	dVaderNeg
	numHashedDense
)

// denseHashedNames name the dense features in the model file.
var denseHashedNames = [numHashedDense]string{"lexicon.positive", "lexicon.negative", "domain", "vader.compound", "vader.pos", "vader.neg"}

// features is a text's features: hashes (before folding into buckets)
// and dense values. A features is reused from text to text.
type features struct {
	infos  []*wordInfo // each token's entry in the word index, nil when none
	hashes []uint64
	dense  [numHashedDense]float64
	word   []byte // scratch for a squeezed word
}

// vaderLexicon is VADER's word valences (govader's bundled lexicon, on
// [-4, 4]), built once.
var vaderLexicon = sync.OnceValue(func() map[string]float64 { return analyzer().Lexicon })

// lookup finds each of tokens in the word index idx, into f.infos.
func (f *features) lookup(tokens []string, idx map[string]*wordInfo) {
	f.infos = f.infos[:0]
	for _, t := range tokens {
		f.infos = append(f.infos, idx[t])
	}
}

// extract fills f with the features of tokens (from tokenizeInto, looked
// up in idx by lookup already) and of text as written (for the marks).
func (f *features) extract(text string, tokens []string, idx map[string]*wordInfo) {
	f.hashes = f.hashes[:0]
	f.dense = [numHashedDense]float64{}
	f.marks(text)
	negated := false
	var prev uint64 // hash of the previous word in this clause; 0 at a clause start
	for i, tok := range tokens {
		if tok == clauseBreak {
			negated, prev = false, 0
			continue
		}
		w := f.squeeze(tok)
		info := f.infos[i]
		if len(w) != len(tok) {
			info = idx[w]
		}
		h := fnvAdd(seedWord, w)
		if negated {
			f.hashes = append(f.hashes, fnvAdd(seedNegWord, w))
		} else {
			f.hashes = append(f.hashes, h)
		}
		if prev != 0 {
			f.hashes = append(f.hashes, (prev^h)*fnvPrime+seedBigram)
		}
		prev = h
		if info != nil && info.negator {
			negated = true
			if len(w) <= 6 || w[len(w)-2:] == "nt" {
				// "not", "no", "never", "dont": the word alone. Their
				// letters say nothing more and would outweigh what they
				// negate ("not bad at all"). Longer ones ("nothing",
				// "without") keep their letters: they carry meaning.
				continue
			}
		}
		if negated {
			f.chars(w, seedNegChar)
		} else {
			f.chars(w, seedChar)
		}
		if info == nil {
			continue
		}
		if v := info.valence; v != 0 {
			if negated {
				v *= -0.74 // VADER's own factor for a negated word
			}
			if v > 0 {
				f.dense[dLexPos] += v
			} else {
				f.dense[dLexNeg] -= v
			}
		}
	}
	// Squash the lexicon sums: a long rant is not ten times as negative.
	f.dense[dLexPos] = math.Log1p(f.dense[dLexPos])
	f.dense[dLexNeg] = math.Log1p(f.dense[dLexNeg])
	f.dense[dDomain], _ = domainScoreInfos(tokens, f.infos)
}

// squeeze returns tok with runs of three or more of a byte cut to two
// ("sooooo" → "soo"), in f.word when it changes anything.
func (f *features) squeeze(tok string) string {
	run := 0
	for i := 2; i < len(tok); i++ {
		if tok[i] == tok[i-1] && tok[i] == tok[i-2] {
			run++
			break
		}
	}
	if run == 0 {
		return tok
	}
	f.word = f.word[:0]
	for i := 0; i < len(tok); i++ {
		if i >= 2 && tok[i] == tok[i-1] && tok[i] == tok[i-2] {
			continue
		}
		f.word = append(f.word, tok[i])
	}
	f.hashes = append(f.hashes, markElongated)
	// Valid until the next squeeze; extract is done with it by then.
	return unsafe.String(&f.word[0], len(f.word))
}

// chars adds the character n-grams of w padded with '<' and '>'.
func (f *features) chars(w string, seed uint64) {
	n := len(w) + 2
	at := func(i int) byte {
		switch i {
		case 0:
			return '<'
		case n - 1:
			return '>'
		}
		return w[i-1]
	}
	for i := 0; i+minChar <= n; i++ {
		h := seed
		for j := i; j < n && j-i < maxChar; j++ {
			h = (h ^ uint64(at(j))) * fnvPrime
			if j-i+1 >= minChar {
				f.hashes = append(f.hashes, h)
			}
		}
	}
}

// Marks of the text as written.
var (
	markExclaim   = fnvAdd(seedMark, "!")
	markExclaim2  = fnvAdd(seedMark, "!!")
	markQuestion  = fnvAdd(seedMark, "?")
	markCaps      = fnvAdd(seedMark, "CAPS")
	markElongated = fnvAdd(seedMark, "elongated")
)

// marks adds the marks of text: "!", "!!" (two or more), "?", and a word
// of two or more capitals.
func (f *features) marks(text string) {
	exclaim, question, caps, run := 0, 0, false, 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '!':
			exclaim++
		case c == '?':
			question++
		}
		if 'A' <= c && c <= 'Z' {
			run++
			if run >= 3 {
				caps = true
			}
		} else {
			run = 0
		}
	}
	if exclaim > 0 {
		f.hashes = append(f.hashes, markExclaim)
	}
	if exclaim > 1 {
		f.hashes = append(f.hashes, markExclaim2)
	}
	if question > 0 {
		f.hashes = append(f.hashes, markQuestion)
	}
	if caps {
		f.hashes = append(f.hashes, markCaps)
	}
}

// bucket folds a feature hash into one of 1<<bits buckets.
func bucket(h uint64, bits uint) uint32 {
	return uint32(mix(h) >> (64 - bits))
}

// mix spreads h's bits so that its top bits pick a bucket.
func mix(h uint64) uint64 {
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return h
}
