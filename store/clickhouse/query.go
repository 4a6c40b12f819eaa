package clickhouse

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/earshot/earshot"
)

// first returns the first of rows, what a query by key returned with err,
// or an error wrapping earshot.ErrNotFound, prefixed with missing, when
// there is none. err is returned prefixed with reading.
func first[T any](rows []T, err error, reading, missing string) (T, error) {
	var zero T
	if err != nil {
		return zero, fmt.Errorf("%s: %w", reading, err)
	}
	if len(rows) == 0 {
		return zero, fmt.Errorf("%s: %w", missing, earshot.ErrNotFound)
	}
	return rows[0], nil
}

// queryAll runs query and returns what scan reads from each of its rows.
func queryAll[T any](ctx context.Context, conn driver.Conn, scan func(driver.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
