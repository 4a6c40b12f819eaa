package collectors

import (
	"errors"
	"log/slog"
	"time"

	"github.com/earshot/earshot"
)

// EndRun returns what a Collect returns after a run that collected posts
// and made the cursor next, and that stopped on err (nil: it finished).
// An error before anything was collected is returned with the old cursor
// (and no posts); one after is logged, and the posts are returned with
// next, which remembers where to carry on. A rate limit's wait is passed to
// waitUntil first. The end of the run is logged at debug level with the
// count of posts and attrs.
func EndRun(cursor, next string, posts []earshot.Post, err error, now time.Time, waitUntil func(time.Time), log *slog.Logger, attrs ...any) ([]earshot.Post, string, error) {
	if err != nil {
		var ra *RetryAfterError
		if errors.As(err, &ra) {
			waitUntil(now.Add(ra.Wait))
		}
		if len(posts) == 0 {
			return nil, cursor, err
		}
		log.Warn("stopped early; the next run carries on", "err", err, "posts", len(posts))
	}
	log.Debug("collected", append([]any{"posts", len(posts)}, attrs...)...)
	return posts, next, nil
}
