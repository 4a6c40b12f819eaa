package sentiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment/lang"
)

const (
	// chunkMin is the fewest texts worth a goroutine of their own.
	chunkMin = 256
	// checkEvery is how many texts a worker scores between looks at ctx.
	checkEvery = 128
	// langConfidence is the least confidence in another language than
	// English for a text to be left unscored; below it, or when the
	// language is unknown (short texts), the text is scored as English.
	langConfidence = 0.5
)

var _ earshot.Scorer = (*Scorer)(nil)

// Scorer scores English text with the model of the package
// documentation. It is safe for concurrent use.
type Scorer struct {
	model     *Model
	noReasons bool
	detect    func(text string) (code string, confidence float64)
}

// Option changes a Scorer made by New.
type Option func(*Scorer) error

// WithModel makes the Scorer use m instead of the embedded model.
func WithModel(m *Model) Option {
	return func(s *Scorer) error {
		if m == nil {
			return errors.New("sentiment: WithModel(nil)")
		}
		s.model = m
		return nil
	}
}

// WithoutReasons makes the Scorer leave Reason and Reasons empty, for
// callers that do not use them (earshot analyze without --explain): a
// tenth of the time goes to the reasons.
func WithoutReasons() Option {
	return func(s *Scorer) error {
		s.noReasons = true
		return nil
	}
}

// WithLanguage replaces language detection (lang.Detect by default) with
// detect; nil scores every text as English.
func WithLanguage(detect func(text string) (code string, confidence float64)) Option {
	return func(s *Scorer) error {
		if detect == nil {
			detect = func(string) (string, float64) { return lang.Und, 0 }
		}
		s.detect = detect
		return nil
	}
}

// embedded is the model bundled in the binary, parsed once.
var embedded = sync.OnceValues(func() (*Model, error) { return ParseModel(embeddedModel) })

// New returns a Scorer. The first call in a process reads the embedded
// model (a few milliseconds); later calls share it.
func New(opts ...Option) (*Scorer, error) {
	s := &Scorer{detect: lang.Detect}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	if s.model == nil {
		m, err := embedded()
		if err != nil {
			return nil, err
		}
		s.model = m
	}
	return s, nil
}

// Score returns one Sentiment per text, in order, with each part's own
// score in Parts. Large batches are split over runtime.GOMAXPROCS
// goroutines. If ctx ends first, Score returns ctx's error and no
// sentiments.
func (s *Scorer) Score(ctx context.Context, texts []string) ([]earshot.Sentiment, error) {
	out := make([]earshot.Sentiment, len(texts))
	if err := s.ScoreInto(ctx, out, texts, true); err != nil {
		return nil, err
	}
	return out, nil
}

// ScoreInto is Score writing into out, which must be as long as texts.
// Without parts it leaves Parts and Reasons nil (Reason is set) and
// allocates nothing per text, for throughput.
func (s *Scorer) ScoreInto(ctx context.Context, out []earshot.Sentiment, texts []string, parts bool) error {
	if len(out) != len(texts) {
		return fmt.Errorf("scoring texts: %d texts, room for %d", len(texts), len(out))
	}
	return s.each(ctx, texts, func(i int, text string, sc *scratch) {
		var e Explanation
		s.explain(text, sc, &e, parts, false)
		out[i] = e.Sentiment
	})
}

