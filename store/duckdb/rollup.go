package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/earshot/earshot"
)

var _ earshot.RollupRebuilder = (*Store)(nil)

// rollupWidth is the width of post_rollup's buckets (migration 0014): a
// series whose bucket width is a multiple of it reads the rollup.
const rollupWidth = time.Minute

// rollupKey is a row of post_rollup: a minute, a watch ("" for every
// post) and a source.
type rollupKey struct {
	watch  string
	bucket int64 // microseconds since the epoch
	source string
}

// rollupSums are what post_rollup counts for a key.
type rollupSums struct{ posts, scored, negative, positive, scoreNano int64 }

// rollupDelta is a change to post_rollup, by key.
type rollupDelta map[rollupKey]*rollupSums

// bucketOf is the start of the minute of t, in microseconds.
func bucketOf(t time.Time) int64 {
	us, w := t.UnixMicro(), rollupWidth.Microseconds()
	return us - ((us%w)+w)%w
}

// add counts the post of r sign times (1 or -1), as migration 0014 does:
// once under watch "" and once under each watch it matched.
func (d rollupDelta) add(r *postRow, sign int64) {
	var s rollupSums
	s.posts = sign
	if r.Label != "" {
		s.scored = sign
		s.scoreNano = sign * int64(math.Round(r.Score*1e9))
	}
	switch r.Label {
	case string(earshot.Negative):
		s.negative = sign
	case string(earshot.Positive):
		s.positive = sign
	}
	bucket := bucketOf(r.CreatedAt)
	d.addSums(rollupKey{"", bucket, r.Source}, s)
	for _, w := range r.Watches {
		if w != "" {
			d.addSums(rollupKey{w, bucket, r.Source}, s)
		}
	}
}

func (d rollupDelta) addSums(k rollupKey, s rollupSums) {
	sum := d[k]
	if sum == nil {
		sum = &rollupSums{}
		d[k] = sum
	}
	sum.posts += s.posts
	sum.scored += s.scored
	sum.negative += s.negative
	sum.positive += s.positive
	sum.scoreNano += s.scoreNano
}

// rollupSet is the SET of an upsert adding excluded's sums to a row's.
const rollupSet = `ON CONFLICT (watch, bucket_us, source) DO UPDATE SET
	posts = post_rollup.posts + excluded.posts, scored = post_rollup.scored + excluded.scored,
	negative = post_rollup.negative + excluded.negative, positive = post_rollup.positive + excluded.positive,
	score_nano = post_rollup.score_nano + excluded.score_nano`

// upsertRollup adds the appended rows to post_rollup.
const upsertRollup = `INSERT INTO post_rollup SELECT * FROM appended_data ` + rollupSet

// applyRollup adds d to post_rollup on conn (in its transaction).
func applyRollup(ctx context.Context, conn *sql.Conn, d rollupDelta) error {
	if len(d) == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewTableAppender(dc.(driver.Conn), upsertRollup, "", "main", "post_rollup", nil)
		if err != nil {
			return fmt.Errorf("updating the rollup: %w", err)
		}
		for k, s := range d {
			if s.posts == 0 && s.scored == 0 && s.negative == 0 && s.positive == 0 && s.scoreNano == 0 {
				continue
			}
			if err := a.AppendRow(k.watch, k.bucket, k.source, s.posts, s.scored, s.negative, s.positive, s.scoreNano); err != nil {
				a.Clear()
				a.Close()
				return fmt.Errorf("updating the rollup: %w", err)
			}
		}
		if err := a.CloseWithCancel(ctx); err != nil {
			return fmt.Errorf("updating the rollup: %w", err)
		}
		return nil
	})
}

