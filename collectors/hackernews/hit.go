package hackernews

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// searchResult is the body of /search_by_date, the fields the collector
// reads.
type searchResult struct {
	Hits        []hit `json:"hits"`
	NbHits      int   `json:"nbHits"`
	Page        int   `json:"page"`
	NbPages     int   `json:"nbPages"`
	HitsPerPage int   `json:"hitsPerPage"`
}

// hit is one story or comment of a search result. Algolia leaves the
// fields a kind lacks null (a comment's title, a story's comment_text).
type hit struct {
	ObjectID    string   `json:"objectID"`
	CreatedAtI  int64    `json:"created_at_i"`
	Author      string   `json:"author"`
	Title       string   `json:"title"`
	URL         string   `json:"url"`
	StoryText   string   `json:"story_text"`
	CommentText string   `json:"comment_text"`
	ParentID    itemID   `json:"parent_id"`
	Tags        []string `json:"_tags"`
}

// itemID is an HN item ID, which Algolia writes as a number (parent_id,
// story_id) but which the collector also accepts as a string.
type itemID string

func (id *itemID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*id = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = itemID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*id = itemID(n.String())
	return nil
}

// numeric reports whether s is an HN item ID: digits only.
func numeric(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// post turns h into a Post; ok is false for a hit that is not a usable
// story or comment (no ID, no time, no text: deleted or dead items).
func (h hit) post(collected time.Time) (p earshot.Post, ok bool) {
	if !numeric(h.ObjectID) || h.CreatedAtI <= 0 {
		return p, false
	}
	p = earshot.Post{
		ID:          earshot.PostID(Kind, h.ObjectID),
		Source:      Kind,
		URL:         "https://news.ycombinator.com/item?id=" + h.ObjectID,
		Author:      earshot.Author{ID: h.Author, Handle: h.Author},
		CreatedAt:   time.Unix(h.CreatedAtI, 0).UTC(),
		CollectedAt: collected,
	}
	if slices.Contains(h.Tags, "comment") || (h.CommentText != "" && h.Title == "") {
		if strings.TrimSpace(h.CommentText) == "" {
			return p, false
		}
		p.Kind = earshot.KindComment
		p.Text = h.CommentText
		if pid := string(h.ParentID); numeric(pid) {
			p.ParentID = earshot.PostID(Kind, pid)
		}
		return p, true
	}
	if strings.TrimSpace(h.Title) == "" {
		return p, false
	}
	p.Kind = earshot.KindArticle
	p.Text = h.Title
	switch {
	case strings.TrimSpace(h.StoryText) != "":
		p.Text += "\n\n" + h.StoryText
	case h.URL != "":
		p.Text += "\n\n" + h.URL
	}
	return p, true
}
