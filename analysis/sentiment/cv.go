package sentiment

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// Grid is the hyper-parameters Select chooses among: each HashedOptions
// is tried as given, plus class offsets (see Offsets).
var Grid = []HashedOptions{
	{Epochs: 3, Rate: 0.1},
	{Epochs: 5, Rate: 0.1},
	{Epochs: 5, Rate: 0.05},
	{Epochs: 8, Rate: 0.05},
}

// offsetSteps are the class offsets Select tries, on the negative and on
// the positive log-odds.
var offsetSteps = []float64{-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8}

// Choice is what Select chose.
type Choice struct {
	Options HashedOptions
	// Offsets are added to the model's bias (negative, neutral, positive).
	Offsets vec3
	// Score is the validation score that chose them.
	Score float64
}

func (c Choice) String() string {
	return fmt.Sprintf("epochs %d, rate %g, offsets %+.1f/%+.1f (validation %.4f)", c.Options.Epochs, c.Options.Rate, c.Offsets[neg], c.Offsets[pos], c.Score)
}

// Objective scores predictions (class indexes) of examples against their
// gold classes: higher is better.
type Objective func(gold, pred []int, rows []int) float64

// Select chooses the hyper-parameters and class offsets for a fit on the
// rows train: for each in grid, it fits on train but the rows of
// validation and scores the validation rows by objective. Nothing outside
// train is read.
func Select(data []Prepared, train, validation []int, objective Objective, grid []HashedOptions) Choice {
	valid := make(map[int]bool, len(validation))
	for _, i := range validation {
		valid[i] = true
	}
	var fitRows []int
	for _, i := range train {
		if !valid[i] {
			fitRows = append(fitRows, i)
		}
	}
	gold := make([]int, len(data))
	for _, i := range validation {
		gold[i] = data[i].y
	}
	choices := make([]Choice, len(grid))
	parallel(len(grid), func(g int) {
		m := fitHashed(data, fitRows, grid[g])
		z := make(map[int]vec3, len(validation))
		for _, i := range validation {
			z[i] = m.logitsPrepared(&data[i])
		}
		best := Choice{Options: grid[g], Score: -1}
		pred := make([]int, len(data))
		for _, dn := range offsetSteps {
			for _, dp := range offsetSteps {
				for _, i := range validation {
					v := z[i]
					v[neg] += dn
					v[pos] += dp
					pred[i] = argmax(v)
				}
				if s := objective(gold, pred, validation); s > best.Score {
					best = Choice{Options: grid[g], Offsets: vec3{dn, 0, dp}, Score: s}
				}
			}
		}
		choices[g] = best
	})
	best := choices[0]
	for _, c := range choices[1:] {
		if c.Score > best.Score {
			best = c
		}
	}
	return best
}

// NestedCV estimates how well the whole fitting procedure (Select, then a
// fit on all the training rows) does on unseen data. fold[i] is example
// i's fold in [0, folds); for each fold f the procedure runs on the other
// folds only, choosing on fold (f+1) mod folds, and predicts fold f. It
// returns each example's predicted class and the choice made for each
// fold. The result depends only on the inputs.
func NestedCV(ctx context.Context, data []Prepared, fold []int, folds int, objective Objective, grid []HashedOptions) ([]int, []Choice, error) {
	pred := make([]int, len(data))
	choices := make([]Choice, folds)
	for f := range folds {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		var train, validation, test []int
		for i := range data {
			switch fold[i] {
			case f:
				test = append(test, i)
			case (f + 1) % folds:
				validation = append(validation, i)
				train = append(train, i)
			default:
				train = append(train, i)
			}
		}
		c := Select(data, train, validation, objective, grid)
		choices[f] = c
		m := fitHashed(data, train, c.Options)
		for k := range 3 {
			m.bias[k] += c.Offsets[k]
		}
		for _, i := range test {
			pred[i] = argmax(m.logitsPrepared(&data[i]))
		}
	}
	return pred, choices, nil
}

// FitSelected fits the model on all of data by the procedure NestedCV
// measures: Select on all rows, choosing on the rows of fold 0, then a fit
// on every row with the choice.
func FitSelected(data []Prepared, fold []int, objective Objective, grid []HashedOptions) (*hashedModel, Choice) {
	var all, validation []int
	for i := range data {
		all = append(all, i)
		if fold[i] == 0 {
			validation = append(validation, i)
		}
	}
	c := Select(data, all, validation, objective, grid)
	m := fitHashed(data, all, c.Options)
	for k := range 3 {
		m.bias[k] += c.Offsets[k]
	}
	return m, c
}

// parallel calls fn(0) ... fn(n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			fn(i)
		})
	}
	wg.Wait()
}
