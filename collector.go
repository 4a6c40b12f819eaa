package earshot

import "context"

// Collector fetches new posts from one place.
type Collector interface {
	// Name identifies the collector instance; its cursor is kept under it.
	Name() string
	// Collect fetches what is new since cursor ("" for the first call) and
	// returns the posts with the cursor to pass next time. The caller saves
	// the new cursor only once the posts are taken (see ingest.Poller). On an
	// error with no posts the caller keeps the old cursor; posts returned
	// with an error are partial progress, kept with their cursor before the
	// caller backs off. An empty next cursor never replaces a saved one.
	// ErrNotModified means nothing changed. An error with a RetryAfter
	// method says how long the source asked to wait.
	Collect(ctx context.Context, cursor string) (posts []Post, next string, err error)
}

// Scorer scores the sentiment of texts.
type Scorer interface {
	// Score returns one Sentiment per text, in order. A text the scorer
	// cannot score (an unsupported language) gets an unscored Sentiment.
	Score(ctx context.Context, texts []string) ([]Sentiment, error)
}
