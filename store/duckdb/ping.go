package duckdb

import (
	"context"
	"fmt"
)

// Ping runs a trivial query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("pinging duckdb: %w", err)
	}
	return nil
}
