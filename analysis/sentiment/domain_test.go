package sentiment

import (
	"strings"
	"testing"
)

func TestDomainScore(t *testing.T) {
	tests := []struct {
		text     string
		wantSign int // -1, 0 or 1
		wantHits int
	}{
		{"the site is down", -1, 1},
		{"the site is not down", 0, 0},
		{"not working", -1, 1},
		{"it is working", 1, 1},
		{"isnt working at all", -1, 1},
		{"cant log in", -1, 1},
		{"log in page", 0, 0},
		{"not bad", 1, 1},
		{"bad", -1, 1},
		{"no problems", 1, 1},
		{"thanks for nothing", -1, 1},
		{"thanks", 1, 1},
		{"back up now", 1, 1},
		{"never again", -1, 1},
		{"no . working", 1, 1},              // negation stops at a clause break
		{"not one two three great", 1, 1},   // beyond negationReach
		{"not one two great", -1, 1},        // within it
		{"not great or helpful", -1, 2},     // one negator, two terms
		{"down down down down down", -1, 5}, // tanh keeps it in range
		{"great . another outage", -1, 2},   // praise alone, then a complaint: sarcasm
		{"thanks . it is back up", 1, 2},    // praise, then more praise
		{"great service . one issue", 1, 2}, // more than praise alone
		{"", 0, 0},
	}
	b, err := restore()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			tokens := strings.Fields(tt.text)
			score, hits := domainScore(tokens, nil)
			if sign(score) != tt.wantSign || hits != tt.wantHits {
				t.Errorf("domainScore(%q) = %.3f, %d hits; want sign %d, %d hits", tt.text, score, hits, tt.wantSign, tt.wantHits)
			}
			// The same from the tokens' lookups in the Bayes model's table.
			if s2, h2 := domainScore(tokens, b.lookup(nil, tokens)); s2 != score || h2 != hits {
				t.Errorf("domainScore(%q) from lookups = %v, %d hits; from domainWords %v, %d", tt.text, s2, h2, score, hits)
			}
			if score < -1 || score > 1 {
				t.Errorf("domainScore(%q) = %v, out of [-1, 1]", tt.text, score)
			}
		})
	}
}

// TestLexicon checks the lexicon's keys are in the normalized form tokens
// take, and its weights are in range.
func TestLexicon(t *testing.T) {
	for key, tm := range lexicon {
		if got := normalize(key); got != key {
			t.Errorf("lexicon key %q normalizes to %q", key, got)
		}
		if negators[strings.Fields(key)[0]] && !strings.Contains(key, " ") {
			t.Errorf("lexicon key %q is also a negator", key)
		}
		for _, w := range []float64{tm.plain, tm.negated} {
			if w < -1 || w > 1 {
				t.Errorf("lexicon[%q] weight %v out of [-1, 1]", key, w)
			}
		}
	}
	for neg := range negators {
		if got := normalize(neg); got != neg {
			t.Errorf("negator %q normalizes to %q", neg, got)
		}
	}
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
