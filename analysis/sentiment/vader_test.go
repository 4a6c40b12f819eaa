package sentiment_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/jonreiter/govader"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/eval"
)

// sharedSentiment holds the labelled sets (not in the repository).
const sharedSentiment = "../../../shared/eval/sentiment"

// vaderEdgeCases exercise each of VADER's rules.
var vaderEdgeCases = []string{
	"", " ", "  ", "good", "GOOD", "The service is GOOD", "the service is good!!!", "good!!!!!!",
	"is it good??", "is it good????", "is it good?", "not good", "isn't good", "never so good",
	"never this good", "without doubt good", "without a doubt good", "not very good", "not at all good",
	"the food was good but the service was awful", "but", "good but", "BUT bad",
	"kind of good", "kinda good", "sort of bad", "it was kind of a mess", "kind", "kind of",
	"very good", "VERY good", "very GOOD", "extremely bad", "slightly bad", "barely good",
	"no good", "no problem", "no fun or joy", "no fun nor joy", "no", "not bad at all",
	"at least good", "very least good", "least good", "the least good", "LEAST good",
	"this is the bomb", "that was the shit", "yeah right", "kiss of death here", "to die for cake",
	"bad ass movie", "badass movie", "cut the mustard", "just enough good", "the upper hand",
	"I ❤️ this", "I 😀 it", "😀", "😀😡", "great😀", "😀great", "so 😡 right now 😡😡",
	"good  good", "good   bad", " leading and trailing ", "tab\tseparated good", "line\nbreak good",
	"'good'", "\"great\"!", "ok", ":)", ":(", ":-)", "<3", "...", "!!!", "??", "(good)",
	"Ünïcödé GOOD", "İSTANBUL is GREAT", "ΚΑΛΟ good", "invalid \xff byte good", "good\xffbad",
	"don't like it", "DON'T LIKE IT", "doesnt work, not happy", "nothing good", "hardly bad",
	"the movie was not so good and not very bad", "GREAT GREAT GREAT", "Great great GREAT",
	"I haven't had a bad experience", "it isn't the bomb", "never so very good",
	"this is SO amazing!!! but kind of pricey?", "uh-uh no way", "seldom good", "despite the good",
	"no no no", "ok ok", "fuckin great", "fucking awful", "almost perfect", "kind-of good",
	// Lexicon words with capitals, as written and not: before a lexicon word
	// they are not boosters; "least" is checked as written.
	":D good", ":d good", "very :D good", "=D so good", "O.o bad", "o.O bad", "O_O bad", ":P :P",
	"XD great", "Least :D", "least =D", "O.O", "(:O nice", ":-D very bad", ":O",
	"DoN'T good", "aren'T bad", "n't good", "'t good", "n' t good", "wouldn't'n't good", "cañ't good", "CAN'T good",
}

func TestVaderMatchesGovader(t *testing.T) {
	oracle := govader.NewSentimentIntensityAnalyzer()
	check := func(t *testing.T, text string) {
		t.Helper()
		for _, in := range []string{text, sentiment.VaderText(text)} {
			want := oracle.PolarityScores(in)
			got := sentiment.VaderScores(in)
			w := [4]float64{want.Compound, want.Positive, want.Negative, want.Neutral}
			for k, name := range []string{"compound", "pos", "neg", "neu"} {
				if math.Abs(got[k]-w[k]) > 1e-9 {
					t.Errorf("%q: %s %v, govader %v", in, name, got[k], w[k])
				}
			}
		}
	}
	for _, text := range vaderEdgeCases {
		check(t, text)
	}
	for _, name := range []string{"airline_dev.csv", "semeval_train", "vader_tweets.tsv", "vader_amazon.tsv"} {
		path := filepath.Join(sharedSentiment, name)
		if _, err := os.Stat(path); err != nil {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		set, err := eval.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			for _, it := range set.Items {
				check(t, it.Text)
			}
			t.Logf("%d texts", len(set.Items))
		})
	}
}
