package clickhouse

import (
	"context"
	"fmt"
)

// Ping asks the server whether it answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.conn.Ping(ctx); err != nil {
		return fmt.Errorf("pinging clickhouse: %w", err)
	}
	return nil
}
