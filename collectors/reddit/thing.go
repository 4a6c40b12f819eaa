package reddit

import (
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// listing is Reddit's paged list of things, the fields the collector reads:
//
//	{"kind":"Listing","data":{"after":"t3_…","before":null,"children":[{"kind":"t3","data":{…}}]}}
type listing struct {
	Kind string `json:"kind"`
	Data struct {
		After    string  `json:"after"`
		Before   string  `json:"before"`
		Children []thing `json:"children"`
	} `json:"data"`
}

// thing is a listing's child: a link (t3) or a comment (t1).
type thing struct {
	Kind string    `json:"kind"`
	Data thingData `json:"data"`
}

type thingData struct {
	// Name is the fullname, "t3_1l1abcd".
	Name           string  `json:"name"`
	Author         string  `json:"author"`
	AuthorFullname string  `json:"author_fullname"`
	CreatedUTC     float64 `json:"created_utc"`
	Permalink      string  `json:"permalink"`
	// Links.
	Title             string `json:"title"`
	Selftext          string `json:"selftext"`
	URL               string `json:"url"`
	IsSelf            bool   `json:"is_self"`
	RemovedByCategory string `json:"removed_by_category"`
	// Comments.
	Body     string `json:"body"`
	ParentID string `json:"parent_id"`
}

var fullnamePattern = regexp.MustCompile(`^t[1-6]_[0-9a-z]{1,16}$`)

// created is the second the thing was created.
func (d thingData) created() int64 { return int64(math.Floor(d.CreatedUTC)) }

// gone reports whether s is what Reddit leaves of a deleted or removed text.
func gone(s string) bool {
	s = strings.TrimSpace(s)
	return s == "[deleted]" || s == "[removed]"
}

// post turns t into a Post; ok is false for things that are not links or
// comments, and for deleted or removed ones.
func (t thing) post(collected time.Time) (p earshot.Post, ok bool) {
	d := t.Data
	if !fullnamePattern.MatchString(d.Name) || d.CreatedUTC <= 0 {
		return p, false
	}
	p = earshot.Post{
		ID:          earshot.PostID(Kind, d.Name),
		Source:      Kind,
		CreatedAt:   time.Unix(d.created(), 0).UTC(),
		CollectedAt: collected,
	}
	if strings.HasPrefix(d.Permalink, "/") {
		p.URL = "https://www.reddit.com" + d.Permalink
	}
	if d.Author != "" && d.Author != "[deleted]" {
		p.Author = earshot.Author{ID: d.AuthorFullname, Handle: d.Author, Name: d.Author}
	}
	switch t.Kind {
	case "t3":
		if d.RemovedByCategory != "" || gone(d.Selftext) || strings.TrimSpace(d.Title) == "" {
			return p, false
		}
		p.Kind = earshot.KindPost
		p.Text = d.Title
		switch {
		case strings.TrimSpace(d.Selftext) != "":
			p.Text += "\n\n" + d.Selftext
		case !d.IsSelf && d.URL != "":
			p.Text += "\n\n" + d.URL
		}
	case "t1":
		if gone(d.Body) || strings.TrimSpace(d.Body) == "" {
			return p, false
		}
		p.Kind = earshot.KindComment
		p.Text = d.Body
		if fullnamePattern.MatchString(d.ParentID) {
			p.ParentID = earshot.PostID(Kind, d.ParentID)
		}
	default:
		return p, false
	}
	return p, true
}
