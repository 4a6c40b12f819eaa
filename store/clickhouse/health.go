package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
)

// insertOne sends one row with the insert statement name.
func (s *Store) insertOne(ctx context.Context, name string, row []any) error {
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, name))
	if err != nil {
		return err
	}
	if err := b.Append(row...); err != nil {
		_ = b.Abort()
		return err
	}
	return b.Send()
}

// SaveHealth creates or replaces the health of h.Collector: each save
// writes a row with a newer version.
func (s *Store) SaveHealth(ctx context.Context, h earshot.SourceHealth) error {
	if err := s.insertOne(ctx, qInsertHealth, s.healthRow(h)); err != nil {
		return fmt.Errorf("saving health of %s: %w", h.Collector, err)
	}
	return nil
}

// healthRow is h as the health table's insert columns, with a new version.
func (s *Store) healthRow(h earshot.SourceHealth) []any {
	return []any{
		h.Collector, h.Kind, s.timeArg(h.LastRun), s.timeArg(h.LastSuccess), h.LastError, s.timeArg(h.LastErrorAt),
		int64(h.Failures), int64(h.Backoff), h.PostsLastHour, s.timeArg(h.UpdatedAt),
		s.nextVersion(),
	}
}

func scanHealth(rows driver.Rows) (earshot.SourceHealth, error) {
	var (
		h                                 earshot.SourceHealth
		lastRun, lastSuccess, lastErrorAt int64
		updated, failures, backoff        int64
	)
	if err := rows.Scan(&h.Collector, &h.Kind, &lastRun, &lastSuccess, &h.LastError, &lastErrorAt,
		&failures, &backoff, &h.PostsLastHour, &updated); err != nil {
		return earshot.SourceHealth{}, err
	}
	h.LastRun, h.LastSuccess, h.LastErrorAt, h.UpdatedAt = fromNS(lastRun), fromNS(lastSuccess), fromNS(lastErrorAt), fromNS(updated)
	h.Failures, h.Backoff = int(failures), time.Duration(backoff)
	return h, nil
}

// Health returns every collector's health, by collector name.
func (s *Store) Health(ctx context.Context) ([]earshot.SourceHealth, error) {
	out, err := queryAll(ctx, s.conn, scanHealth, mustQuery(s.q, qHealth))
	if err != nil {
		return nil, fmt.Errorf("reading health: %w", err)
	}
	return out, nil
}

// SaveGap creates or replaces the gap with g.ID: each save writes a row
// with a newer version.
func (s *Store) SaveGap(ctx context.Context, g earshot.Gap) error {
	if err := s.insertOne(ctx, qInsertGap, s.gapRow(g)); err != nil {
		return fmt.Errorf("saving gap %s: %w", g.ID, err)
	}
	return nil
}

// gapRow is g as the gaps table's insert columns, with a new version.
func (s *Store) gapRow(g earshot.Gap) []any {
	return []any{g.ID, g.Collector, s.timeArg(g.From), s.timeArg(g.To), g.Reason, s.timeArg(g.FilledAt), s.nextVersion()}
}

func scanGap(rows driver.Rows) (earshot.Gap, error) {
	var (
		g                earshot.Gap
		from, to, filled int64
	)
	if err := rows.Scan(&g.ID, &g.Collector, &from, &to, &g.Reason, &filled); err != nil {
		return earshot.Gap{}, err
	}
	g.From, g.To, g.FilledAt = fromNS(from), fromNS(to), fromNS(filled)
	return g, nil
}

// Gaps returns the gaps overlapping [from, to): begun before to and not
// ended by from (a gap with no end has not ended), by start then ID.
func (s *Store) Gaps(ctx context.Context, from, to time.Time) ([]earshot.Gap, error) {
	out, err := queryAll(ctx, s.conn, scanGap, mustQuery(s.q, qGaps), toNS(to), toNS(from))
	if err != nil {
		return nil, fmt.Errorf("reading gaps: %w", err)
	}
	return out, nil
}
