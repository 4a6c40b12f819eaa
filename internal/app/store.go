package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/redact"
	"github.com/earshot/earshot/store/clickhouse"
	"github.com/earshot/earshot/store/duckdb"
)

// OpenStore opens the store a DSN names; a DSN that names none is a
// *badinput.Error. Errors never show the password. The fault tests wrap it
// in the child serve they start.
var OpenStore = openStoreDSN

func openStoreDSN(ctx context.Context, dsn string) (earshot.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "duckdb://"):
		path, err := duckdb.ParseDSN(dsn)
		if err != nil {
			return nil, &badinput.Error{Err: err}
		}
		s, err := duckdb.Open(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", dsn, err)
		}
		return s, nil
	case strings.HasPrefix(dsn, "clickhouse://"):
		cfg, err := clickhouse.ParseDSN(dsn)
		if err != nil {
			return nil, &badinput.Error{Err: err}
		}
		s, err := clickhouse.Open(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", redact.DSN(dsn), err)
		}
		return s, nil
	}
	return nil, badinput.Errorf("store %q: not a duckdb:// or clickhouse:// address", redact.DSN(dsn))
}
