package sentiment

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/earshot/earshot"
)

// The reasons model says why a negative text is negative. It is learned
// where labels exist (the airline set's negativereason, mapped to
// Earshot's reasons: availability, performance, login, support, shipping,
// other) and reads the keyword rules' scores of every reason as features,
// so it keeps what the rules know of software services. Billing and
// security, which no labelled set teaches, come from the rules alone.
//
// Its log-odds for reason r are
//
//	z_r = ReasonBias[r] + Σ ReasonRules[r][q]·rule_q + ReasonStep·Σ w_r[bucket] / √n
//
// over the same hashed features as the sentiment model, folded into
// 1<<ReasonBits buckets.

// learnedReasons are the reasons the labels teach, in the model's order.
var learnedReasons = []earshot.Reason{
	earshot.ReasonOutage, earshot.ReasonPerformance, earshot.ReasonLogin,
	earshot.ReasonSupport, earshot.ReasonShipping, earshot.ReasonOther,
}

// LearnedReasons returns the reasons the reasons model learns from labels.
func LearnedReasons() []earshot.Reason { return slices.Clone(learnedReasons) }

// ruleOnly are the reasons given by the rules alone.
var ruleOnly = []earshot.Reason{earshot.ReasonBilling, earshot.ReasonSecurity}

const (
	// reasonBits: 1<<reasonBits buckets; a few thousand labelled tweets
	// need no more.
	reasonBits = 15
	// reasonEpochs and reasonRate drive the reasons' fit.
	reasonEpochs = 8
	reasonRate   = 0.1
	// alsoReason is the least probability of a learned reason, beyond the
	// most likely, for a text to give it too.
	alsoReason = 0.3
)

// reasonRow is a labelled negative text as the reasons' fit sees it.
type reasonRow struct {
	buckets []uint32 // at MaxBits
	rules   [numRuleReasons]float64
	y       int // index into learnedReasons
}

// reasonFit is a fitted reasons model, in float32.
type reasonFit struct {
	bias  []float64
	rules [][numRuleReasons]float64
	w     []float32 // len(learnedReasons) per bucket
}

// squashRules maps rule scores to [0, 1): a reason named once or twice is
// not twice as sure.
func squashRules(s [numRuleReasons]float64) [numRuleReasons]float64 {
	for i := range s {
		s[i] = math.Tanh(s[i])
	}
	return s
}

func fitReasons(rows []reasonRow, train []int) *reasonFit {
	nr := len(learnedReasons)
	m := &reasonFit{bias: make([]float64, nr), rules: make([][numRuleReasons]float64, nr), w: make([]float32, nr<<reasonBits)}
	g := make([]float32, len(m.w))
	gBias := make([]float64, nr)
	gRules := make([][numRuleReasons]float64, nr)
	order := slices.Clone(train)
	rng := rand.New(rand.NewPCG(7, 8))
	const eps = 1e-8
	shift := uint(MaxBits - reasonBits)
	z := make([]float64, nr)
	grad := make([]float32, nr)
	for range reasonEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			r := &rows[i]
			m.logits(r.buckets, shift, r.rules, z)
			softmaxInPlace(z)
			scale := 1 / math.Sqrt(float64(max(1, len(r.buckets))))
			for k := range nr {
				gk := z[k]
				if k == r.y {
					gk--
				}
				gBias[k] += gk * gk
				m.bias[k] -= reasonRate * gk / math.Sqrt(gBias[k]+eps)
				for q := range numRuleReasons {
					gq := gk * r.rules[q]
					gRules[k][q] += gq * gq
					m.rules[k][q] -= reasonRate * gq / math.Sqrt(gRules[k][q]+eps)
				}
				grad[k] = float32(gk * scale)
			}
			for _, b := range r.buckets {
				o := uint32(nr) * (b >> shift)
				for k := range nr {
					j := o + uint32(k)
					g[j] += grad[k] * grad[k]
					m.w[j] -= reasonRate * grad[k] / float32(math.Sqrt(float64(g[j])+eps))
				}
			}
		}
	}
	return m
}

// logits writes the reasons' log-odds for a text into z.
func (m *reasonFit) logits(buckets []uint32, shift uint, rules [numRuleReasons]float64, z []float64) {
	nr := len(learnedReasons)
	scale := 1 / math.Sqrt(float64(max(1, len(buckets))))
	for k := range nr {
		z[k] = m.bias[k]
		for q := range numRuleReasons {
			z[k] += m.rules[k][q] * rules[q]
		}
	}
	for _, b := range buckets {
		o := uint32(nr) * (b >> shift)
		for k := range nr {
			z[k] += float64(m.w[o+uint32(k)]) * scale
		}
	}
}

// RulePrior is how far the keyword rules' score of a reason moves its
// log-odds beyond what the fit gives it. The labels are airline tweets,
// where "down" and "500" are rare and "unacceptable" mostly blames the
// staff; Earshot watches software services, whose customers say "the site
// is down, this is unacceptable" and mean availability. The prior is set
// by hand, outside the fit (which would otherwise learn to cancel it);
// cross-validation on the airline labels measures what it costs there
// (docs/sentiment.md).
const RulePrior = 1.5

// addRulePrior adds RulePrior times each learned reason's rule score to z.
func addRulePrior(z []float64, rules [numRuleReasons]float64) {
	for k, r := range learnedReasons {
		if q := slices.Index(reasonOrder[:], r); q >= 0 {
			z[k] += RulePrior * rules[q]
		}
	}
}

