package earshot

import (
	"context"
	"fmt"
	"time"
)

// Retention says how long a store keeps posts and the rollup of their
// counts (the per-minute counts and sentiment the series read), counted
// from a post's creation and from a rollup minute's start. Zero keeps
// them for ever. A store's address sets it: retention=90d for posts,
// rollup_retention=730d for the rollup.
type Retention struct {
	// Posts is how long posts are kept.
	Posts time.Duration `yaml:"posts"`
	// Rollups is how long the rollup is kept: at least as long as the
	// posts, so that a series never reads a window whose counts expired
	// and whose posts did not (longer keeps the counts of posts gone for
	// age). Zero keeps it as long as the posts.
	Rollups time.Duration `yaml:"rollups"`
}

// RollupsKept is how long the rollup is kept: Rollups, or Posts when
// Rollups is zero. Zero is for ever.
func (r Retention) RollupsKept() time.Duration {
	if r.Rollups > 0 {
		return r.Rollups
	}
	return r.Posts
}

// Validate names the first key that is wrong, and why.
func (r Retention) Validate() error {
	for _, k := range []struct {
		key string
		d   time.Duration
	}{{"retention.posts", r.Posts}, {"retention.rollups", r.Rollups}} {
		if k.d < 0 {
			return fmt.Errorf("%s: %v is negative", k.key, k.d)
		}
		if k.d > 0 && k.d < time.Hour {
			return fmt.Errorf("%s: %v is shorter than an hour", k.key, k.d)
		}
	}
	if r.Rollups > 0 && (r.Posts == 0 || r.Rollups < r.Posts) {
		return fmt.Errorf("retention.rollups: %v is shorter than the posts' retention (%v): a series would read counts expired before their posts", r.Rollups, r.Posts)
	}
	return nil
}

// Expirer is a store that forgets what its Retention says has expired.
// serve calls DropExpired at start and then every hour.
type Expirer interface {
	// Retention returns how long the store keeps posts and the rollup.
	Retention() Retention
	// DropExpired removes the posts created before now minus the posts'
	// retention and the rollup's minutes that start before now minus the
	// rollup's retention, and returns what it removed, in words for the
	// log (nothing when nothing was due). A store may keep expired data a
	// little longer, never shorter: store/duckdb cuts by the minute,
	// store/clickhouse on servers without TTL by whole months (a month goes
	// once it ended before the cut). Removing posts for age leaves the
	// rollup's counts of them: where the rollup is kept longer, Series
	// with a bucket of whole minutes (but not grouped by watch with a
	// watch filter, which reads posts) still count them in the whole
	// minutes of their window, and CountPosts, Posts and the rest no
	// longer see them. Nothing else is removed: follow-ups and alerts
	// keep the IDs and samples of their posts. It does nothing for a
	// retention of zero, and removes nothing twice.
	DropExpired(ctx context.Context, now time.Time) ([]string, error)
}
