package sentiment

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/earshot/earshot"
)

// Names of the parts, in earshot.Sentiment.Parts and for WithPart.
const (
	PartBayes    = "bayes"
	PartVader    = "vader"
	PartDomain   = "domain"
	PartLearned  = "learned"
	PartEnsemble = "ensemble"
)

// Parts lists the parts of the ensemble, in the order they are reported.
var Parts = []string{PartBayes, PartVader, PartDomain, PartLearned}

// classes are the model's classes, in the order of every weight vector.
var classes = [3]earshot.Label{earshot.Negative, earshot.Neutral, earshot.Positive}

const (
	neg = iota
	neu
	pos
)

// DomainPrior is the least weight the ensemble gives the domain part: its
// fitted weights for the negative and positive classes are kept at or
// beyond -DomainPrior and DomainPrior. The labelled sets are general
// tweets and reviews, where service complaints ("the checkout page won't
// load") are rare, so a fit alone trusts the hand-set service lexicon less
// than Earshot's users need; the floor is set by hand, and the fit adapts
// the other weights to it.
const DomainPrior = 1.5

// vec3 holds one number per class: negative, neutral, positive.
type vec3 = [3]float64

// The dense features the parts give the ensemble, in this order.
const (
	fBayes = iota
	fVaderCompound
	fVaderPos
	fVaderNeg
	fDomain
	fLearnedNeg
	fLearnedNeu
	fLearnedPos
	numDense
)

// denseNames names the dense features in the model file.
var denseNames = [numDense]string{"bayes", "vader.compound", "vader.pos", "vader.neg", "domain", "learned.negative", "learned.neutral", "learned.positive"}

// denseParts says which part each dense feature comes from.
var denseParts = [numDense]string{PartBayes, PartVader, PartVader, PartVader, PartDomain, PartLearned, PartLearned, PartLearned}

// Solo is a part's own small model, for scoring with that part alone: a
// multinomial logistic regression over the part's features (for
// "learned", the three class sums of its n-gram weights).
type Solo struct {
	Bias    vec3   `json:"bias"`
	Weights []vec3 `json:"weights"`
}

// Model holds the fitted weights. The learned part is a multinomial
// logistic regression over a text's unigrams and bigrams (GramBias and
// Grams): its class log-odds, centred, are
//
//	l = GramBias + Σ Grams[g] (over the text's n-grams, as often as they occur)
//
// The ensemble is a second one, stacked on the parts: its class log-odds
// are
//
//	z = Bias + Σ Dense[f]·x_f
//
// over the parts' scores x (bayes, vader's compound, positive and negative
// shares, domain, and l). The label is the most likely class. Fit
// produces a Model; model.json, embedded, is the one New uses.
type Model struct {
	// About says how the model was made.
	About string `json:"about"`
	// Classes names the order of every weight vector.
	Classes [3]earshot.Label `json:"classes"`
	Bias    vec3             `json:"bias"`
	// Dense weighs the parts' scores, by feature name (see denseNames).
	Dense map[string]vec3 `json:"dense"`
	// Solo holds each part's own model, by part name.
	Solo map[string]Solo `json:"solo"`
	// GramBias and Grams are the learned part: weights of normalized
	// unigrams and bigrams ("not working").
	GramBias vec3            `json:"gram_bias"`
	Grams    map[string]vec3 `json:"grams"`

	dense [numDense]vec3
	grams *gramTable // by gramHash and bigramHash
}

//go:embed model.json
var embeddedModel []byte

// ParseModel reads a model file as Fit writes it.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := readModel(data, &m); err != nil {
		return nil, fmt.Errorf("reading sentiment model: %w", err)
	}
	if err := m.compile(); err != nil {
		return nil, err
	}
	return &m, nil
}

