// Package sentiment scores the sentiment of short public texts about a
// brand: social posts, replies, reviews, support complaints.
//
// A Scorer labels a text negative, neutral or positive with a multinomial
// logistic regression over hashed features of its words (marked in a
// negation's scope), word pairs, character n-grams and a few marks of the
// text as written ("!!", capitals), plus three dense features: the sums
// of VADER's lexicon valences (govader's lexicon) and the score of a
// hand-weighted lexicon of service language (down, outage, not loading,
// can't log in, 500, refund, cancel, fixed, back up, thank you, with
// negation, intensifiers and sarcasm). Its score is P(positive) -
// P(negative). [earshot.Sentiment.Parts] holds how far each part pulled,
// on [-1, 1]: "words", "lexicon" and "domain".
//
// The weights are in model.bin, embedded, written by
//
//	go run ./analysis/sentiment/internal/fit -data ../shared/eval/sentiment -out analysis/sentiment/model.bin
//
// from the airline and SemEval labelled sets: the same inputs give the
// same file. [Fit] does the work; [CrossValidate] measures the whole
// fitting procedure by nested cross-validation; [WithModel] scores with
// another model.
//
// Texts are normalized before scoring (lowercase, URLs and @mentions
// dropped, hashtags split into words: #NotWorking reads "not working",
// apostrophes joined: "can't" → "cant", emoticons and emoji kept as
// tokens).
//
// Reasons: a negative text gets one or several [earshot.Reason]s, the
// main one first: availability, performance, login, support, shipping and
// other from a second regression learned on the airline set's reasons
// with keyword rules as features; billing and security from the rules
// alone. [ReasonOf] gives the rules' reason of any text.
//
// Languages: a text mostly of English words is scored as English. Others
// go through language detection (package lang): Spanish, French, German
// and Portuguese are scored by small lexicons written for them (no
// labelled data in those languages exists to measure them on), any other
// language confidently detected is left unscored (Label ""). A text with
// no words (empty, only a URL) is neutral with score 0.
//
// [Scorer.Explain] says how far each part (and the model's bias) moved
// the log-odds of positive over negative, and the detected language.
//
// A Scorer is safe for concurrent use. [Scorer.Score] and
// [Scorer.ScoreInto] spread large batches over runtime.GOMAXPROCS
// goroutines; ScoreInto without parts allocates nothing per text.
// docs/sentiment.md has the measured quality and speed, and the commands
// that reproduce them.
package sentiment
