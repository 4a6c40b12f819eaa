package duckdb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema change, migrations/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the migrations in fsys, ordered by version.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	paths, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	var ms []migration
	for _, p := range paths {
		base := strings.TrimSuffix(path.Base(p), ".sql")
		num, name, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 || name == "" {
			return nil, fmt.Errorf("loading migration %s: want a name like 0001_init.sql", p)
		}
		text, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("loading migration %s: %w", p, err)
		}
		if i := slices.IndexFunc(ms, func(m migration) bool { return m.version == version }); i >= 0 {
			return nil, fmt.Errorf("loading migration %s: version %d is also %s", p, version, ms[i].name)
		}
		ms = append(ms, migration{version: version, name: base, sql: string(text)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	return ms, nil
}

// migrate applies, in order and each in its own transaction, the migrations
// in fsys that db has not recorded in schema_migrations, and returns the
// names of those it applied. A recorded version missing from fsys means the
// database was written by a newer build, and is an error.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) ([]string, error) {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       VARCHAR NOT NULL,
		applied_at TIMESTAMP NOT NULL
	)`); err != nil {
		return nil, fmt.Errorf("creating schema_migrations: %w", err)
	}
	applied := map[int]string{}
	rows, err := db.QueryContext(ctx, `SELECT version, name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("reading schema_migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return nil, fmt.Errorf("reading schema_migrations: %w", err)
		}
		applied[v] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading schema_migrations: %w", err)
	}
	for v, name := range applied {
		if !slices.ContainsFunc(ms, func(m migration) bool { return m.version == v }) {
			return nil, fmt.Errorf("migrating: the database has migration %s, unknown to this build (written by a newer version?)", name)
		}
	}

	var done []string
	for _, m := range ms {
		if _, ok := applied[m.version]; ok {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return done, err
		}
		done = append(done, m.name)
	}
	if len(done) > 0 {
		// Write the new schema into the database file at once, so that a
		// crash (SIGKILL) before DuckDB's own checkpoint never leaves the
		// schema changes to be replayed from its write-ahead log.
		if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
			return done, fmt.Errorf("checkpointing the migrated schema: %w", err)
		}
	}
	return done, nil
}

func apply(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("applying migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("applying migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC()); err != nil {
		return fmt.Errorf("recording migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("applying migration %s: %w", m.name, err)
	}
	return nil
}
