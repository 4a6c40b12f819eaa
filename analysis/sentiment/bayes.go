package sentiment

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"unsafe"

	"github.com/cdipaolo/sentiment"
)

// restore reads cdipaolo/sentiment's bundled model once per process: a
// 117,448-word vocabulary with each word's count in negative and positive
// IMDB reviews, as gzipped JSON. It scans the JSON itself for the counts
// (0.06s in BenchmarkReadBayes, against 0.8s or more for the bundle's own
// Restore, which decodes every field into maps behind a lock) and keeps
// each word's log odds in a wordTable, to which it adds the domain
// lexicon's and the reasons' words, so that every part finds what it knows
// of a token in one lookup (see lookup).
// Every Scorer shares the result; scoring only reads it.
var restore = sync.OnceValues(func() (*bayes, error) {
	data, err := sentiment.Asset("model.json")
	if err != nil {
		return nil, fmt.Errorf("restoring bayes model: %w", err)
	}
	b, err := parseBayes(data)
	if err != nil {
		return nil, fmt.Errorf("restoring bayes model: %w", err)
	}
	addExtras(b.words)
	b.buildHot()
	return b, nil
})

// tokenBias corrects the bundled model's per-word log odds for the classes'
// sizes. goml estimates P(word | class) as (count+1) / (seen+vocabulary),
// the same denominator for both classes, so every known word adds a little
// to the positive side because positive reviews are longer. A multinomial
// naive Bayes divides by each class's token count instead; the difference
// per known word is log((N₊+V) / (N₋+V)) with N₊ = 2,319,738, N₋ = 2,255,415
// and V = 117,448 in the bundled model. TestTokenBias recomputes it.
const tokenBias = 0.0267469

// temperature damps the naive Bayes log odds: bayes words are counted as if
// independent, so the raw odds are overconfident.
const temperature = 2

// bayes is the IMDB naive Bayes part, classes 0 negative and 1 positive.
type bayes struct {
	// words holds each known word's log odds of positive over negative,
	// log((count₊+1) / (count₋+1)) - tokenBias, in slots marked bayes;
	// restore adds the words of tokenExtras.
	words *wordTable
	// hot holds, with their data in words, the words seen at least
	// hotCount times in the bundle's reviews, every word of at most
	// hotShort bytes and the words of tokenExtras, in a table small
	// enough to stay in the processor's cache (see lookup). nil until
	// buildHot.
	hot      *wordTable
	hotWords []string // the words for hot, until buildHot
	n        int      // the words of the Bayes vocabulary
	prior    float64  // log P(positive) / P(negative)
}

// The hot table: the 3,274 words of the bundle seen at least hotCount
// times, every word of hotShort bytes or fewer (the bundle has none) and
// the domain and reason words: 3,503 words in 8,192 slots (256 KB). On the
// 100,000 texts of docs/sentiment.md's speed test, 51% of the tokens were
// in it and 27% were of 1 or 2 bytes and not in it (clause breaks, "i",
// "to", "a"), so 4 lookups in 5 never read the full table.
const (
	hotCount = 130
	hotShort = 2
)

// buildHot builds b.hot from b.hotWords and tokenExtras.
func (b *bayes) buildHot() {
	b.hot = newWordTable(len(b.hotWords) + len(extraIDs))
	copyTo := func(w string) {
		s := b.words.get(w, gramHash(w))
		h := b.hot.add(w)
		h.odds, h.id, h.bayes = s.odds, s.id, s.bayes
	}
	for _, w := range b.hotWords {
		copyTo(w)
	}
	for w := range extraIDs {
		copyTo(w)
	}
	b.hotWords = nil
}

// get returns tok's slot (h is gramHash(tok)), nil when no part knows tok:
// from the hot table when it has it, else from words, except for words
// of hotShort bytes or fewer, which are all in the hot table.
func (b *bayes) get(tok string, h uint64) *wordSlot {
	if b.hot != nil {
		if s := b.hot.get(tok, h); s != nil || len(tok) <= hotShort {
			return s
		}
	}
	return b.words.get(tok, h)
}

// odds returns word's log odds and whether the model knows word.
func (b *bayes) odds(word string) (float64, bool) {
	if s := b.words.get(word, gramHash(word)); s != nil && s.bayes {
		return s.odds, true
	}
	return 0, false
}

// score returns 2·P(positive | tokens) - 1 in [-1, 1], from the model's
// length-corrected log odds damped by temperature, and how many tokens the
// model knew. Unknown tokens are skipped, as the model does.
func (b *bayes) score(tokens []string) (score float64, known int) {
	return b.scoreWords(b.lookup(nil, tokens))
}

// scoreWords is score from the tokens' lookups.
func (b *bayes) scoreWords(words []tokenWord) (score float64, known int) {
	logOdds := b.prior
	for _, w := range words {
		if w.slot == nil || !w.slot.bayes {
			continue
		}
		known++
		logOdds += w.slot.odds
	}
	// 2·sigmoid(x) - 1 = tanh(x/2).
	return math.Tanh(logOdds / temperature / 2), known
}

