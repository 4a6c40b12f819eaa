package earshot

import "context"

// Collector fetches new posts from one place.
type Collector interface {
	// Name identifies the collector instance; its cursor is kept under it.
	Name() string
	// Collect fetches what is new since cursor ("" for the first call) and
	// returns the posts with the cursor to pass next time. The caller saves
	// the new cursor only once the posts are taken (see Poller), and keeps
	// the old one on an error. ErrNotModified means nothing changed. An
	// error with a RetryAfter method says how long the source asked to wait.
	Collect(ctx context.Context, cursor string) (posts []Post, next string, err error)
}

// Scorer scores the sentiment of texts.
type Scorer interface {
	// Score returns one Sentiment per text, in order. A text the scorer
	// cannot score (an unsupported language) gets an unscored Sentiment.
	Score(ctx context.Context, texts []string) ([]Sentiment, error)
}
