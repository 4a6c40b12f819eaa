package draw

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The draws' mean and variance are lambda's, on both sides of the switch
// to the normal approximation; none is negative.
func TestPoisson(t *testing.T) {
	for _, lambda := range []float64{0.3, 4, 25, 60} {
		rng := rand.New(rand.NewPCG(1, uint64(lambda*10)))
		const n = 20000
		var sum, sq float64
		for range n {
			k := Poisson(rng, lambda, 30)
			if k < 0 {
				t.Fatalf("lambda %v: drew %d", lambda, k)
			}
			sum += float64(k)
			sq += float64(k) * float64(k)
		}
		mean := sum / n
		variance := sq/n - mean*mean
		if se := math.Sqrt(lambda / n); math.Abs(mean-lambda) > 5*se {
			t.Errorf("lambda %v: mean %.3f", lambda, mean)
		}
		if math.Abs(variance-lambda) > 0.1*lambda {
			t.Errorf("lambda %v: variance %.3f", lambda, variance)
		}
	}
	if k := Poisson(rand.New(rand.NewPCG(1, 2)), 0, 30); k != 0 {
		t.Errorf("lambda 0: drew %d", k)
	}
}
