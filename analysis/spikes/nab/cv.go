package nab

import (
	"fmt"
	"slices"
)

// Subset returns the corpus of the files whose names keep accepts, in the
// same order, windows renumbered.
func (c *Corpus) Subset(keep func(name string) bool) *Corpus {
	out := &Corpus{}
	for _, f := range c.files {
		if !keep(f.name) {
			continue
		}
		base := 0
		if len(f.windows) > 0 {
			base = f.windows[0]
		}
		nf := fileSpan{name: f.name, start: len(out.rows)}
		for _, r := range c.rows[f.start:f.end] {
			if r.window >= 0 {
				r.window = r.window - base + out.windows
			}
			out.rows = append(out.rows, r)
		}
		for k := range f.windows {
			nf.windows = append(nf.windows, out.windows+k)
		}
		out.windows += len(f.windows)
		nf.end = len(out.rows)
		out.files = append(out.files, nf)
	}
	return out
}

// Fold is one left-out part of a cross-validation and how it scored.
type Fold struct {
	Name  string   // the part left out: a category or a file
	Files []string // its files
	// Chosen is the index of the candidate chosen on the other parts, and
	// Threshold the threshold chosen with it.
	Chosen    int
	Threshold float64
	// Result is the left-out part's score at those choices.
	Result Result
}

// CV is a cross-validated score: every choice made from data (the
// candidate, the threshold) made without the part it is scored on.
type CV struct {
	Folds []Fold
	// Raw sums the left-out parts' raw scores; Normalized maps it over all
	// windows.
	Raw, Normalized float64
	Windows         int
	Detected        int
}

// CrossValidate scores candidates (the same files scored by different
// detectors or settings) by leaving each part out in turn: on the other
// parts it picks the candidate and threshold with the highest raw score
// (the first candidate on ties), and scores the left-out part at them.
// part names the part a file belongs to (its category, or itself).
func CrossValidate(candidates []*Corpus, costs Costs, part func(file string) string) (CV, error) {
	if len(candidates) == 0 {
		return CV{}, fmt.Errorf("nab: no candidate to cross-validate")
	}
	names := candidates[0].Files()
	for _, c := range candidates[1:] {
		if !slices.Equal(c.Files(), names) {
			return CV{}, fmt.Errorf("nab: candidates score different files")
		}
	}
	var parts []string
	files := map[string][]string{}
	for _, n := range names {
		p := part(n)
		if _, ok := files[p]; !ok {
			parts = append(parts, p)
		}
		files[p] = append(files[p], n)
	}
	if len(parts) < 2 {
		return CV{}, fmt.Errorf("nab: cross-validation needs at least two parts, got %d", len(parts))
	}
	var cv CV
	for _, p := range parts {
		in := func(name string) bool { return part(name) == p }
		out := func(name string) bool { return part(name) != p }
		fold := Fold{Name: p, Files: files[p], Chosen: -1}
		var best Result
		for i, c := range candidates {
			r := c.Subset(out).Optimize(costs)
			if fold.Chosen < 0 || r.Raw > best.Raw {
				best, fold.Chosen = r, i
			}
		}
		fold.Threshold = best.Threshold
		test := candidates[fold.Chosen].Subset(in)
		fold.Result = test.At(costs, best.Threshold)
		cv.Raw += fold.Result.Raw
		cv.Windows += test.Windows()
		cv.Detected += fold.Result.Detected
		cv.Folds = append(cv.Folds, fold)
	}
	cv.Normalized = Normalize(cv.Raw, cv.Windows, costs)
	return cv, nil
}
