package clickhouse

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot"
)

var _ earshot.PostHashStore = (*Store)(nil)

// defaultMaxQuerySize is the server's default max_query_size: the most of
// a SELECT's text it parses.
const defaultMaxQuerySize = 256 << 10

// PostHashes returns the content hash of the stored version of each of ids
// that is stored, in one query. Posts saved before hashes were kept have
// none, and are left out.
func (s *Store) PostHashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	out := make(map[string]uint64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	set := make([]any, len(ids))
	size := len(mustQuery(s.q, qPostHashes))
	for i, id := range ids {
		set[i] = id
		size += 2*len(id) + 4 // quoted, escaped at worst, and a separator
	}
	// The IDs are part of the query's text: let the server parse it all.
	if size > defaultMaxQuerySize/2 {
		ctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_query_size": 2 * size}))
	}
	rows, err := s.conn.Query(ctx, mustQuery(s.q, qPostHashes), clickhouse.GroupSet{Value: set})
	if err != nil {
		return nil, fmt.Errorf("reading post hashes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h uint64
		if err := rows.Scan(&id, &h); err != nil {
			return nil, fmt.Errorf("reading post hashes: %w", err)
		}
		out[id] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading post hashes: %w", err)
	}
	return out, nil
}