// wordOdds is a word's term of the log odds, from its counts in negative
// and positive reviews.
func wordOdds(neg, pos uint64) float64 {
	return math.Log(float64(pos+1)/float64(neg+1)) - tokenBias
}

// parseBayes reads the bundle's English model: {"en": {"words": {"word":
// {"Count": [neg, pos], "Seen": n}, ...}, "probabilities": [p₋, p₊],
// ...}}. Words are plain ASCII in the bundle; a word with an escape is
// unquoted.
func parseBayes(data []byte) (*bayes, error) {
	const wordsKey, probsKey = `{"en":{"words":{`, `"probabilities":[`
	if !bytes.HasPrefix(data, []byte(wordsKey)) {
		return nil, errors.New("no English words at the start of the bundle")
	}
	// 262,144 slots (8 MB), room for 131,071 words: the bundle has 117,448,
	// and the domain and reason words add a few hundred.
	b := &bayes{words: newWordTable(1 << 16)}
	p := data[len(wordsKey):]
	for len(p) > 0 && p[0] == '"' {
		word, rest, err := parseBayesWord(p)
		if err != nil {
			return nil, fmt.Errorf("word %d: %w", b.n+1, err)
		}
		if len(word.text) > maxWord {
			return nil, fmt.Errorf("word %d: longer than %d bytes", b.n+1, maxWord)
		}
		slot := b.words.add(word.text)
		if !slot.bayes {
			b.n++
		}
		slot.odds, slot.bayes = wordOdds(word.neg, word.pos), true
		if word.neg+word.pos >= hotCount || len(word.text) <= hotShort {
			b.hotWords = append(b.hotWords, word.text)
		}
		p = rest
		if len(p) > 0 && p[0] == ',' {
			p = p[1:]
		}
	}
	i := bytes.Index(p, []byte(probsKey))
	if i < 0 {
		return nil, errors.New("no class probabilities")
	}
	p = p[i+len(probsKey):]
	end := bytes.IndexByte(p, ']')
	comma := bytes.IndexByte(p, ',')
	if end < 0 || comma < 0 || comma > end {
		return nil, errors.New("class probabilities: want two numbers")
	}
	p0, err0 := strconv.ParseFloat(string(p[:comma]), 64)
	p1, err1 := strconv.ParseFloat(string(p[comma+1:end]), 64)
	if err := errors.Join(err0, err1); err != nil {
		return nil, fmt.Errorf("class probabilities: %w", err)
	}
	b.prior = math.Log(p1 / p0)
	return b, nil
}

// bayesWord is one word of the bundle and its counts.
type bayesWord struct {
	text     string
	neg, pos uint64
}

// parseBayesWord reads `"word":{"Count":[neg,pos],"Seen":n}` from the start
// of p and returns the rest.
func parseBayesWord(p []byte) (w bayesWord, rest []byte, err error) {
	const countKey = `:{"Count":[`
	end := bytes.IndexByte(p[1:], '"') + 1
	if end == 0 {
		return w, nil, errors.New("unterminated word")
	}
	if bytes.IndexByte(p[1:end], '\\') >= 0 {
		// An escaped quote may end the word later: find the real end.
		end = 1
		for end < len(p) && p[end] != '"' {
			if p[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(p) {
			return w, nil, errors.New("unterminated word")
		}
		if w.text, err = strconv.Unquote(string(p[:end+1])); err != nil {
			return w, nil, err
		}
	} else {
		// Not copied: the word is copied into the wordTable, and data is
		// never changed.
		w.text = unsafe.String(unsafe.SliceData(p[1:]), end-1)
	}
	p = p[end+1:]
	if !bytes.HasPrefix(p, []byte(countKey)) {
		return w, nil, fmt.Errorf("%q: no counts", w.text)
	}
	p = p[len(countKey):]
	if w.neg, p, err = parseCount(p, ','); err != nil {
		return w, nil, fmt.Errorf("%q: %w", w.text, err)
	}
	if w.pos, p, err = parseCount(p, ']'); err != nil {
		return w, nil, fmt.Errorf("%q: %w", w.text, err)
	}
	close := bytes.IndexByte(p, '}')
	if close < 0 {
		return w, nil, fmt.Errorf("%q: unterminated", w.text)
	}
	return w, p[close+1:], nil
}

// parseCount reads a decimal count ended by sep from the start of p and
// returns the rest after sep.
func parseCount(p []byte, sep byte) (uint64, []byte, error) {
	var n uint64
	for i, c := range p {
		switch {
		case c == sep && i > 0:
			return n, p[i+1:], nil
		case c < '0' || c > '9' || n > (math.MaxUint64-9)/10:
			return 0, nil, errors.New("bad count")
		}
		n = n*10 + uint64(c-'0')
	}
	return 0, nil, errors.New("bad count")
}
