package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
)

// SaveSpike creates or replaces the spike with sp.ID: each save writes a
// row with a newer version.
func (s *Store) SaveSpike(ctx context.Context, sp earshot.Spike) error {
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertSpike))
	if err != nil {
		return fmt.Errorf("saving spike %s: %w", sp.ID, err)
	}
	if err := b.Append(s.spikeRow(sp)...); err != nil {
		_ = b.Abort()
		return fmt.Errorf("saving spike %s: %w", sp.ID, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("saving spike %s: %w", sp.ID, err)
	}
	return nil
}

// spikeRow is sp as the spikes table's insert columns, with a new version.
func (s *Store) spikeRow(sp earshot.Spike) []any {
	return []any{
		sp.ID, string(sp.Scope.Kind), sp.Scope.Value, string(sp.Metric),
		s.timeArg(sp.Start), s.timeArg(sp.Peak), s.timeArg(sp.End), int64(sp.Bucket),
		sp.Observed, sp.Expected, sp.Score, sp.IncidentID, sp.LinkConfidence,
		s.nextVersion(),
	}
}

func scanSpike(rows driver.Rows) (earshot.Spike, error) {
	var (
		sp                earshot.Spike
		kind, metric      string
		start, peak, stop int64
		bucket            int64
	)
	if err := rows.Scan(&sp.ID, &kind, &sp.Scope.Value, &metric, &start, &peak, &stop, &bucket,
		&sp.Observed, &sp.Expected, &sp.Score, &sp.IncidentID, &sp.LinkConfidence); err != nil {
		return earshot.Spike{}, err
	}
	sp.Scope.Kind = earshot.ScopeKind(kind)
	sp.Metric = earshot.Metric(metric)
	sp.Start, sp.Peak, sp.End = fromNS(start), fromNS(peak), fromNS(stop)
	sp.Bucket = time.Duration(bucket)
	return sp, nil
}

// Spikes returns the spikes overlapping [from, to): started before to and
// not ended by from (an open spike has not ended), by start then ID.
func (s *Store) Spikes(ctx context.Context, from, to time.Time) ([]earshot.Spike, error) {
	out, err := queryAll(ctx, s.conn, scanSpike, mustQuery(s.q, qSpikes), toNS(to), toNS(from))
	if err != nil {
		return nil, fmt.Errorf("reading spikes: %w", err)
	}
	return out, nil
}
