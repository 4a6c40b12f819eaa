// Package draw draws random counts for the generators of made-up data
// (the demo and the replay's fortnights).
package draw

import (
	"math"
	"math/rand/v2"
)

// Poisson draws from a Poisson distribution with mean lambda: by Knuth's
// product of uniforms, or above normalAbove by the normal approximation
// (the product's loop grows with lambda). Never negative.
func Poisson(rng *rand.Rand, lambda, normalAbove float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > normalAbove {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	limit, p, k := math.Exp(-lambda), 1.0, 0
	for {
		p *= rng.Float64()
		if p <= limit {
			return k
		}
		k++
	}
}
