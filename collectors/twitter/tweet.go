package twitter

import (
	"net/url"
	"time"

	gotwitter "github.com/dghubble/go-twitter/twitter"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors/internal/snowflake"
)

// post turns a search result into a post. A retweet becomes the tweet it
// retweets: the retweet adds no words, and its original is what people
// react to. ok is false for a tweet without an ID.
func (c *Collector) post(t *gotwitter.Tweet, now time.Time) (p earshot.Post, ok bool) {
	if t.RetweetedStatus != nil {
		t = t.RetweetedStatus
	}
	id := tweetID(t)
	if id <= 0 {
		return p, false
	}
	native := snowflake.Format(id)
	p = earshot.Post{
		ID:          earshot.PostID(Source, native),
		Source:      Source,
		Kind:        earshot.KindPost,
		Text:        fullText(t),
		Lang:        lang(t.Lang),
		CollectedAt: now,
	}
	created, err := t.CreatedAtTime()
	if err != nil {
		created = snowflake.Time(id) // the ID knows when it was made
	}
	p.CreatedAt = created.UTC()
	handle := ""
	if u := t.User; u != nil {
		handle = u.ScreenName
		p.Author = earshot.Author{ID: u.IDStr, Handle: u.ScreenName, Name: u.Name, Followers: int64(u.FollowersCount)}
		if p.Author.ID == "" && u.ID != 0 {
			p.Author.ID = snowflake.Format(u.ID)
		}
	}
	p.URL = statusURL(handle, native)
	switch {
	case t.InReplyToStatusIDStr != "" || t.InReplyToStatusID != 0:
		p.Kind = earshot.KindReply
		parent := t.InReplyToStatusIDStr
		if parent == "" {
			parent = snowflake.Format(t.InReplyToStatusID)
		}
		p.ParentID = earshot.PostID(Source, parent)
	case t.QuotedStatusIDStr != "" || t.QuotedStatusID != 0:
		parent := t.QuotedStatusIDStr
		if parent == "" {
			parent = snowflake.Format(t.QuotedStatusID)
		}
		p.ParentID = earshot.PostID(Source, parent)
	}
	return p, true
}

// fullText returns a tweet's whole text: full_text in extended mode, else
// the extended_tweet of compatibility mode, else the (perhaps truncated)
// text.
func fullText(t *gotwitter.Tweet) string {
	switch {
	case t.FullText != "":
		return t.FullText
	case t.ExtendedTweet != nil && t.ExtendedTweet.FullText != "":
		return t.ExtendedTweet.FullText
	}
	return t.Text
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
		return "https://x.com/i/web/status/" + id
	}
	return "https://x.com/" + url.PathEscape(handle) + "/status/" + id
}
