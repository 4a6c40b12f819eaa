package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"github.com/earshot/earshot"
)

// Store keeps Earshot's data in DuckDB. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	// writeMu serializes writes: DuckDB fails one of two transactions that
	// touch the same rows rather than waiting, and read-modify-write moves
	// need to see their own reads unchanged.
	writeMu sync.Mutex
	// allNew, under writeMu, says SavePosts last found none of a batch
	// stored, and so appends the next batch without looking.
	allNew bool
}

var _ earshot.Store = (*Store)(nil)

// Open opens (creating if needed) the DuckDB database at path, "" or
// ":memory:" for a fresh in-memory one, and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == ":memory:" {
		path = ""
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, fmt.Errorf("opening duckdb %q: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening duckdb %q: %w", path, err)
	}
	if _, err := migrate(ctx, db, migrationFiles); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db}, nil
}

// Close releases the database; an in-memory database is gone afterwards.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("closing duckdb: %w", err)
	}
	return nil
}

// ParseDSN returns the database path of a DuckDB store DSN:
// "duckdb:///var/lib/earshot/earshot.duckdb" is the file
// /var/lib/earshot/earshot.duckdb, "duckdb://earshot.duckdb" a file in the
// working directory, and "duckdb://:memory:" an in-memory
// database (path ":memory:").
func ParseDSN(dsn string) (path string, err error) {
	rest, ok := strings.CutPrefix(dsn, "duckdb://")
	switch {
	case !ok:
		return "", fmt.Errorf("parsing store DSN %q: want duckdb:///path/to/file.duckdb or duckdb://:memory:", dsn)
	case rest == ":memory:":
		return ":memory:", nil
	case rest != "" && rest != "/" && !strings.ContainsAny(rest, "?#"):
		// duckdb:///abs/path.duckdb, or duckdb://file.duckdb relative to
		// the working directory (the default store).
		return rest, nil
	}
	return "", fmt.Errorf("parsing store DSN %q: want duckdb:///path/to/file.duckdb, duckdb://relative/file.duckdb or duckdb://:memory:", dsn)
}

// notFound turns sql.ErrNoRows into earshot.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return earshot.ErrNotFound
	}
	return err
}
