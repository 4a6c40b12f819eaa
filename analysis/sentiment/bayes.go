package sentiment

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/cdipaolo/goml/text"
	"github.com/cdipaolo/sentiment"
)

// restore decodes cdipaolo/sentiment's bundled model once per process: it
// gunzips and JSON-decodes a 117,448-word vocabulary, about 0.2s and 18 MB
// of heap. Every Scorer shares the result.
//
// Sharing is safe: scoring only reads the model. The word map is behind the
// model's own RWMutex, and its sanitizer and tokenizer hold no state. The
// model would only be unsafe to read while it learns, which it never does
// here.
var restore = sync.OnceValues(func() (*bayes, error) {
	models, err := sentiment.Restore()
	if err != nil {
		return nil, fmt.Errorf("restoring bayes model: %w", err)
	}
	nb := models[sentiment.English]
	if nb == nil || len(nb.Count) != 2 || len(nb.Probabilities) != 2 {
		return nil, errors.New("restoring bayes model: no two-class English model in the bundle")
	}
	return &bayes{
		nb:    nb,
		prior: math.Log(nb.Probabilities[1] / nb.Probabilities[0]),
	}, nil
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
	nb    *text.NaiveBayes
	prior float64 // log P(positive) / P(negative)
}

// score returns 2·P(positive | tokens) - 1 in [-1, 1], from the model's
// length-corrected log odds damped by temperature, and how many tokens the
// model knew. Unknown tokens are skipped, as the model does.
func (b *bayes) score(tokens []string) (score float64, known int) {
	logOdds := b.prior
	for _, tok := range tokens {
		w, ok := b.nb.Words.Get(tok)
		if !ok {
			continue
		}
		known++
		logOdds += math.Log(float64(w.Count[1]+1)/float64(w.Count[0]+1)) - tokenBias
	}
	// 2·sigmoid(x) - 1 = tanh(x/2).
	return math.Tanh(logOdds / temperature / 2), known
}
