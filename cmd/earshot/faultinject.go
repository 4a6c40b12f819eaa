//go:build faultinject

package main

// Built only with -tags faultinject, for the fault tests
// (cmd/earshot/faulttest): with EARSHOT_FAULT_DIR set, a DuckDB store
// hangs while the file "freeze" exists in that directory and refuses
// while "refuse" does, on every call the pipeline and the collectors make
// (posts, hashes, cursors). Release builds do not contain it.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/duckdb"
)

func init() {
	dir := os.Getenv("EARSHOT_FAULT_DIR")
	if dir == "" {
		return
	}
	open := openStore
	openStore = func(ctx context.Context, dsn string) (earshot.Store, error) {
		st, err := open(ctx, dsn)
		if d, ok := st.(*duckdb.Store); ok && err == nil {
			return &faultyDuck{Store: d, dir: dir}, nil
		}
		return st, err
	}
}

// faultyDuck is a DuckDB store that hangs or refuses as the fault test
// says through files in dir.
type faultyDuck struct {
	*duckdb.Store
	dir string
}

func (f *faultyDuck) fault(ctx context.Context) error {
	for {
		if _, err := os.Stat(filepath.Join(f.dir, "refuse")); err == nil {
			return errors.New("fault test: store refusing")
		}
		if _, err := os.Stat(filepath.Join(f.dir, "freeze")); err != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (f *faultyDuck) SavePosts(ctx context.Context, posts []earshot.Post) error {
	if err := f.fault(ctx); err != nil {
		return err
	}
	return f.Store.SavePosts(ctx, posts)
}

func (f *faultyDuck) PostHashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	if err := f.fault(ctx); err != nil {
		return nil, err
	}
	return f.Store.PostHashes(ctx, ids)
}

func (f *faultyDuck) Cursor(ctx context.Context, name string) (string, error) {
	if err := f.fault(ctx); err != nil {
		return "", err
	}
	return f.Store.Cursor(ctx, name)
}

func (f *faultyDuck) SetCursor(ctx context.Context, name, cur string) error {
	if err := f.fault(ctx); err != nil {
		return err
	}
	return f.Store.SetCursor(ctx, name, cur)
}
