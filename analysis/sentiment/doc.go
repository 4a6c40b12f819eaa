// Package sentiment scores the sentiment of short public texts about a
// brand: social posts, replies, reviews, support complaints.
//
// A Scorer combines two parts, both kept in [earshot.Sentiment.Parts]:
//
//   - "bayes": the naive Bayes model bundled with
//     github.com/cdipaolo/sentiment, trained on IMDB movie reviews. It knows
//     a large vocabulary but not the language of service problems, and as a
//     bag of words it cannot see negation ("not working" reads as
//     "working").
//   - "domain": a small hand-weighted lexicon of service words and phrases
//     ("down", "outage", "can't log in", "refund", "back up", "thanks") with
//     simple negation ("not bad", "isn't working").
//
// The domain part speaks first and the Bayes part fills the room it leaves:
//
//	score = domain + (1 - |domain|) * bayesWeight * bayes
//
// so a text full of service words is scored by them, and a text with none
// is scored by a damped Bayes opinion (bayesWeight is 0.5). Scores
// within 0.2 of zero are labelled neutral. A text with no words, or none
// either part knows, scores 0, neutral.
//
// Texts are lowercased before scoring; URLs and @mentions are dropped and
// hashtags are split into words (#NotWorking reads "not working").
//
// Both parts are English only; every text is scored, whatever its
// language (language detection comes with the later ensemble). The model
// is restored from the bundled asset once per process (about 0.2s and
// 18 MB), on the first call to [New]; a Scorer is safe for concurrent use.
// [Scorer.Score] spreads large batches over runtime.GOMAXPROCS goroutines;
// [Scorer.ScoreText] scores one text.
//
// This is a first scorer: the lexicon weights are hand-set, not fitted, and
// the neutral band and Bayes weight were only sanity-checked on labelled
// airline tweets (macro-F1 about 0.60, against 0.37 for the bundled model
// alone), not tuned.
package sentiment