// addStored adds what post_rollup counts of the stored versions of the
// rows' posts to d, sign times, reading them on conn.
func addStored(ctx context.Context, conn *sql.Conn, d rollupDelta, rows []postRow, sign int64) error {
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	res, err := conn.QueryContext(ctx, `SELECT created_at, source, watches, label, score FROM posts
		WHERE id IN (SELECT unnest(?::VARCHAR[]))`, ids)
	if err != nil {
		return fmt.Errorf("reading stored versions: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var r postRow
		if err := res.Scan(&r.CreatedAt, &r.Source, &r.Watches, &r.Label, &r.Score); err != nil {
			return fmt.Errorf("reading stored versions: %w", err)
		}
		d.add(&r, sign)
	}
	if err := res.Err(); err != nil {
		return fmt.Errorf("reading stored versions: %w", err)
	}
	return nil
}

// rollupOf is a query of what post_rollup counts of the posts matching
// where (a WHERE clause, or ""), each sum signed by sign ("" or "-"), by
// key: the computation of migration 0014.
func rollupOf(sign, where string) string {
	return `SELECT watch, us - ((us % 60000000) + 60000000) % 60000000 AS bucket_us, source,
		` + sign + `count(*) AS posts, ` + sign + `count(*) FILTER (WHERE label <> '') AS scored,
		` + sign + `count(*) FILTER (WHERE label = 'negative') AS negative,
		` + sign + `count(*) FILTER (WHERE label = 'positive') AS positive,
		` + sign + `coalesce(sum(CASE WHEN label <> '' THEN round(score * 1000000000)::BIGINT ELSE 0 END), 0) AS score_nano
	FROM (
		SELECT epoch_us(created_at) AS us, source, label, score,
			unnest(list_prepend('', list_filter(watches, w -> w <> ''))) AS watch
		FROM posts ` + where + `
	)
	GROUP BY watch, bucket_us, source`
}

// takeAuthorFromRollup takes the author's posts out of post_rollup, in tx,
// before they are deleted.
func takeAuthorFromRollup(ctx context.Context, tx interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, source, authorID string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO post_rollup `+rollupOf("-", "WHERE source = ? AND author_id = ?")+`
		`+rollupSet, source, authorID)
	if err != nil {
		return fmt.Errorf("updating the rollup: %w", err)
	}
	return nil
}

// rollupSpan returns the whole minutes [lo, hi) of the window [from, to),
// in microseconds, that post_rollup answers for q, and whether it does.
func rollupSpan(q earshot.SeriesQuery) (lo, hi int64, ok bool) {
	if q.Bucket%rollupWidth != 0 || q.GroupBy == earshot.GroupWatch && q.Watch != "" {
		return 0, 0, false
	}
	lo = -bucketOf(time.UnixMicro(-q.From.UnixMicro())) // From rounded up to a minute
	hi = bucketOf(q.To)
	return lo, hi, lo < hi
}

// rollupSeries answers q from post_rollup for the whole minutes [lo, hi)
// and from the posts for the rest of the window: the query and its args.
// Its rows are start_us, key, posts, scored, negative, positive, mean.
func rollupSeries(q earshot.SeriesQuery, lo, hi int64) (string, []any) {
	key, rollupKey := "''", "''"
	conds := []string{"bucket_us >= ?", "bucket_us < ?"}
	args := []any{lo, hi}
	switch q.GroupBy {
	case earshot.GroupSource:
		key, rollupKey = "source", "source"
	case earshot.GroupWatch:
		key, rollupKey = "unnest(watches)", "watch"
	}
	if q.GroupBy == earshot.GroupWatch {
		conds = append(conds, "watch <> ''")
	} else {
		conds = append(conds, "watch = ?")
		args = append(args, q.Watch)
	}
	if q.Source != "" {
		conds = append(conds, "source = ?")
		args = append(args, q.Source)
	}
	edge := []string{"((created_at >= ? AND created_at < ?) OR (created_at >= ? AND created_at < ?))"}
	edgeArgs := []any{q.From.UTC(), time.UnixMicro(lo).UTC(), time.UnixMicro(hi).UTC(), q.To.UTC()}
	if q.Watch != "" {
		edge = append(edge, "list_contains(watches, ?)")
		edgeArgs = append(edgeArgs, q.Watch)
	}
	if q.Source != "" {
		edge = append(edge, "source = ?")
		edgeArgs = append(edgeArgs, q.Source)
	}
	query := `
		SELECT start_us, key, sum(n)::BIGINT, sum(sc)::BIGINT, sum(neg)::BIGINT, sum(pos)::BIGINT,
			CASE WHEN sum(sc) > 0 THEN sum(ssum) / sum(sc) ELSE 0 END
		FROM (
			SELECT bucket_us - ((bucket_us % $width) + $width) % $width AS start_us, ` + rollupKey + ` AS key,
				posts AS n, scored AS sc, negative AS neg, positive AS pos, score_nano / 1000000000 AS ssum
			FROM post_rollup
			WHERE ` + strings.Join(conds, " AND ") + `
			UNION ALL
			SELECT us - ((us % $width) + $width) % $width, key, 1, (label <> '')::INT, (label = 'negative')::INT,
				(label = 'positive')::INT, CASE WHEN label <> '' THEN score ELSE 0 END
			FROM (SELECT epoch_us(created_at) AS us, ` + key + ` AS key, label, score FROM posts
				WHERE ` + strings.Join(edge, " AND ") + `)
		)
		GROUP BY start_us, key
		HAVING sum(n) > 0
		ORDER BY start_us, key`
	return strings.ReplaceAll(query, "$width", fmt.Sprint(q.Bucket.Microseconds())), append(args, edgeArgs...)
}

// rebuildSpan is how much of the rollup RebuildRollups puts right in one
// transaction.
const rebuildSpan = 24 * time.Hour

// RebuildRollups makes post_rollup what the stored posts say for the posts
// created in [from, to) (see earshot.RollupRebuilder), a day per
// transaction: it adds to each row the difference between what the posts
// count and what the row holds, where they differ.
// With the rollup kept longer than the posts, it starts at the earliest
// post stored, so that the counts of posts expired stay.
func (s *Store) RebuildRollups(ctx context.Context, from, to time.Time, progress func(earshot.RebuildProgress)) (earshot.RebuildProgress, error) {
	var postLo, postHi, bucketLo, bucketHi sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT epoch_us(min(created_at)), epoch_us(max(created_at)) FROM posts`).Scan(&postLo, &postHi); err != nil {
		return earshot.RebuildProgress{}, fmt.Errorf("rebuilding the rollup: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT min(bucket_us), max(bucket_us) FROM post_rollup`).Scan(&bucketLo, &bucketHi); err != nil {
		return earshot.RebuildProgress{}, fmt.Errorf("rebuilding the rollup: %w", err)
	}
	w := rollupWidth.Microseconds()
	var lo, hi int64
	switch {
	case postLo.Valid && bucketLo.Valid:
		lo, hi = min(postLo.Int64, bucketLo.Int64), max(postHi.Int64+1, bucketHi.Int64+w)
	case postLo.Valid:
		lo, hi = postLo.Int64, postHi.Int64+1
	case bucketLo.Valid:
		lo, hi = bucketLo.Int64, bucketHi.Int64+w
	default:
		return earshot.RebuildProgress{}, nil
	}
	if !from.IsZero() {
		lo = from.UnixMicro()
	}
	if !to.IsZero() {
		hi = to.UnixMicro()
	}
	if s.retention.Posts > 0 && s.retention.RollupsKept() > s.retention.Posts {
		// The counts of posts expired already stay: start at the
		// earliest post stored, whose minute DropExpired left whole.
		if !postLo.Valid {
			return earshot.RebuildProgress{}, nil
		}
		lo = max(lo, postLo.Int64)
	}
	lo = bucketOf(time.UnixMicro(lo))
	hi = -bucketOf(time.UnixMicro(-hi))
	if lo >= hi {
		return earshot.RebuildProgress{}, nil
	}
	p := earshot.RebuildProgress{From: time.UnixMicro(lo).UTC(), To: time.UnixMicro(hi).UTC(), Done: time.UnixMicro(lo).UTC()}
	for start := lo; start < hi; start += rebuildSpan.Microseconds() {
		end := min(start+rebuildSpan.Microseconds(), hi)
		fixed, posts, err := s.rebuildRollupSpan(ctx, start, end)
		if err != nil {
			return p, fmt.Errorf("rebuilding the rollup from %s: %w", time.UnixMicro(start).UTC().Format(time.RFC3339), err)
		}
		p.Done, p.Fixed, p.Posts = time.UnixMicro(end).UTC(), p.Fixed+fixed, p.Posts+posts
		if progress != nil {
			progress(p)
		}
	}
	return p, nil
}

// rebuildRollupSpan puts post_rollup right for the minutes [lo, hi)
// (microseconds) in one transaction, and returns how many of its rows
// changed and how many posts it then counts there.
func (s *Store) rebuildRollupSpan(ctx context.Context, lo, hi int64) (fixed, posts int64, err error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO post_rollup
		SELECT watch, bucket_us, source, sum(posts), sum(scored), sum(negative), sum(positive), sum(score_nano)
		FROM (
			`+rollupOf("", "WHERE created_at >= ? AND created_at < ?")+`
			UNION ALL
			SELECT watch, bucket_us, source, -posts, -scored, -negative, -positive, -score_nano
			FROM post_rollup WHERE bucket_us >= ? AND bucket_us < ?
		)
		GROUP BY watch, bucket_us, source
		HAVING sum(posts) <> 0 OR sum(scored) <> 0 OR sum(negative) <> 0 OR sum(positive) <> 0 OR sum(score_nano) <> 0
		`+rollupSet, time.UnixMicro(lo).UTC(), time.UnixMicro(hi).UTC(), lo, hi)
	if err != nil {
		return 0, 0, err
	}
	if fixed, err = res.RowsAffected(); err != nil {
		return 0, 0, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(posts), 0) FROM post_rollup
		WHERE watch = '' AND bucket_us >= ? AND bucket_us < ?`, lo, hi).Scan(&posts); err != nil {
		return 0, 0, err
	}
	return fixed, posts, tx.Commit()
}