// ExplainAll is Explain for each of texts, in order, over
// runtime.GOMAXPROCS goroutines like Score.
func (s *Scorer) ExplainAll(ctx context.Context, texts []string) ([]Explanation, error) {
	out := make([]Explanation, len(texts))
	err := s.each(ctx, texts, func(i int, text string, sc *scratch) {
		s.explain(text, sc, &out[i], true, true)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// each calls fn for every text, splitting large batches over
// runtime.GOMAXPROCS goroutines, each with its own scratch, and looking at
// ctx every checkEvery texts.
func (s *Scorer) each(ctx context.Context, texts []string, fn func(i int, text string, sc *scratch)) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("scoring texts: %w", err)
	}
	run := func(lo, hi int) error {
		var sc scratch
		for i := lo; i < hi; i++ {
			if (i-lo)%checkEvery == checkEvery-1 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("scoring texts: %w", err)
				}
			}
			fn(i, texts[i], &sc)
		}
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), (len(texts)+chunkMin-1)/chunkMin)
	if workers <= 1 {
		return run(0, len(texts))
	}
	size := (len(texts) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*size, min((w+1)*size, len(texts))
		wg.Go(func() { errs[w] = run(lo, hi) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ScoreText scores one text, with each part's own score in Parts. A text
// without words (empty, only a URL) is neutral with score 0; a text
// confidently in Spanish, French, German or Portuguese is scored by that
// language's lexicon (see foreign.go), one in any other language than
// English is unscored (Label "").
func (s *Scorer) ScoreText(text string) earshot.Sentiment {
	var sc scratch
	var e Explanation
	s.explain(text, &sc, &e, true, false)
	return e.Sentiment
}

// Explanation is a Sentiment with what led to it.
type Explanation struct {
	earshot.Sentiment
	// Lang is the detected language ("und" when unknown) and
	// LangConfidence the detector's confidence in it.
	Lang           string
	LangConfidence float64
	// Contributions says how much each part (and "bias", the model's
	// prior) moved the ensemble's log-odds of positive over negative:
	// positive numbers pull towards positive. Empty when unscored.
	Contributions map[string]float64
}

// Explain scores text like ScoreText and says why.
func (s *Scorer) Explain(text string) Explanation {
	var sc scratch
	var e Explanation
	s.explain(text, &sc, &e, true, true)
	return e
}

// scratch is a worker's reusable memory.
type scratch struct {
	tokens  []string
	buf     []byte
	f       features
	reasons []earshot.Reason
}

// explain fills e for text: the sentiment, with Parts when parts is set,
// and with the language and contributions when contrib is set.
func (s *Scorer) explain(text string, sc *scratch, e *Explanation, parts, contrib bool) {
	sc.tokens, sc.buf = tokenizeInto(sc.tokens[:0], sc.buf[:0], text)
	tokens := sc.tokens
	m := s.model
	sc.f.lookup(tokens, m.words)
	// A text mostly of English words is scored whatever its language
	// looks like, so the detector only reads the others (or all, to
	// explain).
	english := mostlyEnglish(tokens, sc.f.infos)
	if !english || contrib {
		code, conf := s.detect(text)
		if contrib {
			e.Lang, e.LangConfidence = code, conf
		}
		if !english && code != "en" && code != lang.Und && conf >= langConfidence {
			// Spanish, French, German, Portuguese: their lexicons.
			// Other languages: unscored.
			if fs, ok := scoreForeign(code, tokens); ok {
				e.Sentiment = fs
				if parts && fs.Reason != "" {
					e.Reasons = []earshot.Reason{fs.Reason}
				}
			}
			return
		}
	}
	if len(tokens) == 0 || (len(tokens) == 1 && tokens[0] == clauseBreak) {
		e.Sentiment = earshot.Sentiment{Label: earshot.Neutral}
		if parts {
			e.Parts = map[string]float64{PartWords: 0, PartLexicon: 0, PartDomain: 0}
		}
		return
	}
	sc.f.extract(text, tokens, m.words)
	var shares [3]vec3
	var sp *[3]vec3
	if parts || contrib {
		sp = &shares
	}
	z := m.logits(&sc.f, sp)
	p := softmax(z)
	e.Score = p[pos] - p[neg]
	e.Label = classes[argmax(p)]
	if e.Label == earshot.Negative && !s.noReasons {
		sc.reasons = m.reasons(&sc.f, tokens, sc.reasons[:0])
		e.Reason = sc.reasons[0]
		if parts || contrib {
			e.Reasons = slices.Clone(sc.reasons)
		}
	}
	if parts {
		// Each part's own pull, positive over negative, squashed to [-1, 1].
		e.Parts = make(map[string]float64, len(Parts))
		for i, name := range Parts {
			e.Parts[name] = math.Tanh((shares[i][pos] - shares[i][neg]) / 2)
		}
	}
	if contrib {
		c := map[string]float64{"bias": m.Bias[pos] - m.Bias[neg]}
		for i, name := range Parts {
			c[name] = shares[i][pos] - shares[i][neg]
		}
		e.Contributions = c
	}
}

// englishShare is the least share of a text's words the Bayes model's
// English vocabulary must know for the text to be scored as English
// whatever the language detector says: the detector, reading letters,
// can take a short or repetitive English text ("ARRESTED DEVELOPMENT!")
// for another language.
const englishShare = 0.6

// mostlyEnglish reports whether at least englishShare of tokens (clause
// breaks aside) are in the model's English vocabulary.
func mostlyEnglish(tokens []string, infos []*wordInfo) bool {
	words, known := 0, 0
	for i, t := range tokens {
		if t == clauseBreak {
			continue
		}
		words++
		if infos[i] != nil && infos[i].english {
			known++
		}
	}
	return words > 0 && float64(known) >= englishShare*float64(words)
}
