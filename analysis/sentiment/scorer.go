package sentiment

import (
	"context"
	"fmt"
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

// Scorer scores English text with the ensemble of the package
// documentation, or one part alone (WithPart). It is safe for concurrent
// use.
type Scorer struct {
	bayes  *bayes
	vader  *vaderLexicon
	model  *Model
	part   string // PartEnsemble or one of Parts
	detect func(text string) (code string, confidence float64)
}

// Option changes a Scorer made by New.
type Option func(*Scorer) error

// WithModel makes the Scorer use m instead of the embedded model.
func WithModel(m *Model) Option {
	return func(s *Scorer) error {
		s.model = m
		return nil
	}
}

// WithPart makes the Scorer label texts by one part alone (PartBayes,
// PartVader, PartDomain, PartLearned, each through its own fitted solo
// model) or by the ensemble (PartEnsemble, the default), for evaluation.
func WithPart(part string) Option {
	return func(s *Scorer) error {
		if part != PartEnsemble && !slices.Contains(Parts, part) {
			return fmt.Errorf("unknown sentiment part %q (want %s or %v)", part, PartEnsemble, Parts)
		}
		s.part = part
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

// New returns a Scorer. The first call in a process reads the Bayes
// model (about 0.06s) and reads the embedded ensemble model; later calls
// share them.
func New(opts ...Option) (*Scorer, error) {
	b, err := restore()
	if err != nil {
		return nil, err
	}
	s := &Scorer{bayes: b, vader: vaderData(), part: PartEnsemble, detect: lang.Detect}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	if s.model == nil {
		if s.model, err = embedded(); err != nil {
			return nil, err
		}
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
// Without parts it leaves Parts nil and allocates nothing per text, for
// throughput.
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
// confidently in another language than English is unscored (Label "").
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
	tokens []string
	words  []tokenWord // the tokens' lookups
	buf    []byte
	vader  vaderScratch
}

// explain fills e for text: the sentiment, with Parts when parts is set,
// and with the language and contributions when contrib is set.
func (s *Scorer) explain(text string, sc *scratch, e *Explanation, parts, contrib bool) {
	sc.tokens, sc.buf = tokenizeInto(sc.tokens[:0], sc.buf[:0], text)
	tokens := sc.tokens
	sc.words = s.bayes.lookup(sc.words[:0], tokens)
	bayesScore, known := s.bayes.scoreWords(sc.words)
	// A text mostly of English words is scored whatever its language, so
	// the language is only detected when it is not, or to be reported.
	english := mostlyEnglish(tokens, known)
	if contrib || !english {
		code, conf := s.detect(text)
		if contrib {
			e.Lang, e.LangConfidence = code, conf
		}
		if code != "en" && code != lang.Und && conf >= langConfidence && !english {
			return // unscored
		}
	}
	if len(tokens) == 0 || (len(tokens) == 1 && tokens[0] == clauseBreak) {
		e.Sentiment = earshot.Sentiment{Label: earshot.Neutral}
		if parts {
			e.Parts = map[string]float64{PartBayes: 0, PartVader: 0, PartDomain: 0, PartLearned: 0}
		}
		return
	}

	x := s.denseWith(&sc.vader, text, tokens, sc.words, bayesScore, known)
	m := s.model
	learned := m.learned(tokens, sc.words)
	x[fLearnedNeg], x[fLearnedNeu], x[fLearnedPos] = learned[neg], learned[neu], learned[pos]

	var z vec3
	switch s.part {
	case PartEnsemble:
		z = m.Bias
		for f := range numDense {
			for k := range 3 {
				z[k] += m.dense[f][k] * x[f]
			}
		}
	case PartBayes:
		z = m.Solo[PartBayes].apply(x[fBayes : fBayes+1])
	case PartVader:
		z = m.Solo[PartVader].apply(x[fVaderCompound : fVaderNeg+1])
	case PartDomain:
		z = m.Solo[PartDomain].apply(x[fDomain : fDomain+1])
	case PartLearned:
		z = m.Solo[PartLearned].apply(learned[:])
	}
	p := softmax(z)
	e.Score = p[pos] - p[neg]
	e.Label = classes[argmax(p)]
	if e.Label == earshot.Negative {
		e.Reason = reasonOf(tokens, sc.words)
	}
	if parts {
		lp := softmax(m.Solo[PartLearned].apply(learned[:]))
		e.Parts = map[string]float64{
			PartBayes:   x[fBayes],
			PartVader:   x[fVaderCompound],
			PartDomain:  x[fDomain],
			PartLearned: lp[pos] - lp[neg],
		}
	}
	if contrib {
		c := map[string]float64{"bias": m.Bias[pos] - m.Bias[neg]}
		for f := range numDense {
			c[denseParts[f]] += (m.dense[f][pos] - m.dense[f][neg]) * x[f]
		}
		if s.part != PartEnsemble {
			c = map[string]float64{s.part: z[pos] - z[neg]}
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
// breaks aside) are among the known English words.
func mostlyEnglish(tokens []string, known int) bool {
	words := 0
	for _, t := range tokens {
		if t != clauseBreak {
			words++
		}
	}
	return words > 0 && float64(known) >= englishShare*float64(words)
}

// apply returns the solo model's class log-odds for the part's features.
func (s Solo) apply(x []float64) vec3 {
	z := s.Bias
	for f, w := range s.Weights {
		if f >= len(x) {
			break
		}
		for k := range 3 {
			z[k] += w[k] * x[f]
		}
	}
	return z
}

// learned is the learned part's class log-odds for tokens, centred (they
// sum to 0): GramBias plus the weights of the unigrams and bigrams in
// tokens (counted as often as they occur; bigrams do not span a clause
// break). words, when not nil, are the tokens' lookups, whose hashes it
// reads.
func (m *Model) learned(tokens []string, words []tokenWord) vec3 {
	z := m.GramBias
	add := func(h uint64) {
		if w, ok := m.grams.get(h); ok {
			z[0] += w[0]
			z[1] += w[1]
			z[2] += w[2]
		}
	}
	for i, t := range tokens {
		if t == clauseBreak {
			continue
		}
		var h uint64
		if words != nil {
			h = words[i].hash
		} else {
			h = gramHash(t)
		}
		add(h)
		if i+1 < len(tokens) && tokens[i+1] != clauseBreak {
			add(bigramAfter(h, tokens[i+1])) // bigramHash(t, tokens[i+1])
		}
	}
	return centre(z)
}

// centre shifts z to sum to 0, which leaves its softmax as it is.
func centre(z vec3) vec3 {
	mean := (z[0] + z[1] + z[2]) / 3
	return vec3{z[0] - mean, z[1] - mean, z[2] - mean}
}

// grams calls fn with each unigram and bigram of tokens, as gramSum sees
// them.
func grams(tokens []string, fn func(string)) {
	for i, t := range tokens {
		if t == clauseBreak {
			continue
		}
		fn(t)
		if i+1 < len(tokens) && tokens[i+1] != clauseBreak {
			fn(t + " " + tokens[i+1])
		}
	}
}
