package duckdb

import (
	"context"
	"fmt"
)

// PostHashes returns the content hash of the stored version of each of
// ids that is stored, in one query: the IDs go over as one list parameter
// and are joined with the posts' primary key. Posts stored before hashes
// were kept have none, and are left out.
func (s *Store) PostHashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	out := make(map[string]uint64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// IDs are stored as valid UTF-8 (see validUTF8); answer under the ID
	// asked.
	list := make([]string, len(ids))
	asked := map[string]string{}
	for i, id := range ids {
		list[i] = validUTF8(id)
		if list[i] != id {
			asked[list[i]] = id
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, content_hash FROM posts
		WHERE id IN (SELECT unnest(?::VARCHAR[])) AND content_hash <> 0`, list)
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
		if a, ok := asked[id]; ok {
			id = a
		}
		out[id] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading post hashes: %w", err)
	}
	return out, nil
}
