package sentiment

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/earshot/earshot"
)

// HashedOptions tune FitHashed. The zero value takes the defaults.
type HashedOptions struct {
	// Bits: the model has 1<<Bits buckets (default 18).
	Bits uint
	// Epochs over the examples (default 5).
	Epochs int
	// L2 is the ridge penalty per update on the weights touched (default 1e-5).
	L2 float64
	// Rate is AdaGrad's learning rate (default 0.1).
	Rate float64
	// NoDense leaves out the dense lexicon features.
	NoDense bool
	// Vader adds VADER's scores to the dense features (Prepare must have
	// computed them).
	Vader bool
}

func (o *HashedOptions) defaults() {
	if o.Bits == 0 {
		o.Bits = 18
	}
	if o.Epochs == 0 {
		o.Epochs = 5
	}
	if o.L2 == 0 {
		o.L2 = 1e-5
	}
	if o.Rate == 0 {
		o.Rate = 0.1
	}
}

// MaxBits is the most buckets a hashed model can have, 1<<MaxBits.
const MaxBits = 22

// Prepared is an example's features, computed once for many fits.
type Prepared struct {
	buckets []uint32 // at MaxBits; shift right for fewer
	dense   [numHashedDense]float64
	y       int
	weight  float64
}

// Prepare computes the features of examples (on every core) and their
// weights: every (set, class) pair weighs the same in total.
func Prepare(ctx context.Context, examples []Example, vader bool) ([]Prepared, error) {
	type key struct {
		set string
		y   int
	}
	counts := map[key]int{}
	for _, ex := range examples {
		y := classIndex(ex.Label)
		if y < 0 {
			return nil, fmt.Errorf("fitting: example of set %q has label %q, want one of %v", ex.Set, ex.Label, classes)
		}
		counts[key{ex.Set, y}]++
	}
	norm := float64(len(examples)) / float64(max(1, len(counts)))
	out := make([]Prepared, len(examples))
	idx := domainIndex()
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var sc scratch
			var f features
			for i := w; i < len(examples); i += workers {
				sc.tokens, sc.buf = tokenizeInto(sc.tokens[:0], sc.buf[:0], examples[i].Text)
				f.lookup(sc.tokens, idx)
				f.extract(examples[i].Text, sc.tokens, idx)
				p := &out[i]
				p.buckets = make([]uint32, len(f.hashes))
				for k, h := range f.hashes {
					p.buckets[k] = bucket(h, MaxBits)
				}
				p.dense = f.dense
				if vader {
					v := vaderScore(analyzer(), examples[i].Text)
					p.dense[dVaderCompound], p.dense[dVaderPos], p.dense[dVaderNeg] = v.compound, v.pos, v.neg
				}
				p.y = classIndex(examples[i].Label)
				p.weight = norm / float64(counts[key{examples[i].Set, p.y}])
			}
		})
	}
	wg.Wait()
	return out, ctx.Err()
}

// fitHashed fits a hashed model on data[i] for the i in rows, by AdaGrad
// on the weighted multinomial log loss, in an order shuffled with a fixed
// seed: the result depends only on its inputs.
func fitHashed(data []Prepared, rows []int, opts HashedOptions) *hashedModel {
	opts.defaults()
	m := newHashedModel(opts.Bits)
	w := m.w
	g := make([]float32, len(w))
	var gBias vec3
	var gDense [numHashedDense]vec3
	shift := MaxBits - opts.Bits
	order := append([]int(nil), rows...)
	rng := rand.New(rand.NewPCG(5, 6))
	const eps = 1e-8
	rate := float32(opts.Rate)
	l2 := float32(opts.L2)
	for range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			r := &data[i]
			scale := m.scale(len(r.buckets))
			dense := r.dense
			if opts.NoDense {
				dense = [numHashedDense]float64{}
			}
			if !opts.Vader {
				dense[dVaderCompound], dense[dVaderPos], dense[dVaderNeg] = 0, 0, 0
			}
			z := m.bias
			var s [3]float32
			for _, b := range r.buckets {
				o := 3 * (b >> shift)
				s[0] += w[o]
				s[1] += w[o+1]
				s[2] += w[o+2]
			}
			for k := range 3 {
				z[k] += float64(s[k]) * scale
				for d := range numHashedDense {
					z[k] += m.dense[d][k] * dense[d]
				}
			}
			p := softmax(z)
			var grad [3]float32
			for k := range 3 {
				gk := p[k]
				if k == r.y {
					gk--
				}
				gk *= r.weight
				gBias[k] += gk * gk
				m.bias[k] -= opts.Rate * gk / math.Sqrt(gBias[k]+eps)
				for d := range numHashedDense {
					gd := gk * dense[d]
					gDense[d][k] += gd * gd
					m.dense[d][k] -= opts.Rate * gd / math.Sqrt(gDense[d][k]+eps)
				}
				grad[k] = float32(gk * scale)
			}
			for _, b := range r.buckets {
				o := 3 * (b >> shift)
				for k := range 3 {
					gk := grad[k] + l2*w[o+uint32(k)]
					g[o+uint32(k)] += gk * gk
					w[o+uint32(k)] -= rate * gk / float32(math.Sqrt(float64(g[o+uint32(k)])+eps))
				}
			}
		}
	}
	return m
}

