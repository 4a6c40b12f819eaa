package rowcodec

import "github.com/earshot/earshot"

// Publication returns p with its times in UTC, and as the body column
// holds it.
func Publication(p earshot.Publication) (earshot.Publication, string, error) {
	p.CreatedAt, p.PublishedAt = p.CreatedAt.UTC(), p.PublishedAt.UTC()
	return body(p, "publication", p.ID)
}

// DecodePublication reads a publication's body column.
func DecodePublication(body string) (earshot.Publication, error) {
	p, err := decodeBody[earshot.Publication](body, "a publication")
	if err != nil {
		return p, err
	}
	p.CreatedAt, p.PublishedAt = p.CreatedAt.UTC(), p.PublishedAt.UTC()
	return p, nil
}
