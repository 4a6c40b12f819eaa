package sentiment

import (
	"bytes"
	"context"
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
		t.Error("model.json does not round-trip through ParseModel and Marshal")
	}
	if len(embeddedModel) > 2<<20 {
		t.Errorf("model.json is %d bytes, want under 2 MB", len(embeddedModel))
	}
	if len(m.Grams) == 0 || m.grams.len() != len(m.Grams) {
		t.Errorf("%d n-grams, %d compiled", len(m.Grams), m.grams.len())
	}
	for g, w := range m.Grams {
		words := strings.Fields(g)
		h := gramHash(words[0])
		if len(words) == 2 {
			h = bigramHash(words[0], words[1])
		}
		if got, ok := m.grams.get(h); !ok || got != w {
			t.Errorf("%q: compiled %v %v, want %v", g, got, ok, w)
		}
	}
}

func TestParseModelErrors(t *testing.T) {
	good := string(embeddedModel)
	tests := []struct{ name, data string }{
		{"not json", "{"},
		{"classes", strings.Replace(good, `"classes": ["negative", "neutral", "positive"]`, `"classes": ["positive", "neutral", "negative"]`, 1)},
		{"dense", strings.Replace(good, `"vader.pos"`, `"vader.p"`, 1)},
		{"solo", strings.Replace(good, `"domain": {"bias"`, `"other": {"bias"`, 1)},
		{"gram", strings.Replace(good, `"grams": {`, `"grams": {"a  b": [0, 0, 0],`, 1)},
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

func TestGramHash(t *testing.T) {
	if bigramHash("not", "working") != gramHash("not working") {
		t.Error(`bigramHash("not", "working") != gramHash("not working")`)
	}
	if gramHash("down") == gramHash("up") {
		t.Error("two words hash alike")
	}
}

// TestFit fits on a few sentences written for the test: the result must
// be deterministic, learn the obvious, and honour the domain floor.
func TestFit(t *testing.T) {
	var examples []Example
	for range 5 {
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
		}
	}
	fit := func() *Model {
		m, err := Fit(context.Background(), examples, FitOptions{MinCount: 2, About: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b := fit(), fit()
	if !bytes.Equal(a.Marshal(), b.Marshal()) {
		t.Error("two fits on the same examples differ")
	}
	if d := a.Dense["domain"]; d[neg] > -DomainPrior || d[pos] < DomainPrior {
		t.Errorf("domain weights %v, want beyond ±%v", d, DomainPrior)
	}
	s, err := New(WithModel(a), WithLanguage(nil))
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]earshot.Label{
		"the service is down again":  earshot.Negative,
		"thanks, works great":        earshot.Positive,
		"the office moved to monday": earshot.Neutral,
	} {
		if got := s.ScoreText(text); got.Label != want {
			t.Errorf("%q: %q, want %q (%v)", text, got.Label, want, got)
		}
	}
	if _, err := Fit(context.Background(), []Example{{Text: "x", Label: "meh"}}, FitOptions{}); err == nil {
		t.Error("Fit took a label outside the classes")
	}
}