// hashedModel is a fitted hashed model: the class log-odds of a text are
//
//	z = bias + scale(n)·Σ w[bucket] + Σ dense[d]·x_d
//
// over the text's n feature hashes and its dense features x, with
// scale(n) = 1/√n.
type hashedModel struct {
	bits  uint
	bias  vec3
	dense [numHashedDense]vec3
	w     []float32 // 3 per bucket
}

func newHashedModel(bits uint) *hashedModel {
	return &hashedModel{bits: bits, w: make([]float32, 3<<bits)}
}

func (m *hashedModel) scale(n int) float64 {
	if n == 0 {
		return 0
	}
	return 1 / math.Sqrt(float64(n))
}

// logitsPrepared is the model's class log-odds for a prepared example.
func (m *hashedModel) logitsPrepared(r *Prepared) vec3 {
	shift := MaxBits - m.bits
	var s [3]float32
	for _, b := range r.buckets {
		o := 3 * (b >> shift)
		s[0] += m.w[o]
		s[1] += m.w[o+1]
		s[2] += m.w[o+2]
	}
	z := m.bias
	scale := m.scale(len(r.buckets))
	for k := range 3 {
		z[k] += float64(s[k]) * scale
		for d := range numHashedDense {
			z[k] += m.dense[d][k] * r.dense[d]
		}
	}
	return z
}

// Example is a labelled text to fit a model on.
type Example struct {
	// Set names the data set the example comes from: each set and class
	// weighs the same in the fit, whatever its size.
	Set   string
	Text  string
	Label earshot.Label
	// Reason is the gold reason of a negative text, if the set has one;
	// the reasons model learns from these.
	Reason earshot.Reason
}

// englishMinCount is the fewest training texts a word must be in to join
// the model's English vocabulary.
const englishMinCount = 5

// Fit fits the Model on examples by the procedure CrossValidate
// measures: hyper-parameters and class offsets chosen (Select) by
// objective on the examples of fold 0, then a fit on every example. fold[i]
// is example i's fold. The result depends only on the inputs: the shuffles
// use fixed seeds. about is written into the model.
func Fit(ctx context.Context, examples []Example, fold []int, objective Objective, about string) (*Model, Choice, error) {
	data, err := Prepare(ctx, examples, false)
	if err != nil {
		return nil, Choice{}, err
	}
	h, c := FitSelected(data, fold, objective, Grid)
	rows, _ := reasonRows(examples, data)
	all := make([]int, len(rows))
	for i := range all {
		all[i] = i
	}
	r := fitReasons(rows, all)
	m, err := h.quantize(about, englishVocabulary(examples), r)
	return m, c, err
}

// CrossValidate runs NestedCV on examples: fold[i] is example i's fold in
// [0, folds). It returns each example's predicted class, from a model
// that never saw it and whose hyper-parameters were chosen without it, and
// the choice made for each fold. vader adds VADER's scores to the features
// (slow), to measure what they would bring.
func CrossValidate(ctx context.Context, examples []Example, fold []int, folds int, objective Objective, vader bool) ([]earshot.Label, []Choice, error) {
	data, err := Prepare(ctx, examples, vader)
	if err != nil {
		return nil, nil, err
	}
	grid := slices.Clone(Grid)
	for i := range grid {
		grid[i].Vader = vader
	}
	pred, choices, err := NestedCV(ctx, data, fold, folds, objective, grid)
	if err != nil {
		return nil, nil, err
	}
	out := make([]earshot.Label, len(pred))
	for i, p := range pred {
		out[i] = classes[p]
	}
	return out, choices, nil
}

// englishVocabulary returns, sorted, the words of letters found in at
// least englishMinCount of the texts.
func englishVocabulary(examples []Example) []string {
	df := map[string]int{}
	var sc scratch
	seen := map[string]bool{}
	for _, ex := range examples {
		sc.tokens, sc.buf = tokenizeInto(sc.tokens[:0], sc.buf[:0], ex.Text)
		clear(seen)
		for _, t := range sc.tokens {
			if !seen[t] && isLetters(t) {
				seen[strings.Clone(t)] = true
			}
		}
		for t := range seen {
			df[t]++
		}
	}
	var out []string
	for w, n := range df {
		if n >= englishMinCount {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}
