package sentiment

import (
	"sync"

	"github.com/jonreiter/govader"
)

// analyzer is the VADER analyzer, built once per process from govader's
// bundled lexicon (7,500 words and the emoji descriptions, a few ms).
// PolarityScores only reads it, so every Scorer shares it.
var analyzer = sync.OnceValue(govader.NewSentimentIntensityAnalyzer)

// vaderScores is the VADER part's opinion of a text: the compound score in
// [-1, 1] and the shares of positive and negative valence in [0, 1].
type vaderScores struct {
	compound, pos, neg float64
}

// vaderScore runs VADER (Hutto & Gilbert, 2014, as ported by govader) on
// text with mentions and URLs dropped and hashtags split (see vaderText).
func vaderScore(a *govader.SentimentIntensityAnalyzer, text string) vaderScores {
	s := a.PolarityScores(vaderText(text))
	return vaderScores{compound: s.Compound, pos: s.Positive, neg: s.Negative}
}