func softmaxInPlace(z []float64) {
	m := slices.Max(z)
	var sum float64
	for k := range z {
		z[k] = math.Exp(z[k] - m)
		sum += z[k]
	}
	for k := range z {
		z[k] /= sum
	}
}

// reasonRows turns the examples with a learnable reason into rows.
func reasonRows(examples []Example, data []Prepared) (rows []reasonRow, index []int) {
	for i, ex := range examples {
		y := slices.Index(learnedReasons, ex.Reason)
		if y < 0 || ex.Label != earshot.Negative {
			continue
		}
		rows = append(rows, reasonRow{buckets: data[i].buckets, rules: squashRules(reasonScores(tokenize(ex.Text))), y: y})
		index = append(index, i)
	}
	return rows, index
}

// CrossValidateReasons predicts the reason of each example whose Reason is
// one the labels teach (and whose label is negative) by a reasons model
// fitted on the other folds, the rules' billing and security aside as the
// Scorer does: fold[i] is example i's fold in [0, folds). Other examples
// get "". Nothing is chosen on the data: the reasons' settings are fixed.
func CrossValidateReasons(examples []Example, fold []int, folds int) ([]earshot.Reason, error) {
	data, err := Prepare(context.Background(), examples, false)
	if err != nil {
		return nil, err
	}
	rows, index := reasonRows(examples, data)
	out := make([]earshot.Reason, len(examples))
	parallel(folds, func(f int) {
		var train []int
		for j, i := range index {
			if fold[i] != f {
				train = append(train, j)
			}
		}
		m := fitReasons(rows, train)
		z := make([]float64, len(learnedReasons))
		for j, i := range index {
			if fold[i] == f {
				m.logits(rows[j].buckets, MaxBits-reasonBits, rows[j].rules, z)
				addRulePrior(z, rows[j].rules)
				out[i] = pickReasons(z, rows[j].rules, nil)[0]
			}
		}
	})
	return out, nil
}

// pickReasons returns the reasons of a negative text from its learned
// reasons' log-odds z (turned into probabilities in place) and its rule
// scores, most likely first, appended to dst: billing or security first
// when the rules see them most, then the most likely learned reason, then
// any other learned reason at least alsoReason likely, then the rules'
// strongest reason, then billing or security when the rules see them at
// all.
func pickReasons(z []float64, rules [numRuleReasons]float64, dst []earshot.Reason) []earshot.Reason {
	softmaxInPlace(z)
	best := 0
	for k := range z {
		if z[k] > z[best] {
			best = k
		}
	}
	// The rules' strongest reason, if it is one only they know.
	top, topScore := -1, 0.0
	for q, s := range rules {
		if s > topScore {
			top, topScore = q, s
		}
	}
	start := len(dst)
	if top >= 0 && slices.Contains(ruleOnly, reasonOrder[top]) {
		dst = append(dst, reasonOrder[top])
	}
	dst = append(dst, learnedReasons[best])
	type cand struct {
		r earshot.Reason
		p float64
	}
	var more []cand
	for k, p := range z {
		if k != best && p >= alsoReason {
			more = append(more, cand{learnedReasons[k], p})
		}
	}
	sort.Slice(more, func(i, j int) bool { return more[i].p > more[j].p })
	for _, c := range more {
		dst = append(dst, c.r)
	}
	if top >= 0 && !slices.Contains(dst[start:], reasonOrder[top]) {
		dst = append(dst, reasonOrder[top])
	}
	for _, r := range ruleOnly {
		if q := slices.Index(reasonOrder[:], r); rules[q] > 0 && !slices.Contains(dst[start:], r) {
			dst = append(dst, r)
		}
	}
	return dst
}

// quantize stores the fitted reasons model in m, its weights as int16.
func (r *reasonFit) quantize(m *Model) {
	var maxAbs float32
	for _, w := range r.w {
		maxAbs = max(maxAbs, w, -w)
	}
	step := float64(float32(max(float64(maxAbs), 1e-9) / math.MaxInt16))
	m.ReasonBits = reasonBits
	m.ReasonStep = step
	m.LearnedReasons = slices.Clone(learnedReasons)
	m.ReasonBias = make([]float64, len(r.bias))
	m.ReasonRules = make([][numRuleReasons]float64, len(r.rules))
	for k := range r.bias {
		m.ReasonBias[k] = round6(r.bias[k])
		for q := range numRuleReasons {
			m.ReasonRules[k][q] = round6(r.rules[k][q])
		}
	}
	m.rw = make([]int16, len(r.w))
	for i, w := range r.w {
		m.rw[i] = int16(math.Round(float64(w) / step))
	}
}

// reasons appends the reasons of a negative text to dst (see
// pickReasons), from its features f and tokens.
func (m *Model) reasons(f *features, tokens []string, dst []earshot.Reason) []earshot.Reason {
	nr := len(learnedReasons)
	var z [8]float64 // len(learnedReasons) used
	rules := squashRules(reasonScores(tokens))
	var s [8]int32
	shift := 64 - m.ReasonBits
	for _, h := range f.hashes {
		o := uint32(nr) * uint32(mix(h)>>shift)
		for k := range nr {
			s[k] += int32(m.rw[o+uint32(k)])
		}
	}
	scale := m.ReasonStep / math.Sqrt(float64(max(1, len(f.hashes))))
	for k := range nr {
		z[k] = m.ReasonBias[k] + float64(s[k])*scale
		for q := range numRuleReasons {
			z[k] += m.ReasonRules[k][q] * rules[q]
		}
	}
	addRulePrior(z[:nr], rules)
	return pickReasons(z[:nr], rules, dst)
}
