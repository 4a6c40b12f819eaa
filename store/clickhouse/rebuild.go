package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

var _ earshot.RollupRebuilder = (*Store)(nil)

// rebuildSpan is how much of the rollup RebuildRollups puts right at a
// time: a day's posts read with FINAL, and progress reported, per step.
const rebuildSpan = 24 * time.Hour

// RebuildRollups makes post_rollup what the stored posts say for the posts
// created in [from, to) (see earshot.RollupRebuilder). It needs no mutation
// and no swap of tables: for each day it compares, per minute, watch and
// source, the posts' counts (read with FINAL, computed as the materialized
// view does) with the rollup's, and inserts the differences as rollup rows
// (which SummingMergeTree adds up), so a rollup that was right gets no row
// and the series stay right while it runs, on one server or a cluster.
// Saves of this Store wait for each day's step.
func (s *Store) RebuildRollups(ctx context.Context, from, to time.Time, progress func(earshot.RebuildProgress)) (earshot.RebuildProgress, error) {
	if !s.d.Rollups {
		return earshot.RebuildProgress{}, errors.New("rebuilding the rollup: this store keeps none")
	}
	lo, hi, ok, err := s.rebuildBounds(ctx, from, to)
	if err != nil || !ok {
		return earshot.RebuildProgress{}, err
	}
	p := earshot.RebuildProgress{From: fromNS(lo), To: fromNS(hi), Done: fromNS(lo)}
	step := int64(rebuildSpan)
	for start := lo; start < hi; start += step {
		end := min(start+step, hi)
		fixed, posts, err := s.rebuildRollupSpan(ctx, start, end)
		if err != nil {
			return p, fmt.Errorf("rebuilding the rollup from %s: %w", fromNS(start).Format(time.RFC3339), err)
		}
		p.Done, p.Fixed, p.Posts = fromNS(end), p.Fixed+fixed, p.Posts+posts
		if progress != nil {
			progress(p)
		}
	}
	return p, nil
}

// rebuildBounds returns the minutes [lo, hi) a rebuild of [from, to)
// covers, and false when there is nothing to rebuild.
func (s *Store) rebuildBounds(ctx context.Context, from, to time.Time) (lo, hi int64, ok bool, err error) {
	var postLo, postHi, bucketLo, bucketHi int64
	var posts, buckets uint64
	if err := s.conn.QueryRow(ctx, mustQuery(s.q, qPostSpan)).Scan(&postLo, &postHi, &posts); err != nil {
		return 0, 0, false, fmt.Errorf("rebuilding the rollup: reading the posts' span: %w", err)
	}
	if err := s.conn.QueryRow(ctx, mustQuery(s.q, qRollupBucketSpan)).Scan(&bucketLo, &bucketHi, &buckets); err != nil {
		return 0, 0, false, fmt.Errorf("rebuilding the rollup: reading the rollup's span: %w", err)
	}
	w := int64(rollupWidth)
	switch {
	case posts > 0 && buckets > 0:
		lo, hi = min(postLo, bucketLo), max(postHi, bucketHi)+1
	case posts > 0:
		lo, hi = postLo, postHi+1
	case buckets > 0:
		lo, hi = bucketLo, bucketHi+w
	}
	if !from.IsZero() {
		lo = toNS(from)
	}
	if !to.IsZero() {
		hi = toNS(to)
	}
	if s.cfg.Retention.Posts > 0 && s.cfg.Retention.RollupsKept() > s.cfg.Retention.Posts {
		// The counts of posts already expired stay.
		if posts == 0 {
			return 0, 0, false, nil
		}
		lo = max(lo, postLo)
	}
	lo = floorDiv(lo, w) * w
	hi = -floorDiv(-hi, w) * w
	return lo, hi, lo < hi && (posts > 0 || buckets > 0), nil
}

// floorDiv is a / b rounded down, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// rebuildRollupSpan puts post_rollup right for the minutes [lo, hi) and
// returns how many rollup rows it inserted and how many posts the rollup
// then counts there.
func (s *Store) rebuildRollupSpan(ctx context.Context, lo, hi int64) (fixed, posts int64, err error) {
	s.postsMu.Lock()
	defer s.postsMu.Unlock()
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qRollupFixes), lo, hi, lo, hi)
	if err != nil {
		return 0, 0, err
	}
	var fixes [][]any
	for rows.Next() {
		var (
			bucket, n, scored, negative, positive, scoreNano int64
			watch, source                                    string
		)
		if err := rows.Scan(&bucket, &watch, &source, &n, &scored, &negative, &positive, &scoreNano); err != nil {
			rows.Close()
			return 0, 0, err
		}
		fixes = append(fixes, []any{bucket, watch, source, n, scored, negative, positive, scoreNano})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if len(fixes) > 0 {
		b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertRollupRows))
		if err != nil {
			return 0, 0, err
		}
		for _, row := range fixes {
			if err := b.Append(row...); err != nil {
				_ = b.Abort()
				return 0, 0, err
			}
		}
		if err := b.Send(); err != nil {
			return 0, 0, err
		}
	}
	if err := s.conn.QueryRow(ctx, mustQuery(s.q, qRollupPosts), lo, hi).Scan(&posts); err != nil {
		return 0, 0, err
	}
	return int64(len(fixes)), posts, nil
}
