package mastodon

import (
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// status is the part of Mastodon's Status entity the collector reads.
// Fields the server sends as null decode as empty.
type status struct {
	// ID is local to the instance that answers: the same status has
	// another ID on another instance.
	ID string `json:"id"`
	// URI is the status's ActivityPub ID, the same on every instance.
	URI         string  `json:"uri"`
	URL         string  `json:"url"`
	CreatedAt   string  `json:"created_at"`
	InReplyToID string  `json:"in_reply_to_id"`
	Language    string  `json:"language"`
	Content     string  `json:"content"`
	Reblog      *status `json:"reblog"`
	Account     account `json:"account"`
}

type account struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"`
	DisplayName    string `json:"display_name"`
	URL            string `json:"url"`
	FollowersCount int64  `json:"followers_count"`
}

// searchResult is GET /api/v2/search's answer.
type searchResult struct {
	Statuses []status `json:"statuses"`
}

// post turns a status (an original, never a boost) into a Post.
func (c *Collector) post(st status, now time.Time) earshot.Post {
	native := st.URI
	if native == "" {
		native = st.URL
	}
	if native == "" {
		native = c.base + "/statuses/" + st.ID
	}
	u := st.URL
	if u == "" && strings.HasPrefix(st.URI, "http") {
		u = st.URI
	}
	created, ok := parseTime(st.CreatedAt)
	if !ok {
		created = now
	}
	kind := earshot.KindPost
	if st.InReplyToID != "" {
		kind = earshot.KindReply
	}
	return earshot.Post{
		ID:          earshot.PostID(Kind, native),
		Source:      Kind,
		Kind:        kind,
		URL:         u,
		Author:      c.author(st.Account),
		Text:        st.Content,
		Lang:        st.Language,
		CreatedAt:   created,
		CollectedAt: now,
	}
}

// author identifies an account the same way whichever instance shows it:
// by its profile URL, else by user@domain.
func (c *Collector) author(a account) earshot.Author {
	handle := a.Acct
	if handle != "" && !strings.Contains(handle, "@") {
		handle += "@" + c.host // a local account: acct has no domain
	}
	id := a.URL
	if id == "" {
		id = handle
	}
	return earshot.Author{
		ID:        id,
		Handle:    handle,
		Name:      a.DisplayName,
		Followers: a.FollowersCount,
	}
}

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
