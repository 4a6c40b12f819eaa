package eval

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
)

// LearnedReasonNames are the reasons the reasons model learns from
// labels, as strings.
func LearnedReasonNames() []string {
	var out []string
	for _, r := range sentiment.LearnedReasons() {
		out = append(out, string(r))
	}
	return out
}

// Fold is the fold in [0, k) of the item with this ID: the FNV-1a 64 hash
// of the ID modulo k. With k = HeldOutBuckets, fold 0 is the held-out
// split.
func Fold(id string, k int) int {
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64() % uint64(k))
}

// Metric is the figure a set is judged by: SemEval's official macro
// recall for SemEval sets, macro-F1 for the others.
func Metric(set *Set, c *Confusion) float64 {
	if set.Format == "semeval" {
		return c.MacroRecall()
	}
	return c.MacroF1()
}

// Pool is labelled sets fitted on together: their items as examples, each
// with its fold and set.
type Pool struct {
	Sets     []*Set
	Examples []sentiment.Example
	Fold     []int
	SetOf    []int // index into Sets
}

// NewPool pools sets, each item in fold Fold(ID, k).
func NewPool(sets []*Set, k int) *Pool {
	p := &Pool{Sets: sets}
	for s, set := range sets {
		for _, it := range set.Items {
			p.Examples = append(p.Examples, sentiment.Example{Set: set.Name, Text: it.Text, Label: it.Label, Reason: it.Reason})
			p.Fold = append(p.Fold, Fold(it.ID, k))
			p.SetOf = append(p.SetOf, s)
		}
	}
	return p
}

// classNames are the model's class indexes as Confusion classes.
var classNames = [3]string{"0", "1", "2"}

// Objective is the mean over the pool's sets of each set's Metric on the
// rows given: what model selection maximises.
func (p *Pool) Objective(gold, pred []int, rows []int) float64 {
	cs := make([]*Confusion, len(p.Sets))
	for i := range cs {
		cs[i] = NewConfusion(classNames[:]...)
	}
	for _, i := range rows {
		cs[p.SetOf[i]].Add(classNames[gold[i]], classNames[pred[i]])
	}
	var sum float64
	n := 0
	for s, c := range cs {
		if c.Total() > 0 {
			sum += Metric(p.Sets[s], c)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// CrossValidate runs the model's whole fitting procedure (see
// sentiment.NestedCV) k times, each fold held out in turn, and writes
// each set's figures on the pooled out-of-fold predictions to w, with the
// choice made in each fold. It returns the confusion matrix per set.
func CrossValidate(ctx context.Context, sets []*Set, k int, vader bool, w io.Writer) ([]*Confusion, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validation needs at least 2 folds, not %d", k)
	}
	p := NewPool(sets, k)
	pred, choices, err := sentiment.CrossValidate(ctx, p.Examples, p.Fold, k, p.Objective, vader)
	if err != nil {
		return nil, err
	}
	for f, c := range choices {
		fmt.Fprintf(w, "fold %d: chose %v\n", f, c)
	}
	cs := make([]*Confusion, len(sets))
	for i := range cs {
		cs[i] = NewConfusion(string(earshot.Negative), string(earshot.Neutral), string(earshot.Positive))
	}
	for i, ex := range p.Examples {
		cs[p.SetOf[i]].Add(string(ex.Label), string(pred[i]))
	}
	for s, set := range sets {
		c := cs[s]
		fmt.Fprintf(w, "%-16s %6d items  %d-fold CV  macro-F1 %.4f  macro recall %.4f  accuracy %.4f\n",
			set.Name, c.Total(), k, c.MacroF1(), c.MacroRecall(), c.Accuracy())
	}
	reasons, err := sentiment.CrossValidateReasons(p.Examples, p.Fold, k)
	if err != nil {
		return nil, err
	}
	rc := NewConfusion(LearnedReasonNames()...)
	rules := NewConfusion(LearnedReasonNames()...)
	for i, ex := range p.Examples {
		if reasons[i] != "" {
			rc.Add(string(ex.Reason), string(reasons[i]))
			rules.Add(string(ex.Reason), string(sentiment.ReasonOf(ex.Text)))
		}
	}
	if rc.Total() > 0 {
		fmt.Fprintf(w, "\nreasons of the %d gold-negative items with a learnable reason, %d-fold CV (the first reason given against the gold one):\n", rc.Total(), k)
		rc.Write(w, "billing/security")
		fmt.Fprintf(w, "\nthe keyword rules alone on the same items (nothing fitted):\n")
		rules.Write(w, "billing/security")
	}
	return cs, nil
}
