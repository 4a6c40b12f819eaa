package sentiment

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"

	"github.com/earshot/earshot"
)

// Example is a labelled text to fit a model on.
type Example struct {
	// Set names the data set the example comes from: each set and class
	// weighs the same in the fit, whatever its size.
	Set   string
	Text  string
	Label earshot.Label
}

// FitOptions tune Fit. The zero value takes the defaults.
type FitOptions struct {
	// MinCount is the fewest examples an n-gram must occur in to get a
	// weight (default 3).
	MinCount int
	// MaxGrams caps the vocabulary: the n-grams in the most examples (default 15,000).
	MaxGrams int
	// Epochs over the examples (default 6).
	Epochs int
	// L2 is the ridge penalty on n-gram weights per update (default 1e-3).
	L2 float64
	// Rate is AdaGrad's learning rate (default 0.2).
	Rate float64
	// About is written into the model.
	About string
}

func (o *FitOptions) defaults() {
	if o.MinCount == 0 {
		o.MinCount = 3
	}
	if o.MaxGrams == 0 {
		o.MaxGrams = 15000
	}
	if o.Epochs == 0 {
		o.Epochs = 6
	}
	if o.L2 == 0 {
		o.L2 = 1e-3
	}
	if o.Rate == 0 {
		o.Rate = 0.2
	}
}

// fitRow is one example as the fit sees it.
type fitRow struct {
	x      [numDense]float64
	grams  []int32 // indexes into the vocabulary
	y      int
	weight float64
}

// Fit fits the ensemble's weights on examples: a multinomial logistic
// regression over the parts' scores and the texts' n-grams, by AdaGrad
// with an L2 penalty, every set and class weighing the same. Then each
// part's solo model. The result depends only on the examples, their order
// and opts: the shuffles use a fixed seed.
func Fit(ctx context.Context, examples []Example, opts FitOptions) (*Model, error) {
	opts.defaults()
	s, err := New(WithLanguage(nil), WithModel(&Model{}))
	if err != nil {
		return nil, err
	}
	prep := s.prepare(examples)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	weight, err := classWeights(examples)
	if err != nil {
		return nil, err
	}
	vocab := vocabulary(prep, opts)
	index := make(map[string]int32, len(vocab))
	for i, g := range vocab {
		index[g] = int32(i)
	}
	data := make([]fitRow, len(examples))
	for i, p := range prep {
		data[i] = fitRow{x: p.x, y: classIndex(examples[i].Label), weight: weight(examples[i])}
		for _, g := range p.grams {
			if j, ok := index[g]; ok {
				data[i].grams = append(data[i].grams, j)
			}
		}
	}

	// The learned part, on all the examples.
	gramBias, gw := trainGrams(data, len(vocab), opts)
	m := &Model{
		About:    opts.About,
		Classes:  classes,
		GramBias: roundVec(gramBias),
		Dense:    map[string]vec3{},
		Solo:     map[string]Solo{},
		Grams:    map[string]vec3{},
	}
	for i, g := range vocab {
		if w := roundVec(gw[i]); w != (vec3{}) {
			m.Grams[g] = w
		}
	}
	outOfFold(data, len(vocab), opts)

	// The ensemble, stacked on the parts' scores.
	bias, dense := trainDense(data, opts)
	m.Bias = roundVec(bias)
	for f, name := range denseNames {
		m.Dense[name] = roundVec(dense[f])
	}
	fitSolos(m, data)
	if err := m.compile(); err != nil {
		return nil, err
	}
	return m, nil
}

// prepared is an example's features before the vocabulary is known: the
// parts' scores and every n-gram of its text.
type prepared struct {
	x     [numDense]float64
	grams []string
}

// prepare computes the examples' features in parallel: VADER and Bayes are
// the slow part.
func (s *Scorer) prepare(examples []Example) []prepared {
	prep := make([]prepared, len(examples))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(examples); i += workers {
				tokens := tokenize(examples[i].Text)
				prep[i].x = s.dense(examples[i].Text, tokens)
				grams(tokens, func(g string) { prep[i].grams = append(prep[i].grams, g) })
			}
		})
	}
	wg.Wait()
	return prep
}

