package wordpress

import (
	"slices"
	"strconv"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// fields is the _fields parameter: the parts of a comment the collector
// reads, so that WordPress sends nothing more.
const fields = "id,post,parent,author,author_name,author_url,date_gmt,content,link,status,type"

// comment is one comment as /wp-json/wp/v2/comments returns it.
type comment struct {
	ID         int64  `json:"id"`
	Post       int64  `json:"post"`
	Parent     int64  `json:"parent"`
	Author     int64  `json:"author"` // the user ID; 0 for a guest
	AuthorName string `json:"author_name"`
	AuthorURL  string `json:"author_url"`
	// DateGMT is the creation time in UTC, without a zone:
	// "2025-06-02T11:02:45".
	DateGMT string `json:"date_gmt"`
	Content struct {
		Rendered string `json:"rendered"`
	} `json:"content"`
	Link string `json:"link"`
	// Status is "approved", or with credentials "hold", "spam", "trash".
	Status string `json:"status"`
	Type   string `json:"type"`
}

// created returns the comment's creation time, or false when date_gmt does
// not read.
func (c comment) created() (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05", c.DateGMT)
	if err != nil {
		t, err = time.Parse(time.RFC3339, c.DateGMT)
	}
	return t.UTC(), err == nil
}

// gone reports whether the comment was removed: spam or in the trash (only
// an authenticated request sees those).
func (c comment) gone() bool { return c.Status == "spam" || c.Status == "trash" }

// hash is what the cursor keeps of the comment's version: an edit of the
// text or the name changes it.
func (c comment) hash() string {
	return collectors.HashOf(c.Content.Rendered, c.AuthorName, c.AuthorURL)
}

// post turns c into a Post of site (the site's key, "blog.acme.test").
func (c comment) post(site string, created, now time.Time, brand []int64) earshot.Post {
	p := earshot.Post{
		ID:          earshot.PostID(Kind, site+"/comment/"+strconv.FormatInt(c.ID, 10)),
		Source:      Kind,
		Kind:        earshot.KindComment,
		URL:         c.Link,
		Author:      earshot.Author{ID: c.AuthorName, Name: c.AuthorName},
		Text:        c.Content.Rendered,
		CreatedAt:   created,
		CollectedAt: now,
		FromBrand:   c.Author != 0 && slices.Contains(brand, c.Author),
	}
	if c.Author != 0 {
		p.Author.ID = strconv.FormatInt(c.Author, 10)
	}
	switch {
	case c.Parent != 0:
		p.ParentID = earshot.PostID(Kind, site+"/comment/"+strconv.FormatInt(c.Parent, 10))
	case c.Post != 0:
		p.ParentID = earshot.PostID(Kind, site+"/post/"+strconv.FormatInt(c.Post, 10))
	}
	return p
}
