package clickhouse

import (
	"context"
	"fmt"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// defaultMaxQuerySize is the server's default max_query_size: the most of
// a SELECT's text it parses.
const defaultMaxQuerySize = 256 << 10

// PostHashes returns the content hash of the stored version of each of ids
// that is stored, in one query per maxStateIDs IDs: the hash of the
// version as SavePosts was given it (an incident link kept from an earlier
// version or set by LinkPosts is not part of it). Posts saved before
// hashes were kept have none, and are left out.
func (s *Store) PostHashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	out := make(map[string]uint64, len(ids))
	for part := range slices.Chunk(ids, maxStateIDs) {
		if err := s.addPostHashes(ctx, out, part); err != nil {
			return nil, fmt.Errorf("reading post hashes: %w", err)
		}
	}
	return out, nil
}

func (s *Store) addPostHashes(ctx context.Context, out map[string]uint64, ids []string) error {
	set := make([]any, len(ids))
	for i, id := range ids {
		set[i] = id
	}
	// The IDs are part of the query's text: let the server parse it all.
	query := mustQuery(s.q, qPostHashes)
	rows, err := s.conn.Query(idSetContext(ctx, query, set), query, clickhouse.GroupSet{Value: set})
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h uint64
		if err := rows.Scan(&id, &h); err != nil {
			return err
		}
		out[id] = h
	}
	return rows.Err()
}