// compile checks m and builds its lookup tables.
func (m *Model) compile() error {
	if m.Classes != classes {
		return fmt.Errorf("sentiment model: classes %v, want %v", m.Classes, classes)
	}
	for i, name := range denseNames {
		w, ok := m.Dense[name]
		if !ok {
			return fmt.Errorf("sentiment model: no weights for %q", name)
		}
		m.dense[i] = w
	}
	for _, part := range Parts {
		if _, ok := m.Solo[part]; !ok {
			return fmt.Errorf("sentiment model: no solo model for %q", part)
		}
	}
	m.grams = newGramTable(len(m.Grams))
	for g, w := range m.Grams {
		w1, w2, two := strings.Cut(g, " ")
		if w1 == "" || (two && w2 == "") || strings.ContainsFunc(w1, unicode.IsSpace) || strings.ContainsFunc(w2, unicode.IsSpace) {
			return fmt.Errorf("sentiment model: n-gram %q is not one or two words", g)
		}
		h := gramHash(w1)
		if two {
			h = bigramHash(w1, w2)
		}
		m.grams.set(h, w)
	}
	return nil
}

// Marshal writes m as a reviewable JSON file: one n-gram a line, in
// order, weights rounded to 3 decimals. The same model always gives the
// same bytes.
func (m *Model) Marshal() []byte {
	var b strings.Builder
	b.WriteString("{\n")
	fmt.Fprintf(&b, "  \"about\": %s,\n", quote(m.About))
	fmt.Fprintf(&b, "  \"classes\": [%q, %q, %q],\n", m.Classes[0], m.Classes[1], m.Classes[2])
	fmt.Fprintf(&b, "  \"bias\": %s,\n", fmtVec(m.Bias))
	b.WriteString("  \"dense\": {\n")
	for i, name := range denseNames {
		fmt.Fprintf(&b, "    %q: %s%s\n", name, fmtVec(m.Dense[name]), comma(i, numDense))
	}
	b.WriteString("  },\n  \"solo\": {\n")
	for i, part := range Parts {
		s := m.Solo[part]
		ws := make([]string, len(s.Weights))
		for k, w := range s.Weights {
			ws[k] = fmtVec(w)
		}
		fmt.Fprintf(&b, "    %q: {\"bias\": %s, \"weights\": [%s]}%s\n", part, fmtVec(s.Bias), strings.Join(ws, ", "), comma(i, len(Parts)))
	}
	fmt.Fprintf(&b, "  },\n  \"gram_bias\": %s,\n", fmtVec(m.GramBias))
	b.WriteString("  \"grams\": {\n")
	keys := make([]string, 0, len(m.Grams))
	for g := range m.Grams {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	for i, g := range keys {
		fmt.Fprintf(&b, "    %s: %s%s\n", quote(g), fmtVec(m.Grams[g]), comma(i, len(keys)))
	}
	b.WriteString("  }\n}\n")
	return []byte(b.String())
}

func quote(s string) string {
	q, _ := json.Marshal(s) // a string always marshals
	return string(q)
}

func comma(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}

func fmtVec(v vec3) string {
	return "[" + fmtNum(v[0]) + ", " + fmtNum(v[1]) + ", " + fmtNum(v[2]) + "]"
}

func fmtNum(x float64) string {
	x = round3(x)
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// gramHash is FNV-1a (64 bits) of a word; bigramHash of "w1 w2". Neither
// allocates.
func gramHash(w string) uint64 {
	return fnvAdd(fnvOffset, w)
}

func bigramHash(w1, w2 string) uint64 {
	return bigramAfter(gramHash(w1), w2)
}

// bigramAfter is bigramHash(w1, w2) from h = gramHash(w1).
func bigramAfter(h uint64, w2 string) uint64 {
	return fnvAdd((h^' ')*fnvPrime, w2)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// softmax returns the class probabilities of the log-odds z.
func softmax(z vec3) vec3 {
	m := max(z[0], z[1], z[2])
	var p vec3
	var sum float64
	for k := range z {
		p[k] = math.Exp(z[k] - m)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}

// argmax returns the index of the largest of v, the first on ties.
func argmax(v vec3) int {
	best := 0
	for k := 1; k < 3; k++ {
		if v[k] > v[best] {
			best = k
		}
	}
	return best
}
