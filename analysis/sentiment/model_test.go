package sentiment

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot"
)

// TestModelRoundTrip checks the embedded model parses and Marshal writes
// it back byte for byte: the file is what Fit writes.
func TestModelRoundTrip(t *testing.T) {
	m, err := ParseModel(embeddedModel)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Marshal(); !bytes.Equal(got, embeddedModel) {
		t.Error("model.bin does not round-trip through ParseModel and Marshal")
	}
	if len(embeddedModel) > 3<<20 {
		t.Errorf("model.bin is %d bytes, want under 3 MB", len(embeddedModel))
	}
	nonzero := 0
	for _, w := range m.w {
		if w != 0 {
			nonzero++
		}
	}
	if nonzero < len(m.w)/4 || len(m.English) < 1000 {
		t.Errorf("%d of %d weights set, %d English words: not a fitted model", nonzero, len(m.w), len(m.English))
	}
}

func TestParseModelErrors(t *testing.T) {
	good := string(embeddedModel)
	header := good[:strings.Index(good[len(modelMagic):], "\n")+len(modelMagic)]
	tests := []struct{ name, data string }{
		{"empty", ""},
		{"magic", strings.Replace(good, "earshot-sentiment 2", "earshot-sentiment 1", 1)},
		{"not json", modelMagic + "{\n"},
		{"classes", strings.Replace(good, `"classes":["negative","neutral","positive"]`, `"classes":["positive","neutral","negative"]`, 1)},
		{"bits", strings.Replace(good, `"bits":18`, `"bits":30`, 1)},
		{"short", good[:len(good)-2]},
		{"dense", strings.Replace(good, `"lexicon.positive"`, `"lexicon.p"`, 1)},
		{"header only", header},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.data == good {
				t.Fatal("the test's replacement did not apply")
			}
			if _, err := ParseModel([]byte(tt.data)); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestFit fits on a few sentences written for the test: the result must
// be deterministic and learn the obvious.
func TestFit(t *testing.T) {
	var examples []Example
	var fold []int
	for i := range 6 {
		for _, e := range []struct {
			text  string
			label earshot.Label
		}{
			{"the service is down and I am angry", earshot.Negative},
			{"outage again, so annoying", earshot.Negative},
			{"it crashed twice today", earshot.Negative},
			{"love it, works great", earshot.Positive},
			{"thanks for the quick fix", earshot.Positive},
			{"really happy with support", earshot.Positive},
			{"the office opens at nine", earshot.Neutral},
			{"new version released today", earshot.Neutral},
			{"meeting moved to monday", earshot.Neutral},
		} {
			examples = append(examples, Example{Set: "mine", Text: e.text, Label: e.label})
			fold = append(fold, i%3)
		}
	}
	objective := func(gold, pred []int, rows []int) float64 {
		right := 0
		for _, i := range rows {
			if gold[i] == pred[i] {
				right++
			}
		}
		return float64(right) / float64(len(rows))
	}
	a, _, err := Fit(context.Background(), examples, fold, objective, "test")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Fit(context.Background(), examples, fold, objective, "test")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Marshal(), b.Marshal()) {
		t.Error("two fits on the same examples differ")
	}
	s, err := New(WithModel(a), WithLanguage(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want earshot.Label
	}{
		{"down again, so angry", earshot.Negative},
		{"love the quick fix", earshot.Positive},
		{"the office moved", earshot.Neutral},
	} {
		if got := s.ScoreText(tt.text); got.Label != tt.want {
			t.Errorf("%q: %q, want %q", tt.text, got.Label, tt.want)
		}
	}
	if !slices.Contains(a.English, "outage") || slices.Contains(a.English, "annoyingly") {
		t.Errorf("English vocabulary %v", a.English)
	}
}

func TestFeatures(t *testing.T) {
	extract := func(text string) *features {
		var f features
		tokens := tokenize(text)
		f.lookup(tokens, domainIndex())
		f.extract(text, tokens, domainIndex())
		return &f
	}
	has := func(f *features, h uint64) bool { return slices.Contains(f.hashes, h) }
	t.Run("negation marks the words after it, to the clause's end", func(t *testing.T) {
		f := extract("not good. good")
		if !has(f, fnvAdd(seedNegWord, "good")) || !has(f, fnvAdd(seedWord, "good")) {
			t.Error("want good negated, then plain after the full stop")
		}
		if has(f, fnvAdd(seedNegWord, "not")) {
			t.Error("the negator itself is marked")
		}
	})
	t.Run("elongations are squeezed", func(t *testing.T) {
		f := extract("sooooo goood")
		if !has(f, fnvAdd(seedWord, "soo")) || !has(f, fnvAdd(seedWord, "good")) || !has(f, markElongated) {
			t.Error("want soo, good and the elongation mark")
		}
	})
	t.Run("lexicon sums flip under negation", func(t *testing.T) {
		plain, negated := extract("good"), extract("not good")
		if plain.dense[dLexPos] <= 0 || plain.dense[dLexNeg] != 0 {
			t.Errorf("good: %v", plain.dense)
		}
		if negated.dense[dLexNeg] <= 0 || negated.dense[dLexPos] != 0 {
			t.Errorf("not good: %v", negated.dense)
		}
	})
	t.Run("marks", func(t *testing.T) {
		f := extract("WHY is it down?!!")
		for _, m := range []uint64{markCaps, markExclaim, markExclaim2, markQuestion} {
			if !has(f, m) {
				t.Errorf("mark %x missing", m)
			}
		}
	})
}
