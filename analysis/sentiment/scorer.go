package sentiment

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/earshot/earshot"
)

// Names of the parts in earshot.Sentiment.Parts.
const (
	PartBayes  = "bayes"
	PartDomain = "domain"
)

const (
	// bayesWeight scales the Bayes part before it fills the room the domain
	// part leaves: movie-review evidence counts for less than service words.
	bayesWeight = 0.5
	// neutralBand: scores in (-neutralBand, neutralBand) are neutral.
	neutralBand = 0.2
	// chunkMin is the fewest texts worth a goroutine of their own.
	chunkMin = 256
	// checkEvery is how many texts a worker scores between looks at ctx.
	checkEvery = 128
)

var _ earshot.Scorer = (*Scorer)(nil)

// Scorer scores English text with the bundled naive Bayes model and the
// domain lexicon (see the package documentation). It is safe for concurrent
// use.
type Scorer struct {
	bayes *bayes
}

// New returns a Scorer. The first call in a process restores the bundled
// model (about 0.2s); later calls share it.
func New() (*Scorer, error) {
	b, err := restore()
	if err != nil {
		return nil, err
	}
	return &Scorer{bayes: b}, nil
}

// Score returns one Sentiment per text, in order. Large batches are split
// over runtime.GOMAXPROCS goroutines. If ctx ends first, Score returns
// ctx's error and no sentiments.
func (s *Scorer) Score(ctx context.Context, texts []string) ([]earshot.Sentiment, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("scoring texts: %w", err)
	}
	out := make([]earshot.Sentiment, len(texts))
	workers := min(runtime.GOMAXPROCS(0), (len(texts)+chunkMin-1)/chunkMin)
	if workers <= 1 {
		if err := s.scoreInto(ctx, out, texts); err != nil {
			return nil, err
		}
		return out, nil
	}

	size := (len(texts) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*size, min((w+1)*size, len(texts))
		wg.Go(func() { errs[w] = s.scoreInto(ctx, out[lo:hi], texts[lo:hi]) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scoreInto scores texts into out, which has the same length, looking at
// ctx every checkEvery texts.
func (s *Scorer) scoreInto(ctx context.Context, out []earshot.Sentiment, texts []string) error {
	for i, text := range texts {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("scoring texts: %w", err)
			}
		}
		out[i] = s.ScoreText(text)
	}
	return nil
}

// ScoreText scores one text. A text without words (empty, only a URL) is
// neutral with score 0.
func (s *Scorer) ScoreText(text string) earshot.Sentiment {
	tokens := tokenize(text)
	bayes, known := s.bayes.score(tokens)
	if known == 0 {
		bayes = 0 // no words it knows, no opinion (not even its prior)
	}
	domain, _ := domainScore(tokens)
	score := combine(bayes, domain)
	return earshot.Sentiment{
		Score: score,
		Label: label(score),
		Parts: map[string]float64{PartBayes: bayes, PartDomain: domain},
	}
}

// combine lets the domain part speak first and the Bayes part, damped by
// bayesWeight, fill the room left: the more the lexicon found, the less the
// movie-review model counts. The result stays in [-1, 1].
func combine(bayes, domain float64) float64 {
	return domain + (1-math.Abs(domain))*bayesWeight*bayes
}

func label(score float64) earshot.Label {
	switch {
	case score <= -neutralBand:
		return earshot.Negative
	case score >= neutralBand:
		return earshot.Positive
	}
	return earshot.Neutral
}
