package disqus

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// listing is the answer of forums/listPosts: {"code":0,"cursor":{...},
// "response":[posts]}; on an error "response" is the message.
type listing struct {
	Code   *int `json:"code"`
	Cursor struct {
		HasNext bool   `json:"hasNext"`
		Next    string `json:"next"`
	} `json:"cursor"`
	Response json.RawMessage `json:"response"`
}

// post is one Disqus comment.
type post struct {
	ID     string `json:"id"`
	Parent flexID `json:"parent"` // a number, or null for a top-level post
	Thread thread `json:"thread"`
	Author struct {
		ID          flexID `json:"id"`
		Username    string `json:"username"`
		Name        string `json:"name"`
		IsAnonymous bool   `json:"isAnonymous"`
	} `json:"author"`
	// CreatedAt is UTC without a zone: "2025-06-02T09:02:45".
	CreatedAt  string `json:"createdAt"`
	Message    string `json:"message"`     // HTML, links through disq.us
	RawMessage string `json:"raw_message"` // what the author typed
	IsDeleted  bool   `json:"isDeleted"`
	IsSpam     bool   `json:"isSpam"`
	IsEdited   bool   `json:"isEdited"`
}

// thread is the thread a post is in: its ID, or with related=thread the
// thread itself.
type thread struct {
	ID    string `json:"id"`
	Link  string `json:"link"`
	Title string `json:"title"`
}

func (t *thread) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		type plain thread
		return json.Unmarshal(b, (*plain)(t))
	}
	var id flexID
	err := json.Unmarshal(b, &id)
	t.ID = string(id)
	return err
}

// flexID is an ID Disqus writes as a number or a string; null is empty.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexID(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = flexID(n.String())
	}
	return nil
}

func (p post) created() (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05", p.CreatedAt)
	if err != nil {
		t, err = time.Parse(time.RFC3339, p.CreatedAt)
	}
	return t.UTC(), err == nil
}

// text is what the author wrote: raw_message keeps the links as they were
// typed; message (HTML) when it is missing.
func (p post) text() string {
	if strings.TrimSpace(p.RawMessage) != "" {
		return p.RawMessage
	}
	return p.Message
}

func (p post) hash() string { return collectors.HashOf(p.text(), p.Author.Name) }

// toPost turns p into a Post.
func (p post) toPost(created, now time.Time, brand []string) earshot.Post {
	out := earshot.Post{
		ID:          earshot.PostID(Kind, p.ID),
		Source:      Kind,
		Kind:        earshot.KindComment,
		Author:      earshot.Author{ID: string(p.Author.ID), Handle: p.Author.Username, Name: p.Author.Name},
		Text:        p.text(),
		CreatedAt:   created,
		CollectedAt: now,
	}
	if out.Author.ID == "" {
		out.Author.ID = p.Author.Name // a guest
	}
	if p.Thread.Link != "" {
		out.URL = p.Thread.Link + "#comment-" + p.ID
	}
	switch {
	case p.Parent != "":
		out.ParentID = earshot.PostID(Kind, string(p.Parent))
	case p.Thread.ID != "":
		out.ParentID = earshot.PostID(Kind, "thread/"+p.Thread.ID)
	}
	if !p.Author.IsAnonymous {
		out.FromBrand = (p.Author.Username != "" && slices.Contains(brand, p.Author.Username)) ||
			(p.Author.ID != "" && slices.Contains(brand, string(p.Author.ID)))
	}
	return out
}
