package duckdb

import (
	"strings"
	"testing"
)

// FuzzParseDSN parses arbitrary store addresses: none may panic; a path
// is returned only for a duckdb:// address, and never with a query.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"duckdb:///var/lib/earshot/earshot.duckdb", "duckdb://:memory:", "duckdb://earshot.duckdb", "duckdb://", "duckdb:///?x", "clickhouse://h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		path, err := ParseDSN(dsn)
		if err != nil {
			return
		}
		if !strings.HasPrefix(dsn, "duckdb://") || path == "" || strings.ContainsAny(path, "?#") {
			t.Errorf("ParseDSN(%q) = %q", dsn, path)
		}
	})
}
