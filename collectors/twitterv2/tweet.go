package twitterv2

import (
	"net/url"
	"strconv"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors/internal/snowflake"
)

// page is one page of the recent search, as the API sends it.
type page struct {
	Data     []tweet `json:"data"`
	Includes struct {
		Users  []user  `json:"users"`
		Tweets []tweet `json:"tweets"`
	} `json:"includes"`
	// Errors are partial errors: a referenced tweet deleted or protected.
	Errors []problem `json:"errors"`
	Meta   *meta     `json:"meta"`
}

type meta struct {
	ResultCount int    `json:"result_count"`
	NewestID    string `json:"newest_id"`
	OldestID    string `json:"oldest_id"`
	NextToken   string `json:"next_token"`
}

type tweet struct {
	ID               string `json:"id"`
	Text             string `json:"text"`
	AuthorID         string `json:"author_id"`
	CreatedAt        string `json:"created_at"`
	Lang             string `json:"lang"`
	ConversationID   string `json:"conversation_id"`
	ReferencedTweets []struct {
		Type string `json:"type"` // retweeted, quoted, replied_to
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	NoteTweet *struct {
		Text string `json:"text"`
	} `json:"note_tweet"`
}

type user struct {
	ID            string `json:"id"`
	Username      string `json:"username"`
	Name          string `json:"name"`
	PublicMetrics struct {
		FollowersCount int64 `json:"followers_count"`
	} `json:"public_metrics"`
}

// problem is an error object of the API (RFC 7807 style).
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
}

func (p problem) String() string {
	s := p.Title
	if p.Detail != "" && p.Detail != p.Title {
		s += ": " + p.Detail
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// includes indexes a page's expansions by ID.
type includes struct {
	users  map[string]*user
	tweets map[string]*tweet
}

func (pg *page) index() includes {
	inc := includes{
		users:  make(map[string]*user, len(pg.Includes.Users)),
		tweets: make(map[string]*tweet, len(pg.Includes.Tweets)),
	}
	for i := range pg.Includes.Users {
		inc.users[pg.Includes.Users[i].ID] = &pg.Includes.Users[i]
	}
	for i := range pg.Includes.Tweets {
		inc.tweets[pg.Includes.Tweets[i].ID] = &pg.Includes.Tweets[i]
	}
	return inc
}

// ref returns the ID of the tweet t references as kind, or "".
func (t *tweet) ref(kind string) string {
	for _, r := range t.ReferencedTweets {
		if r.Type == kind {
			return r.ID
		}
	}
	return ""
}

// post turns a search result into a post. A retweet becomes the tweet it
// retweets, from the page's includes; ok is false when the original is not
// there (deleted, or its author's tweets are protected).
func (c *Collector) post(t *tweet, inc includes, now time.Time) (p earshot.Post, ok bool) {
	if rt := t.ref("retweeted"); rt != "" {
		if t, ok = inc.tweets[rt]; !ok {
			return p, false
		}
	}
	id, err := strconv.ParseInt(t.ID, 10, 64)
	if err != nil || id <= 0 {
		return p, false
	}
	p = earshot.Post{
		ID:          earshot.PostID(Source, t.ID),
		Source:      Source,
		Kind:        earshot.KindPost,
		Text:        t.Text,
		Lang:        lang(t.Lang),
		CollectedAt: now,
	}
	if t.NoteTweet != nil && t.NoteTweet.Text != "" {
		p.Text = t.NoteTweet.Text // text is cut at 280 characters
	}
	created, err := time.Parse(time.RFC3339, t.CreatedAt)
	if err != nil {
		created = snowflake.Time(id) // the ID knows when it was made
	}
	p.CreatedAt = created.UTC()
	p.Author = earshot.Author{ID: t.AuthorID}
	if u := inc.users[t.AuthorID]; u != nil && t.AuthorID != "" {
		p.Author = earshot.Author{ID: u.ID, Handle: u.Username, Name: u.Name, Followers: u.PublicMetrics.FollowersCount}
	}
	p.URL = statusURL(p.Author.Handle, t.ID)
	if parent := t.ref("replied_to"); parent != "" {
		p.Kind = earshot.KindReply
		p.ParentID = earshot.PostID(Source, parent)
	} else if parent := t.ref("quoted"); parent != "" {
		p.ParentID = earshot.PostID(Source, parent)
	}
	return p, true
}

// lang returns the tweet's language tag, or "" for "und" (undetermined),
// "zxx" and Twitter's private "q…" codes for tweets in no language (only
// hashtags, mentions or media).
func lang(l string) string {
	if l == "und" || l == "zxx" || (len(l) == 3 && l[0] == 'q') {
		return ""
	}
	return l
}

// statusURL is the public address of a tweet; without the author's handle,
// the /i/web/ form, which redirects to it.
func statusURL(handle, id string) string {
	if handle == "" {
		return "https://x.com/i/web/status/" + url.PathEscape(id)
	}
	return "https://x.com/" + url.PathEscape(handle) + "/status/" + url.PathEscape(id)
}
