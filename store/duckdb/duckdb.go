package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/retention"
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
	// retention is how long posts and post_rollup are kept (see
	// DropExpired).
	retention earshot.Retention
}

// Config says where a store lives and how long it keeps posts.
type Config struct {
	// Path is the database file, "" or ":memory:" for a fresh in-memory
	// one.
	Path string
	// Retention is how long posts and the rollup are kept; zero keeps
	// them for ever. DropExpired removes what has expired.
	Retention earshot.Retention
}

var _ earshot.Store = (*Store)(nil)

// Open opens (creating if needed) the DuckDB database at path, "" or
// ":memory:" for a fresh in-memory one, and brings its schema up to date.
// It keeps everything for ever; OpenConfig sets a retention.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenConfig(ctx, Config{Path: path})
}

// OpenConfig opens the store cfg describes (see Open).
func OpenConfig(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Retention.Validate(); err != nil {
		return nil, fmt.Errorf("opening duckdb: %w", err)
	}
	path := cfg.Path
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
	return &Store{db: db, retention: cfg.Retention}, nil
}

// Close releases the database; an in-memory database is gone afterwards.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("closing duckdb: %w", err)
	}
	return nil
}

// ParseDSN reads a DuckDB store DSN:
// "duckdb:///var/lib/earshot/earshot.duckdb" is the file
// /var/lib/earshot/earshot.duckdb, "duckdb://earshot.duckdb" a file in the
// working directory, and "duckdb://:memory:" an in-memory
// database (path ":memory:"). Parameters set the retention, as for
// store/clickhouse: "?retention=90d&rollup_retention=730d" (posts, and the
// rollup the series read; see earshot.Retention).
func ParseDSN(dsn string) (Config, error) {
	rest, ok := strings.CutPrefix(dsn, "duckdb://")
	rest, rawQuery, _ := strings.Cut(rest, "?")
	var cfg Config
	switch {
	case !ok:
		return Config{}, fmt.Errorf("parsing store DSN %q: want duckdb:///path/to/file.duckdb or duckdb://:memory:", dsn)
	case rest == ":memory:":
		cfg.Path = ":memory:"
	case rest != "" && rest != "/" && !strings.Contains(rest, "#"):
		// duckdb:///abs/path.duckdb, or duckdb://file.duckdb relative to
		// the working directory (the default store).
		cfg.Path = rest
	default:
		return Config{}, fmt.Errorf("parsing store DSN %q: want duckdb:///path/to/file.duckdb, duckdb://relative/file.duckdb or duckdb://:memory:", dsn)
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil || strings.Contains(rawQuery, "#") {
		return Config{}, fmt.Errorf("parsing store DSN %q: bad query string", dsn)
	}
	for k, vs := range q {
		ours, err := retention.Set(&cfg.Retention, k, vs[len(vs)-1])
		if err != nil {
			return Config{}, fmt.Errorf("parsing store DSN %q: %w", dsn, err)
		}
		if !ours {
			return Config{}, fmt.Errorf("parsing store DSN %q: unknown parameter %q", dsn, k)
		}
	}
	if err := cfg.Retention.Validate(); err != nil {
		return Config{}, fmt.Errorf("parsing store DSN %q: %w", dsn, err)
	}
	return cfg, nil
}

// notFound turns sql.ErrNoRows into earshot.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return earshot.ErrNotFound
	}
	return err
}
