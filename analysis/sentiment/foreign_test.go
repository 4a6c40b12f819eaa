package sentiment

import (
	"slices"
	"testing"

	"github.com/earshot/earshot"
)

// TestForeign scores sentences written for this test in Spanish, French,
// German and Portuguese. They check the lexicons and negation work as
// meant; they are not a measure of accuracy (docs/sentiment.md).
func TestForeign(t *testing.T) {
	s := newScorer(t)
	tests := []struct {
		text string
		want earshot.Label
	}{
		{"la aplicación no funciona desde ayer, qué desastre", earshot.Negative},
		{"el servicio está caído otra vez, es horrible", earshot.Negative},
		{"gracias, el problema está solucionado, excelente servicio", earshot.Positive},
		{"l'application ne fonctionne pas depuis ce matin, c'est nul", earshot.Negative},
		{"merci beaucoup, tout est réparé, service parfait", earshot.Positive},
		{"die App funktioniert seit gestern nicht, wirklich schlecht", earshot.Negative},
		{"danke, das Problem ist behoben, super schnell", earshot.Positive},
		{"o aplicativo não funciona desde ontem, que vergonha", earshot.Negative},
		{"obrigado, o problema foi resolvido, atendimento excelente", earshot.Positive},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			e := s.Explain(tt.text)
			if e.Label != tt.want {
				t.Errorf("label %q (lang %s %.2f, score %.2f), want %q", e.Label, e.Lang, e.LangConfidence, e.Score, tt.want)
			}
		})
	}
}

func TestScoreForeignNegation(t *testing.T) {
	tests := []struct {
		code, text string
		want       earshot.Label
	}{
		{"es", "funciona", earshot.Positive},
		{"es", "no funciona", earshot.Negative},
		{"de", "funktioniert nicht", earshot.Negative},
		{"fr", "pas mauvais", earshot.Positive},
		{"fr", "ça ne marche pas", earshot.Negative},
		{"pt", "não é bom", earshot.Negative},
	}
	for _, tt := range tests {
		got, ok := scoreForeign(tt.code, tokenize(tt.text))
		if !ok || got.Label != tt.want {
			t.Errorf("%s %q: %q (%v), want %q", tt.code, tt.text, got.Label, ok, tt.want)
		}
	}
	if _, ok := scoreForeign("ru", []string{"плохо"}); ok {
		t.Error("scored Russian, which has no lexicon")
	}
}

func TestPickReasons(t *testing.T) {
	learned := func() []float64 {
		z := make([]float64, len(learnedReasons))
		z[slotOf(earshot.ReasonSupport)] = 3
		z[slotOf(earshot.ReasonPerformance)] = 2.5
		return z
	}
	tests := []struct {
		name  string
		rules map[earshot.Reason]float64
		want  []earshot.Reason
	}{
		{"billing, seen most by the rules, first", map[earshot.Reason]float64{earshot.ReasonBilling: 0.9, earshot.ReasonOutage: 0.5},
			[]earshot.Reason{earshot.ReasonBilling, earshot.ReasonSupport, earshot.ReasonPerformance}},
		{"the rules' strongest after the learned ones", map[earshot.Reason]float64{earshot.ReasonOutage: 0.5},
			[]earshot.Reason{earshot.ReasonSupport, earshot.ReasonPerformance, earshot.ReasonOutage}},
		{"security seen at all, last", map[earshot.Reason]float64{earshot.ReasonOutage: 0.8, earshot.ReasonSecurity: 0.3},
			[]earshot.Reason{earshot.ReasonSupport, earshot.ReasonPerformance, earshot.ReasonOutage, earshot.ReasonSecurity}},
		{"no rules", nil, []earshot.Reason{earshot.ReasonSupport, earshot.ReasonPerformance}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rules [numRuleReasons]float64
			for r, v := range tt.rules {
				rules[reasonSlot(r)] = v
			}
			got := pickReasons(learned(), rules, nil)
			if !slices.Equal(got, tt.want) {
				t.Errorf("reasons %v, want %v", got, tt.want)
			}
		})
	}
}

func slotOf(r earshot.Reason) int {
	for k, l := range learnedReasons {
		if l == r {
			return k
		}
	}
	panic(r)
}

func reasonSlot(r earshot.Reason) int {
	for q, o := range reasonOrder {
		if o == r {
			return q
		}
	}
	panic(r)
}
