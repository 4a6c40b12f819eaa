package sentiment

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/earshot/earshot"
)

// Names of the parts, in earshot.Sentiment.Parts and in Explain's
// contributions.
const (
	PartWords   = "words"
	PartLexicon = "lexicon"
	PartDomain  = "domain"
)

// Parts lists the parts of the model, in the order they are reported.
var Parts = []string{PartWords, PartLexicon, PartDomain}

// classes are the model's classes, in the order of every weight vector.
var classes = [3]earshot.Label{earshot.Negative, earshot.Neutral, earshot.Positive}

const (
	neg = iota
	neu
	pos
)

// vec3 holds one number per class: negative, neutral, positive.
type vec3 = [3]float64

// Model holds the fitted weights: a multinomial logistic regression whose
// class log-odds for a text are
//
//	z = Bias + Σ Dense[d]·x_d + Step·Σ W[b] / √n
//
// over the text's n hashed features (each folded into one of 1<<Bits
// buckets b; see the package documentation) and its dense features x (the
// VADER lexicon's positive and negative sums and the domain lexicon's
// score). The label is the most likely class.
//
// On disk (model.bin, embedded): a first line "earshot-sentiment 2", a
// second line of JSON (the fields below but W), then W as little-endian
// int16, three per bucket (negative, neutral, positive).
type Model struct {
	// About says how the model was made.
	About string `json:"about"`
	// Classes names the order of every weight vector.
	Classes [3]earshot.Label `json:"classes"`
	Bits    uint             `json:"bits"`
	Bias    vec3             `json:"bias"`
	// Dense weighs the dense features, by name (see denseHashedNames).
	Dense map[string]vec3 `json:"dense"`
	// Step is the size of one unit of W.
	Step float64 `json:"step"`
	// English lists the words (as normalized) of the English training
	// texts found in at least a few of them: the language check's
	// vocabulary.
	English []string `json:"english"`

	// The reasons model (see reasonmodel.go): its weights follow the
	// sentiment model's in the file, len(LearnedReasons) per bucket.
	LearnedReasons []earshot.Reason          `json:"learned_reasons"`
	ReasonBits     uint                      `json:"reason_bits"`
	ReasonBias     []float64                 `json:"reason_bias"`
	ReasonRules    [][numRuleReasons]float64 `json:"reason_rules"`
	ReasonStep     float64                   `json:"reason_step"`

	w     []int16 // 3 per bucket
	rw    []int16 // len(LearnedReasons) per bucket
	dense [numHashedDense]vec3
	words map[string]*wordInfo
}

//go:embed model.bin
var embeddedModel []byte

const modelMagic = "earshot-sentiment 2\n"

// ParseModel reads a model file as Marshal writes it.
func ParseModel(data []byte) (*Model, error) {
	rest, ok := bytes.CutPrefix(data, []byte(modelMagic))
	if !ok {
		return nil, errors.New("reading sentiment model: not an earshot-sentiment 2 file")
	}
	header, body, ok := bytes.Cut(rest, []byte("\n"))
	if !ok {
		return nil, errors.New("reading sentiment model: no header line")
	}
	var m Model
	if err := json.Unmarshal(header, &m); err != nil {
		return nil, fmt.Errorf("reading sentiment model: %w", err)
	}
	if m.Classes != classes {
		return nil, fmt.Errorf("sentiment model: classes %v, want %v", m.Classes, classes)
	}
	if m.Bits < 1 || m.Bits > MaxBits {
		return nil, fmt.Errorf("sentiment model: %d bits, want 1 to %d", m.Bits, MaxBits)
	}
	if !slices.Equal(m.LearnedReasons, learnedReasons) || len(m.ReasonBias) != len(learnedReasons) || len(m.ReasonRules) != len(learnedReasons) {
		return nil, fmt.Errorf("sentiment model: reasons %v, want %v with their weights", m.LearnedReasons, learnedReasons)
	}
	if m.ReasonBits < 1 || m.ReasonBits > MaxBits {
		return nil, fmt.Errorf("sentiment model: %d reason bits, want 1 to %d", m.ReasonBits, MaxBits)
	}
	nw, nrw := 3<<m.Bits, len(learnedReasons)<<m.ReasonBits
	if want := 2 * (nw + nrw); len(body) != want {
		return nil, fmt.Errorf("sentiment model: %d bytes of weights, want %d", len(body), want)
	}
	for d, name := range denseHashedNames {
		w, ok := m.Dense[name]
		if !ok && d < dVaderCompound {
			return nil, fmt.Errorf("sentiment model: no weights for %q", name)
		}
		m.dense[d] = w
	}
	m.w = make([]int16, nw)
	for i := range m.w {
		m.w[i] = int16(binary.LittleEndian.Uint16(body[2*i:]))
	}
	body = body[2*nw:]
	m.rw = make([]int16, nrw)
	for i := range m.rw {
		m.rw[i] = int16(binary.LittleEndian.Uint16(body[2*i:]))
	}
	m.words = wordIndex(vaderLexicon(), m.English)
	return &m, nil
}

