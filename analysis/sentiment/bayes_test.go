package sentiment

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/cdipaolo/goml/text"
	cdsentiment "github.com/cdipaolo/sentiment"
)

// bundledModel is cdipaolo/sentiment's English model decoded by its own
// Restore, the oracle for parseBayes.
func bundledModel(t *testing.T) *text.NaiveBayes {
	t.Helper()
	models, err := cdsentiment.Restore()
	if err != nil {
		t.Fatal(err)
	}
	nb := models[cdsentiment.English]
	if nb == nil || len(nb.Probabilities) != 2 {
		t.Fatal("no two-class English model in the bundle")
	}
	return nb
}

// bundledCounts returns each word's counts in negative and positive
// reviews as the bundle's own decoder reads them.
func bundledCounts(t *testing.T, nb *text.NaiveBayes) map[string][2]uint64 {
	t.Helper()
	data, err := json.Marshal(&nb.Words)
	if err != nil {
		t.Fatal(err)
	}
	var words map[string]struct{ Count []uint64 }
	if err := json.Unmarshal(data, &words); err != nil {
		t.Fatal(err)
	}
	counts := make(map[string][2]uint64, len(words))
	for w, c := range words {
		counts[w] = [2]uint64{c.Count[0], c.Count[1]}
	}
	return counts
}

// TestTokenBias recomputes tokenBias from the bundled model.
func TestTokenBias(t *testing.T) {
	nb := bundledModel(t)
	var neg, pos uint64
	for _, c := range bundledCounts(t, nb) {
		neg += c[0]
		pos += c[1]
	}
	v := float64(nb.DictCount)
	want := math.Log((float64(pos) + v) / (float64(neg) + v))
	if math.Abs(tokenBias-want) > 1e-6 {
		t.Errorf("tokenBias = %v, want %v (N+ %d, N- %d, V %v)", tokenBias, want, pos, neg, v)
	}
}

// TestParseBayes checks the package's reading of the bundle against the
// bundle's own decoder, word by word, and the prior.
func TestParseBayes(t *testing.T) {
	nb := bundledModel(t)
	b, err := restore()
	if err != nil {
		t.Fatal(err)
	}
	counts := bundledCounts(t, nb)
	if b.n != len(counts) {
		t.Errorf("%d words, the bundle has %d", b.n, len(counts))
	}
	for w, c := range counts {
		if got, ok := b.odds(w); got != wordOdds(c[0], c[1]) || !ok {
			t.Errorf("%q: log odds %v, %v; want %v", w, got, ok, wordOdds(c[0], c[1]))
		}
	}
	// The domain lexicon's and the reasons' words are in the table too,
	// but only the bundle's words count as known.
	for w, id := range extraIDs {
		slot := b.words.get(w, gramHash(w))
		if slot == nil || slot.id != id {
			t.Fatalf("%q: slot %+v, want id %d", w, slot, id)
		}
		if _, inBundle := counts[w]; slot.bayes != inBundle {
			t.Errorf("%q: in the Bayes vocabulary %v, in the bundle %v", w, slot.bayes, inBundle)
		}
	}
	if _, ok := b.odds("qqqxqqq-not-a-word"); ok {
		t.Error("an unknown word has log odds")
	}
	if want := math.Log(nb.Probabilities[1] / nb.Probabilities[0]); b.prior != want {
		t.Errorf("prior %v, want %v", b.prior, want)
	}
}

func TestParseBayesEscapes(t *testing.T) {
	data := []byte(`{"en":{"words":{"a\"b":{"Count":[1,3],"Seen":4},"c":{"Count":[0,0],"Seen":0}},"count":[1,1],"probabilities":[0.25,0.75]}}`)
	b, err := parseBayes(data)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := b.odds(`a"b`); got != wordOdds(1, 3) || b.n != 2 {
		t.Errorf("a\"b at %v, %d words; want %v and 2 words", got, b.n, wordOdds(1, 3))
	}
	if want := math.Log(3); math.Abs(b.prior-want) > 1e-12 {
		t.Errorf("prior %v, want %v", b.prior, want)
	}
	for _, bad := range []string{`{"en":{}}`, `{"en":{"words":{"a":{"Count":[x,1]}}}}`, `{"en":{"words":{"a":{"Count":[1,1]}}}}`} {
		if _, err := parseBayes([]byte(bad)); err == nil {
			t.Errorf("parseBayes(%s): no error", bad)
		}
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

// BenchmarkReadBayes reads the bundled model the package's way
// (parseBayes) and the bundle's way (Restore).
func BenchmarkReadBayes(b *testing.B) {
	b.Run("parseBayes", func(b *testing.B) {
		for b.Loop() {
			data, err := cdsentiment.Asset("model.json")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := parseBayes(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Restore", func(b *testing.B) {
		for b.Loop() {
			if _, err := cdsentiment.Restore(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestHotTable checks that a lookup through the hot table finds what the
// full table has, for every word of the bundle, the domain and reason
// words and unknown words, and that the hot table stays small.
func TestHotTable(t *testing.T) {
	b, err := restore()
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"qqq", "zz", "i", "to", "😡", ":)", "no", "xx-unknown-word"}
	for w := range bundledCounts(t, bundledModel(t)) {
		words = append(words, w)
	}
	for w := range extraIDs {
		words = append(words, w)
	}
	inHot := 0
	for _, w := range words {
		h := gramHash(w)
		got, want := b.get(w, h), b.words.get(w, h)
		if (got == nil) != (want == nil) || (got != nil && (got.odds != want.odds || got.id != want.id || got.bayes != want.bayes)) {
			t.Errorf("%q: get %+v, the full table %+v", w, got, want)
		}
		if b.hot.get(w, h) != nil {
			inHot++
		}
	}
	if n := len(b.hot.slots); n > 8192 || inHot < 3000 {
		t.Errorf("hot table: %d slots, %d of the words; want at most 8,192 slots (256 KB) and at least 3,000 words", n, inHot)
	}
}

// BenchmarkTokenLookups looks up every token of the JSON lines in
// EARSHOT_BENCH_ANALYZE (docs/sentiment.md makes the file) and reports the
// share of tokens the hot table answers: found in it ("hot-share") or of
// hotShort bytes or fewer and not in it ("short-share").
func BenchmarkTokenLookups(b *testing.B) {
	path := os.Getenv("EARSHOT_BENCH_ANALYZE")
	if path == "" {
		b.Skip("set EARSHOT_BENCH_ANALYZE to a JSON lines file")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var tokens []string
	lines := bufio.NewScanner(f)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		var line struct{ Text string }
		if err := json.Unmarshal(lines.Bytes(), &line); err != nil {
			b.Fatal(err)
		}
		tokens = append(tokens, tokenize(line.Text)...)
	}
	bm, err := restore()
	if err != nil {
		b.Fatal(err)
	}
	var hot, short int
	for _, tok := range tokens {
		if bm.hot.get(tok, gramHash(tok)) != nil {
			hot++
		} else if len(tok) <= hotShort {
			short++
		}
	}
	var words []tokenWord
	for b.Loop() {
		words = bm.lookup(words[:0], tokens)
	}
	b.ReportMetric(float64(hot)/float64(len(tokens)), "hot-share")
	b.ReportMetric(float64(short)/float64(len(tokens)), "short-share")
}
