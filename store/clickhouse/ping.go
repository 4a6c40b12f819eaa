package clickhouse

import (
	"context"
	"fmt"

	"github.com/earshot/earshot"
)

var _ earshot.Pinger = (*Store)(nil)

// Ping asks the server whether it answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.conn.Ping(ctx); err != nil {
		return fmt.Errorf("pinging clickhouse: %w", err)
	}
	return nil
}
