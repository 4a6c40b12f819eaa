package app

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
)

func TestOpenStoreRetrying(t *testing.T) {
	orig := OpenStore
	t.Cleanup(func() { OpenStore = orig })
	log := slog.New(slog.DiscardHandler)

	// A store that does not answer twice, then does, is waited for.
	calls := 0
	OpenStore = func(ctx context.Context, dsn string) (earshot.Store, error) {
		calls++
		if calls < 3 {
			return nil, errors.New("handshake: i/o timeout")
		}
		return orig(ctx, "duckdb://:memory:")
	}
	st, err := OpenStoreRetrying(t.Context(), "x", time.Minute, log)
	if err != nil || calls != 3 {
		t.Fatalf("OpenStoreRetrying = %v after %d calls; want success on the third", err, calls)
	}
	st.Close()

	// A bad DSN fails at once.
	calls = 0
	OpenStore = func(ctx context.Context, dsn string) (earshot.Store, error) {
		calls++
		return nil, badinput.Errorf("store %q: not a duckdb:// or clickhouse:// address", dsn)
	}
	if _, err := OpenStoreRetrying(t.Context(), "mysql://x", time.Minute, log); err == nil || calls != 1 {
		t.Errorf("bad DSN: %v after %d calls; want an error at once", err, calls)
	}

	// Patience ends the retries.
	calls = 0
	OpenStore = func(ctx context.Context, dsn string) (earshot.Store, error) {
		calls++
		return nil, errors.New("connection refused")
	}
	if _, err := OpenStoreRetrying(t.Context(), "x", 0, log); err == nil || calls != 1 {
		t.Errorf("no patience: %v after %d calls", err, calls)
	}
}