// Marshal writes m as ParseModel reads it. The same model always gives the
// same bytes.
func (m *Model) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(modelMagic)
	header, _ := json.Marshal(m) // plain fields: always marshals
	b.Write(header)
	b.WriteByte('\n')
	out := b.Bytes()
	for _, w := range m.w {
		out = binary.LittleEndian.AppendUint16(out, uint16(w))
	}
	for _, w := range m.rw {
		out = binary.LittleEndian.AppendUint16(out, uint16(w))
	}
	return out
}

// quantize turns a fitted hashedModel into a Model: weights rounded to
// multiples of a step, int16.
func (h *hashedModel) quantize(about string, english []string, reasons *reasonFit) (*Model, error) {
	var maxAbs float32
	for _, w := range h.w {
		maxAbs = max(maxAbs, w, -w)
	}
	step := float64(maxAbs) / math.MaxInt16
	if step == 0 {
		step = 1
	}
	// Rounded to a float32 and written in full, so it reads back exactly.
	step = float64(float32(step))
	m := &Model{
		About: about, Classes: classes, Bits: h.bits, Bias: roundVec(h.bias),
		Dense: map[string]vec3{}, Step: step, English: english,
		w: make([]int16, len(h.w)),
	}
	for i, w := range h.w {
		m.w[i] = int16(math.Round(float64(w) / step))
	}
	for d, name := range denseHashedNames {
		if h.dense[d] != (vec3{}) || d < dVaderCompound {
			m.Dense[name] = roundVec(h.dense[d])
		}
	}
	reasons.quantize(m)
	// Parse what we would write, so the Model is exactly what the file
	// gives.
	return ParseModel(m.Marshal())
}

func roundVec(v vec3) vec3 { return vec3{round6(v[0]), round6(v[1]), round6(v[2])} }

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// logits returns the model's class log-odds for f, and each part's share
// of them (words, lexicon, domain) when parts is not nil.
func (m *Model) logits(f *features, parts *[3]vec3) vec3 {
	shift := 64 - m.Bits
	var s [3]int32
	w := m.w
	for _, h := range f.hashes {
		o := 3 * uint32(mix(h)>>shift)
		s[0] += int32(w[o])
		s[1] += int32(w[o+1])
		s[2] += int32(w[o+2])
	}
	z := m.Bias
	scale := 0.0
	if n := len(f.hashes); n > 0 {
		scale = m.Step / math.Sqrt(float64(n))
	}
	for k := range 3 {
		words := float64(s[k]) * scale
		lex := m.dense[dLexPos][k]*f.dense[dLexPos] + m.dense[dLexNeg][k]*f.dense[dLexNeg]
		domain := m.dense[dDomain][k] * f.dense[dDomain]
		z[k] += words + lex + domain
		if parts != nil {
			parts[0][k], parts[1][k], parts[2][k] = words, lex, domain
		}
	}
	return z
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

func classIndex(l earshot.Label) int {
	for k, c := range classes {
		if c == l {
			return k
		}
	}
	return -1
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
