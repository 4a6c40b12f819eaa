package eval

import (
	"fmt"
	"io"
	"strings"
)

// Confusion counts gold classes against predicted ones. Classes are the
// gold classes scored; a prediction outside them (an unscored text, say)
// is counted in its own column and is wrong for every class.
type Confusion struct {
	Classes []string
	// Counts[gold][predicted]; the last column counts predictions outside
	// Classes.
	Counts [][]int
	index  map[string]int
}

// NewConfusion returns an empty matrix over classes.
func NewConfusion(classes ...string) *Confusion {
	c := &Confusion{Classes: classes, Counts: make([][]int, len(classes)), index: map[string]int{}}
	for i, cl := range classes {
		c.index[cl] = i
		c.Counts[i] = make([]int, len(classes)+1)
	}
	return c
}

// Add counts one item; a gold class outside Classes is ignored.
func (c *Confusion) Add(gold, predicted string) {
	g, ok := c.index[gold]
	if !ok {
		return
	}
	p, ok := c.index[predicted]
	if !ok {
		p = len(c.Classes)
	}
	c.Counts[g][p]++
}

// Total is the number of items counted.
func (c *Confusion) Total() int {
	n := 0
	for _, row := range c.Counts {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Accuracy is the share of items predicted right; 0 when there are none.
func (c *Confusion) Accuracy() float64 {
	right := 0
	for i := range c.Classes {
		right += c.Counts[i][i]
	}
	return ratio(right, c.Total())
}

// Precision of class i: right / predicted as i; 0 when none was.
func (c *Confusion) Precision(i int) float64 {
	predicted := 0
	for g := range c.Classes {
		predicted += c.Counts[g][i]
	}
	return ratio(c.Counts[i][i], predicted)
}

// Recall of class i: right / gold i; 0 when there is no gold i.
func (c *Confusion) Recall(i int) float64 {
	gold := 0
	for _, v := range c.Counts[i] {
		gold += v
	}
	return ratio(c.Counts[i][i], gold)
}

// F1 of class i, the harmonic mean of its precision and recall; 0 when
// both are 0.
func (c *Confusion) F1(i int) float64 {
	p, r := c.Precision(i), c.Recall(i)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// MacroF1 is the unweighted mean of the classes' F1.
func (c *Confusion) MacroF1() float64 { return c.macro(c.F1) }

// MacroRecall is the unweighted mean of the classes' recall (SemEval's
// official metric).
func (c *Confusion) MacroRecall() float64 { return c.macro(c.Recall) }

func (c *Confusion) macro(f func(int) float64) float64 {
	if len(c.Classes) == 0 {
		return 0
	}
	var sum float64
	for i := range c.Classes {
		sum += f(i)
	}
	return sum / float64(len(c.Classes))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Write prints the matrix and per-class figures as aligned text.
func (c *Confusion) Write(w io.Writer, other string) {
	width := len("gold \\ predicted")
	for _, cl := range append(c.Classes, other) {
		width = max(width, len(cl))
	}
	fmt.Fprintf(w, "%-*s", width+2, "gold \\ predicted")
	for _, cl := range c.Classes {
		fmt.Fprintf(w, " %*s", width, cl)
	}
	fmt.Fprintf(w, " %*s\n", width, other)
	for i, cl := range c.Classes {
		fmt.Fprintf(w, "%-*s", width+2, cl)
		for _, v := range c.Counts[i] {
			fmt.Fprintf(w, " %*d", width, v)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n%-*s %9s %9s %9s %9s\n", width+2, "class", "precision", "recall", "f1", "support")
	for i, cl := range c.Classes {
		support := 0
		for _, v := range c.Counts[i] {
			support += v
		}
		fmt.Fprintf(w, "%-*s %9.4f %9.4f %9.4f %9d\n", width+2, cl, c.Precision(i), c.Recall(i), c.F1(i), support)
	}
	fmt.Fprintf(w, "%s\n", strings.Repeat("-", width+2+40))
	fmt.Fprintf(w, "%-*s %9.4f (macro-F1 %.4f, macro recall %.4f, %d items)\n", width+2, "accuracy", c.Accuracy(), c.MacroF1(), c.MacroRecall(), c.Total())
}
