package earshot

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// PostRecord is a post in Earshot's exchange format, used by `earshot
// import`, the push API and `earshot replay`: one JSON object per post.
// id, source, text and created_at are required.
type PostRecord struct {
	ID        string  `json:"id"`
	Source    string  `json:"source"`
	Text      *string `json:"text"`
	CreatedAt string  `json:"created_at"`
	Kind      string  `json:"kind,omitempty"`
	URL       string  `json:"url,omitempty"`
	Lang      string  `json:"lang,omitempty"`
	ParentID  string  `json:"parent_id,omitempty"`
	// Rating is a review's stars, 1 to 5 (0 or absent: none).
	Rating int          `json:"rating,omitempty"`
	Author RecordAuthor `json:"author,omitzero"`
}

// RecordAuthor is the optional author of a PostRecord.
type RecordAuthor struct {
	ID        string `json:"id,omitempty"`
	Handle    string `json:"handle,omitempty"`
	Name      string `json:"name,omitempty"`
	Followers int64  `json:"followers,omitempty"`
}

// Post turns the record into a Post, or says in plain words why it cannot
// ("missing text", "created_at \"x\" is not an RFC 3339 time"). An id
// without its source prefix gets one.
func (r PostRecord) Post() (Post, error) {
	switch {
	case r.ID == "":
		return Post{}, errors.New("missing id")
	case r.Source == "":
		return Post{}, errors.New("missing source")
	case strings.ContainsAny(r.Source, ": \t\n"):
		return Post{}, fmt.Errorf("source %q may not hold a colon or white space", r.Source)
	case r.Text == nil || strings.TrimSpace(*r.Text) == "":
		return Post{}, errors.New("missing text")
	case r.CreatedAt == "":
		return Post{}, errors.New("missing created_at")
	}
	created, err := time.Parse(time.RFC3339, r.CreatedAt)
	if err != nil {
		return Post{}, fmt.Errorf("created_at %q is not an RFC 3339 time", r.CreatedAt)
	}
	kind := Kind(r.Kind)
	if kind == "" {
		kind = KindPost
	}
	if !kind.Valid() {
		return Post{}, fmt.Errorf("kind %q is not one of post, reply, comment, article, review", r.Kind)
	}
	if r.Rating < 0 || r.Rating > 5 {
		return Post{}, fmt.Errorf("rating %d is not between 1 and 5", r.Rating)
	}
	if r.Author.Followers < 0 {
		return Post{}, fmt.Errorf("author followers %d is negative", r.Author.Followers)
	}
	id := r.ID
	if !strings.HasPrefix(id, r.Source+":") {
		id = PostID(r.Source, id)
	}
	return Post{
		ID: id, Source: r.Source, Kind: kind, URL: r.URL, Lang: r.Lang, Text: *r.Text,
		CreatedAt: created, ParentID: r.ParentID, Rating: r.Rating,
		Author: Author{ID: r.Author.ID, Handle: r.Author.Handle, Name: r.Author.Name, Followers: r.Author.Followers},
	}, nil
}
