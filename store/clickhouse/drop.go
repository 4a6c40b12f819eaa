package clickhouse

import (
	"context"
	"fmt"
)

// DropDatabase drops the store's whole database (ON CLUSTER in cluster
// mode) and closes the store. It is for throwaway databases: benchmarks
// and tests.
func (s *Store) DropDatabase(ctx context.Context) error {
	q := "DROP DATABASE IF EXISTS `" + s.cfg.Database + "`"
	if s.cfg.Cluster != "" {
		q += " ON CLUSTER `" + s.cfg.Cluster + "`"
	}
	err := s.conn.Exec(ctx, q)
	s.Close()
	if err != nil {
		return fmt.Errorf("dropping database %s: %w", s.cfg.Database, err)
	}
	return nil
}
