package eval

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestConfusion checks the figures on hand-counted matrices.
func TestConfusion(t *testing.T) {
	type pair struct{ gold, pred string }
	tests := []struct {
		name                    string
		pairs                   []pair
		acc, macroF1, macroRec  float64
		precision, recall, f1_0 float64 // of the first class
	}{
		{
			name:  "perfect",
			pairs: []pair{{"a", "a"}, {"b", "b"}, {"c", "c"}},
			acc:   1, macroF1: 1, macroRec: 1, precision: 1, recall: 1, f1_0: 1,
		},
		{
			// gold a a a b b c; predicted a a b b c c.
			// a: P 2/2, R 2/3, F1 0.8. b: P 1/2, R 1/2, F1 0.5. c: P 1/2, R 1, F1 2/3.
			name:  "mixed",
			pairs: []pair{{"a", "a"}, {"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "c"}, {"c", "c"}},
			acc:   4.0 / 6, macroF1: (0.8 + 0.5 + 2.0/3) / 3, macroRec: (2.0/3 + 0.5 + 1) / 3,
			precision: 1, recall: 2.0 / 3, f1_0: 0.8,
		},
		{
			// An unscored prediction is wrong for its gold class and
			// counts against no class's precision.
			name:  "unscored",
			pairs: []pair{{"a", "unscored"}, {"a", "a"}, {"b", "b"}, {"c", "c"}},
			acc:   0.75, macroF1: (2.0/3 + 1 + 1) / 3, macroRec: (0.5 + 1 + 1) / 3,
			precision: 1, recall: 0.5, f1_0: 2.0 / 3,
		},
		{
			// A class never predicted: precision 0, F1 0.
			name:  "never predicted",
			pairs: []pair{{"a", "b"}, {"b", "b"}, {"c", "c"}},
			acc:   2.0 / 3, macroF1: (0 + 2.0/3 + 1) / 3, macroRec: 2.0 / 3,
			precision: 0, recall: 0, f1_0: 0,
		},
		{
			name:  "empty",
			pairs: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewConfusion("a", "b", "c")
			for _, p := range tt.pairs {
				c.Add(p.gold, p.pred)
			}
			c.Add("not a class", "a") // ignored
			if c.Total() != len(tt.pairs) {
				t.Errorf("Total %d, want %d", c.Total(), len(tt.pairs))
			}
			for _, got := range []struct {
				name      string
				got, want float64
			}{
				{"accuracy", c.Accuracy(), tt.acc},
				{"macro-F1", c.MacroF1(), tt.macroF1},
				{"macro recall", c.MacroRecall(), tt.macroRec},
				{"precision(a)", c.Precision(0), tt.precision},
				{"recall(a)", c.Recall(0), tt.recall},
				{"F1(a)", c.F1(0), tt.f1_0},
			} {
				if !near(got.got, got.want) {
					t.Errorf("%s = %v, want %v", got.name, got.got, got.want)
				}
			}
		})
	}
}

func TestConfusionWrite(t *testing.T) {
	c := NewConfusion("negative", "positive")
	c.Add("negative", "negative")
	c.Add("negative", "unscored")
	c.Add("positive", "positive")
	var b bytes.Buffer
	c.Write(&b, "unscored")
	for _, want := range []string{"gold \\ predicted", "negative", "unscored", "macro-F1", "3 items"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}