// classWeights returns each example's weight such that every (set, class)
// pair weighs the same in total, or an error for a label outside classes.
func classWeights(examples []Example) (func(Example) float64, error) {
	type key struct {
		set string
		y   int
	}
	counts := map[key]int{}
	for _, ex := range examples {
		counts[key{ex.Set, classIndex(ex.Label)}]++
	}
	for k := range counts {
		if k.y < 0 {
			return nil, fmt.Errorf("fitting: example of set %q has label outside %v", k.set, classes)
		}
	}
	norm := float64(len(examples)) / float64(len(counts))
	return func(ex Example) float64 {
		return norm / float64(counts[key{ex.Set, classIndex(ex.Label)}])
	}, nil
}

// vocabulary returns, sorted, the MaxGrams n-grams found in the most
// examples, at least MinCount of them.
func vocabulary(prep []prepared, opts FitOptions) []string {
	df := map[string]int{}
	for _, p := range prep {
		seen := map[string]bool{}
		for _, g := range p.grams {
			if !seen[g] {
				seen[g] = true
				df[g]++
			}
		}
	}
	vocab := make([]string, 0, len(df))
	for g, n := range df {
		if n >= opts.MinCount {
			vocab = append(vocab, g)
		}
	}
	sort.Slice(vocab, func(i, j int) bool {
		if df[vocab[i]] != df[vocab[j]] {
			return df[vocab[i]] > df[vocab[j]]
		}
		return vocab[i] < vocab[j]
	})
	vocab = vocab[:min(len(vocab), opts.MaxGrams)]
	sort.Strings(vocab)
	return vocab
}

// outOfFold sets the learned part's opinion of each example, out of fold:
// fitted on the other folds, so the ensemble learns how far to trust it on
// unseen text.
func outOfFold(data []fitRow, vocab int, opts FitOptions) {
	const folds = 5
	for f := range folds {
		var train []fitRow
		for i := range data {
			if i%folds != f {
				train = append(train, data[i])
			}
		}
		b, w := trainGrams(train, vocab, opts)
		for i := f; i < len(data); i += folds {
			z := b
			for _, j := range data[i].grams {
				for k := range 3 {
					z[k] += w[j][k]
				}
			}
			z = centre(z)
			data[i].x[fLearnedNeg], data[i].x[fLearnedNeu], data[i].x[fLearnedPos] = z[neg], z[neu], z[pos]
		}
	}
}

// fitSolos fits each part's solo model on its own features.
func fitSolos(m *Model, data []fitRow) {
	solo := func(lo, hi int) Solo {
		rows := make([]soloRow, len(data))
		for i, r := range data {
			rows[i] = soloRow{x: r.x[lo:hi], y: r.y, weight: r.weight}
		}
		return trainSolo(rows)
	}
	m.Solo[PartBayes] = solo(fBayes, fBayes+1)
	m.Solo[PartVader] = solo(fVaderCompound, fVaderNeg+1)
	m.Solo[PartDomain] = solo(fDomain, fDomain+1)
	m.Solo[PartLearned] = solo(fLearnedNeg, fLearnedPos+1)
}

// dense returns the parts' scores of a text, the ensemble's dense inputs.
func (s *Scorer) dense(text string, tokens []string) [numDense]float64 {
	if len(tokens) == 0 {
		return [numDense]float64{}
	}
	b, known := s.bayes.score(tokens)
	var sc vaderScratch
	return s.denseWith(&sc, text, tokens, nil, b, known)
}

