package duckdb

import (
	"context"
	"fmt"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/retention"
)

var _ earshot.Expirer = (*Store)(nil)

// Retention returns how long the store keeps posts and post_rollup.
func (s *Store) Retention() earshot.Retention { return s.retention }

// DropExpired deletes the posts created before the posts' cut and the
// rows of post_rollup whose minute starts before the rollup's cut (each
// now minus its retention, rounded down to the minute: a minute's posts
// go together), in one transaction, and returns what it deleted (see
// earshot.Expirer).
//
// The posts go without their counts being taken out of post_rollup, unlike
// EraseAuthor: the rollup keeps them until its own retention, so that a
// series over a month whose posts expired still reads its counts. Nothing
// else refers to a post by a key the store must keep: the content hash is
// a column of posts, and follow-ups and alerts keep the IDs and samples of
// their posts, which their readers skip when gone.
func (s *Store) DropExpired(ctx context.Context, now time.Time) ([]string, error) {
	postCut := retention.Cut(now, s.retention.Posts)
	rollupCut := retention.Cut(now, s.retention.RollupsKept())
	if postCut.IsZero() && rollupCut.IsZero() {
		return nil, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	fail := func(err error) ([]string, error) {
		return nil, fmt.Errorf("dropping expired posts: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	var dropped []string
	if !postCut.IsZero() {
		res, err := tx.ExecContext(ctx, `DELETE FROM posts WHERE created_at < ?`, postCut)
		if err != nil {
			return fail(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fail(err)
		} else if n > 0 {
			dropped = append(dropped, fmt.Sprintf("posts: %d created before %s", n, postCut.Format(time.RFC3339)))
		}
	}
	if !rollupCut.IsZero() {
		res, err := tx.ExecContext(ctx, `DELETE FROM post_rollup WHERE bucket_us < ?`, rollupCut.UnixMicro())
		if err != nil {
			return fail(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fail(err)
		} else if n > 0 {
			dropped = append(dropped, fmt.Sprintf("post_rollup: %d rows of minutes before %s", n, rollupCut.Format(time.RFC3339)))
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return dropped, nil
}
