package faultinject

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/duckdb"
)

// Wrap returns open changed so that a DuckDB store it opens hangs while
// the file "freeze" exists in dir and refuses while "refuse" does. Other
// stores are returned as open returns them.
func Wrap(open func(ctx context.Context, dsn string) (earshot.Store, error), dir string) func(ctx context.Context, dsn string) (earshot.Store, error) {
	return func(ctx context.Context, dsn string) (earshot.Store, error) {
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
