package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/earshot/earshot"
)

// queryAll runs query and returns the value of each of its rows, each
// scanned into a fresh row struct R (through its dest) and turned into a
// domain value by value.
func queryAll[T, R any, P interface {
	*R
	dest() []any
}](ctx context.Context, db *sql.DB, value func(P) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, value)
}

// scanAll reads rows as queryAll does, and closes them.
func scanAll[T, R any, P interface {
	*R
	dest() []any
}](rows *sql.Rows, value func(P) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		r := P(new(R))
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, err
		}
		v, err := value(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// bodyRow is a row of one string column (a JSON body).
type bodyRow struct{ body string }

func (r *bodyRow) dest() []any            { return []any{&r.body} }
func (r *bodyRow) value() (string, error) { return r.body, nil }

// queryOne runs query, which finds at most one row, and returns the value
// of its row: an error wrapping earshot.ErrNotFound, prefixed with missing,
// when it finds none, and a failing query's error prefixed with reading.
func queryOne[T, R any, P interface {
	*R
	dest() []any
}](ctx context.Context, db *sql.DB, value func(P) (T, error), reading, missing, query string, args ...any) (T, error) {
	var zero T
	r := P(new(R))
	err := db.QueryRowContext(ctx, query, args...).Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return zero, fmt.Errorf("%s: %w", missing, earshot.ErrNotFound)
	}
	if err != nil {
		return zero, fmt.Errorf("%s: %w", reading, err)
	}
	return value(r)
}
