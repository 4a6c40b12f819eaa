package rowcodec

import (
	"encoding/json"
	"fmt"

	"github.com/earshot/earshot"
)

// Publication returns p with its times in UTC, and as the body column
// holds it.
func Publication(p earshot.Publication) (earshot.Publication, string, error) {
	p.CreatedAt, p.PublishedAt = p.CreatedAt.UTC(), p.PublishedAt.UTC()
	body, err := json.Marshal(p)
	if err != nil {
		return p, "", fmt.Errorf("encoding publication %s: %w", p.ID, err)
	}
	return p, string(body), nil
}

// DecodePublication reads a publication's body column.
func DecodePublication(body string) (earshot.Publication, error) {
	var p earshot.Publication
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return earshot.Publication{}, fmt.Errorf("decoding a publication: %w", err)
	}
	p.CreatedAt, p.PublishedAt = p.CreatedAt.UTC(), p.PublishedAt.UTC()
	return p, nil
}
