package sentiment

import (
	"encoding/json"
	"math"
	"testing"
)

// TestTokenBias recomputes tokenBias from the bundled model.
func TestTokenBias(t *testing.T) {
	b, err := restore()
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(&b.nb.Words)
	if err != nil {
		t.Fatal(err)
	}
	var words map[string]struct{ Count []uint64 }
	if err := json.Unmarshal(data, &words); err != nil {
		t.Fatal(err)
	}
	var neg, pos uint64
	for _, w := range words {
		neg += w.Count[0]
		pos += w.Count[1]
	}
	v := float64(b.nb.DictCount)
	want := math.Log((float64(pos) + v) / (float64(neg) + v))
	if math.Abs(tokenBias-want) > 1e-6 {
		t.Errorf("tokenBias = %v, want %v (N+ %d, N- %d, V %v)", tokenBias, want, pos, neg, v)
	}
}

func TestBayesScore(t *testing.T) {
	b, err := restore()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text      string
		wantSign  int
		wantKnown int
	}{
		{"wonderful excellent", 1, 2},
		{"awful boring waste", -1, 3},
		{"zzzqqq", 0, 0},
		{"", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			score, known := b.score(tokenize(tt.text))
			if sign(score) != tt.wantSign || known != tt.wantKnown {
				t.Errorf("score(%q) = %.3f, %d known; want sign %d, %d known", tt.text, score, known, tt.wantSign, tt.wantKnown)
			}
		})
	}
}
