package clickhouse

import (
	"context"
	"fmt"
)

// Cursor returns the collector's saved cursor, "" if none.
func (s *Store) Cursor(ctx context.Context, collector string) (string, error) {
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qCursor), collector)
	if err != nil {
		return "", fmt.Errorf("reading cursor of %s: %w", collector, err)
	}
	defer rows.Close()
	var cursor string
	if rows.Next() {
		if err := rows.Scan(&cursor); err != nil {
			return "", fmt.Errorf("reading cursor of %s: %w", collector, err)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("reading cursor of %s: %w", collector, err)
	}
	return cursor, nil
}

// SetCursor saves the collector's cursor; the last save wins.
func (s *Store) SetCursor(ctx context.Context, collector, cursor string) error {
	b, err := s.conn.PrepareBatch(ctx, mustQuery(s.q, qInsertCursor))
	if err != nil {
		return fmt.Errorf("saving cursor of %s: %w", collector, err)
	}
	if err := b.Append(collector, cursor, s.nextVersion()); err != nil {
		_ = b.Abort()
		return fmt.Errorf("saving cursor of %s: %w", collector, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("saving cursor of %s: %w", collector, err)
	}
	return nil
}
