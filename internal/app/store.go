package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

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
		cfg, err := duckdb.ParseDSN(dsn)
		if err != nil {
			return nil, &badinput.Error{Err: err}
		}
		s, err := duckdb.OpenConfig(ctx, cfg)
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

// OpenStoreRetrying opens the store, retrying for up to patience when it
// does not answer (a store restarting, or hanging, as earshot restarts);
// a bad DSN fails at once.
func OpenStoreRetrying(ctx context.Context, dsn string, patience time.Duration, log *slog.Logger) (earshot.Store, error) {
	deadline := time.Now().Add(patience)
	wait := 500 * time.Millisecond
	for {
		st, err := OpenStore(ctx, dsn)
		if err == nil || errors.As(err, new(*badinput.Error)) || time.Now().Add(wait).After(deadline) {
			return st, err
		}
		log.Warn("store not answering; retrying", "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(2*wait, 8*time.Second)
	}
}
