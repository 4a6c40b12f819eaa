// Package sentiment scores the sentiment of short public texts about a
// brand: social posts, replies, reviews, support complaints.
//
// A Scorer is an ensemble of four parts, each kept in
// [earshot.Sentiment.Parts] as its own score in [-1, 1]:
//
//   - "bayes": the naive Bayes model bundled with
//     github.com/cdipaolo/sentiment, trained on IMDB movie reviews: a large
//     vocabulary, no negation.
//   - "vader": VADER (Hutto & Gilbert, 2014), a rule-based lexicon for
//     social media that reads negation, intensifiers, capitals, "!!!",
//     emoji and "but". It reads the text as written, with mentions and
//     URLs dropped and hashtags split. The rules are computed here,
//     without allocating, on the lexicon and word lists of
//     github.com/jonreiter/govader, and give exactly govader's scores
//     (TestVaderMatchesGovader checks every labelled text).
//   - "domain": a hand-weighted lexicon of service language (down, outage,
//     not loading, can't log in, 500, refund, cancel, switching, fixed,
//     back up, thank you), emoticons and emoji, with negation ("not
//     working"), intensifiers ("really slow", "a bit slow") and sarcasm
//     ("great, another outage").
//   - "learned": a multinomial logistic regression over the text's
//     unigrams and bigrams, fitted on labelled tweets and reviews: 15,000
//     n-grams with a weight per class.
//
// The ensemble is a second logistic regression stacked on the parts'
// scores (the learned part's seen out of fold while fitting, so the
// ensemble learns how far to trust it on unseen text). Its label is the
// most likely of negative, neutral and positive, and its score P(positive)
// - P(negative). The domain part's weight is kept at or above a floor set
// by hand (DomainPrior): service complaints are rare in the labelled sets
// but are what Earshot's users watch for.
//
// The weights are in model.json, embedded, written by
//
//	go run ./analysis/sentiment/internal/fit -data ../shared/eval/sentiment -out analysis/sentiment/model.json
//
// from the training split of the labelled sets (see package eval for the
// split): the same inputs give the same file. [Fit] does the work;
// [WithModel] scores with another model, [WithPart] with one part alone
// (each part has its own small fitted model for that, in model.json's
// "solo").
//
// Texts are normalized before scoring (lowercase, URLs and @mentions
// dropped, hashtags split into words: #NotWorking reads "not working",
// apostrophes joined: "can't" → "cant", emoticons and emoji kept as
// tokens).
//
// Languages: the parts are English only. The language is detected with
// package lang; a text confidently (0.5 or more) in another language is
// left unscored (Label "") unless most of its words are English words the
// Bayes model knows (the detector can take a short or repetitive English
// text for another language). Short or ambiguous texts are scored as
// English. A text with no words (empty, only a URL) is neutral with score
// 0.
//
// Reasons: a negative text gets an [earshot.Reason] (availability,
// performance, login, billing, support, security, other) from keyword
// rules; [ReasonOf] gives the reason of any text.
//
// [Scorer.Explain] says how far each part (and the model's bias) moved
// the log-odds of positive over negative, and the detected language.
//
// The Bayes model is read once per process (about 0.035s, most of it
// unzipping the bundle) on the first call to [New]; a Scorer is safe for
// concurrent use. Each token of a text is hashed and looked up once for
// the Bayes, domain, reason and learned parts (see tokenWord), in
// open-addressing tables with a small hot table and a bit per key in
// front, so that most lookups stay in the processor's cache.
// [Scorer.Score] and [Scorer.ScoreInto] spread large batches over
// runtime.GOMAXPROCS goroutines. docs/sentiment.md has the measured
// quality and speed, and the commands that reproduce them.
package sentiment
