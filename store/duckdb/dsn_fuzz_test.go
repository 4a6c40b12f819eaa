package duckdb

import (
	"strings"
	"testing"
)

// FuzzParseDSN parses arbitrary store addresses: none may panic; a path
// is returned only for a duckdb:// address, and never with a query; a
// retention read is a valid one.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"duckdb:///var/lib/earshot/earshot.duckdb", "duckdb://:memory:", "duckdb://earshot.duckdb", "duckdb://", "duckdb:///?x", "duckdb:///x.duckdb?retention=90d&rollup_retention=730d", "clickhouse://h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		cfg, err := ParseDSN(dsn)
		if err != nil {
			return
		}
		if !strings.HasPrefix(dsn, "duckdb://") || cfg.Path == "" || strings.ContainsAny(cfg.Path, "?#") || cfg.Retention.Validate() != nil {
			t.Errorf("ParseDSN(%q) = %+v", dsn, cfg)
		}
	})
}