// denseWith is dense with the Bayes part's score already known, and the
// tokens' lookups when words is not nil.
func (s *Scorer) denseWith(sc *vaderScratch, text string, tokens []string, words []tokenWord, bayes float64, known int) [numDense]float64 {
	var x [numDense]float64
	if known > 0 {
		x[fBayes] = bayes
	}
	v := vaderScore(s.vader, sc, text)
	x[fVaderCompound], x[fVaderPos], x[fVaderNeg] = v.compound, v.pos, v.neg
	x[fDomain], _ = domainScore(tokens, words)
	return x
}

func classIndex(l earshot.Label) int {
	for k, c := range classes {
		if c == l {
			return k
		}
	}
	return -1
}

func roundVec(v vec3) vec3 { return vec3{round3(v[0]), round3(v[1]), round3(v[2])} }

// trainGrams fits the learned part alone: AdaGrad on the weighted
// multinomial log loss over n-grams, with an L2 penalty, in a fixed
// shuffled order per epoch.
func trainGrams(data []fitRow, nGrams int, opts FitOptions) (bias vec3, grams []vec3) {
	grams = make([]vec3, nGrams)
	var gBias vec3
	gGrams := make([]vec3, nGrams)
	const eps = 1e-8
	rng := rand.New(rand.NewPCG(1, 2))
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	for range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			r := &data[i]
			z := bias
			for _, j := range r.grams {
				for k := range 3 {
					z[k] += grams[j][k]
				}
			}
			p := softmax(z)
			for k := range 3 {
				g := p[k]
				if k == r.y {
					g--
				}
				g *= r.weight
				gBias[k] += g * g
				bias[k] -= opts.Rate * g / math.Sqrt(gBias[k]+eps)
				for _, j := range r.grams {
					gj := g + opts.L2*grams[j][k]
					gGrams[j][k] += gj * gj
					grams[j][k] -= opts.Rate * gj / math.Sqrt(gGrams[j][k]+eps)
				}
			}
		}
	}
	return bias, grams
}

// trainDense fits the ensemble on the parts' scores.
func trainDense(data []fitRow, opts FitOptions) (vec3, [numDense]vec3) {
	rows := make([]soloRow, len(data))
	for i := range data {
		rows[i] = soloRow{x: data[i].x[:], y: data[i].y, weight: data[i].weight}
	}
	s := trainSolo(rows, func(s *Solo) {
		w := &s.Weights[fDomain]
		w[neg], w[pos] = min(w[neg], -DomainPrior), max(w[pos], DomainPrior)
	})
	var dense [numDense]vec3
	copy(dense[:], s.Weights)
	return s.Bias, dense
}

type soloRow struct {
	x      []float64
	y      int
	weight float64
}

// trainSolo fits a small multinomial logistic regression on rows by
// AdaGrad, in a fixed order. project, if any, is applied after every step
// to keep the weights where they must be.
func trainSolo(rows []soloRow, project ...func(*Solo)) Solo {
	n := 0
	if len(rows) > 0 {
		n = len(rows[0].x)
	}
	s := Solo{Weights: make([]vec3, n)}
	var gBias vec3
	gW := make([]vec3, n)
	const eps = 1e-8
	rng := rand.New(rand.NewPCG(3, 4))
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	for range soloEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			r := rows[i]
			p := softmax(s.apply(r.x))
			for k := range 3 {
				g := p[k]
				if k == r.y {
					g--
				}
				g *= r.weight
				gBias[k] += g * g
				s.Bias[k] -= soloRate * g / math.Sqrt(gBias[k]+eps)
				for f := range n {
					gf := g * r.x[f]
					gW[f][k] += gf * gf
					s.Weights[f][k] -= soloRate * gf / math.Sqrt(gW[f][k]+eps)
				}
			}
			for _, p := range project {
				p(&s)
			}
		}
	}
	s.Bias = roundVec(s.Bias)
	for f := range s.Weights {
		s.Weights[f] = roundVec(s.Weights[f])
	}
	return s
}

// soloEpochs and soloRate drive trainSolo, for the ensemble and the solo
// models: few weights, many examples.
const (
	soloEpochs = 20
	soloRate   = 0.3
)
