package spikes

import "math"

// maxBands bounds Config.RarityBands.
const maxBands = 64

// histogram is a fading histogram of the values a series has taken, over
// a range that doubles to hold any new value: how rare a value is, in the
// series' own terms. It keeps up to 64 float32 bands and never allocates.
type histogram struct {
	bands  [maxBands]float32
	nb     int // bands in use
	lo, hi float64
	weight float64 // the faded count of all values
	keep   float64 // the share of a value's weight kept from one bucket to the next
	n      int
}

// rarity returns how rare v is for the values seen so far, in [0, 1], and
// learns it. A value outside the range held so far is 1; inside it, the
// rarity is the surprise of v's band, -log10 of its share of the
// history, over the largest surprise the history allows (that of an empty
// band): a band never visited scores about 1, one holding a tenth of the
// history 1/log10(weight) (0.28 with 4,000 values behind it).
func (h *histogram) rarity(v float64) float64 {
	h.n++
	if h.n == 1 {
		half := 0.05 * max(math.Abs(v), 1e-9)
		h.lo, h.hi = v-half, v+half
	}
	var u float64
	out := v < h.lo || v > h.hi
	if out {
		h.widen(v)
		u = math.Log10(h.weight + 1) // as rare as can be
	} else {
		u = -math.Log10((float64(h.bands[h.band(v)]) + 0.5) / (h.weight + 1))
	}
	r := 0.0
	if h.weight > 0 {
		r = max(0, min(1, u/math.Log10(h.weight+1)))
	}
	keep := float32(h.keep)
	for i := range h.bands[:h.nb] {
		h.bands[i] *= keep
	}
	h.weight = h.weight*h.keep + 1
	h.bands[h.band(v)]++
	return r
}

func (h *histogram) band(v float64) int {
	k := int((v - h.lo) / (h.hi - h.lo) * float64(h.nb))
	return max(0, min(h.nb-1, k))
}

// widen doubles the range, away from the side v is on, until it holds v,
// and moves each band's weight to the band that holds its centre.
func (h *histogram) widen(v float64) {
	lo, hi := h.lo, h.hi
	for v < lo || v > hi {
		if v < lo {
			lo -= hi - lo
		} else {
			hi += hi - lo
		}
		if math.IsInf(hi-lo, 0) {
			// Past float64: start afresh around v.
			*h = histogram{keep: h.keep, nb: h.nb, n: 1, lo: v - 1, hi: v + 1}
			return
		}
	}
	var moved [maxBands]float32
	nb := float64(h.nb)
	width := (h.hi - h.lo) / nb
	for i, w := range h.bands[:h.nb] {
		if w == 0 {
			continue
		}
		centre := h.lo + (float64(i)+0.5)*width
		k := int((centre - lo) / (hi - lo) * nb)
		moved[max(0, min(h.nb-1, k))] += w
	}
	h.bands, h.lo, h.hi = moved, lo, hi
}
