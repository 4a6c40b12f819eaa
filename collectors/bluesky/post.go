package bluesky

import (
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// searchResult is app.bsky.feed.searchPosts's answer.
type searchResult struct {
	Cursor string     `json:"cursor"`
	Posts  []postView `json:"posts"`
}

// profilesResult is app.bsky.actor.getProfiles's answer.
type profilesResult struct {
	Profiles []struct {
		DID            string `json:"did"`
		FollowersCount int64  `json:"followersCount"`
	} `json:"profiles"`
}

// postView is the part of app.bsky.feed.defs#postView the collector reads.
type postView struct {
	URI    string `json:"uri"`
	Author struct {
		DID         string `json:"did"`
		Handle      string `json:"handle"`
		DisplayName string `json:"displayName"`
	} `json:"author"`
	Record    record `json:"record"`
	IndexedAt string `json:"indexedAt"`
}

// record is the part of an app.bsky.feed.post record the collector reads.
type record struct {
	Text      string   `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs"`
	Reply     *struct {
		Parent ref `json:"parent"`
	} `json:"reply"`
	Embed *struct {
		Type   string `json:"$type"`
		Record *ref   `json:"record"`
	} `json:"embed"`
}

// ref is a com.atproto.repo.strongRef, or (in a recordWithMedia embed) an
// app.bsky.embed.record holding one.
type ref struct {
	URI    string `json:"uri"`
	Record *ref   `json:"record"`
}

const postCollection = "app.bsky.feed.post"

// post turns a post view into a Post.
func (c *Collector) post(p postView, now time.Time) earshot.Post {
	created, ok := parseTime(p.Record.CreatedAt)
	if !ok {
		if created, ok = parseTime(p.IndexedAt); !ok {
			created = now
		}
	}
	post := earshot.Post{
		ID:     earshot.PostID(Kind, p.URI),
		Source: Kind,
		Kind:   earshot.KindPost,
		URL:    webURL(p),
		Author: earshot.Author{
			ID:     p.Author.DID,
			Handle: p.Author.Handle,
			Name:   p.Author.DisplayName,
		},
		Text:        p.Record.Text,
		CreatedAt:   created,
		CollectedAt: now,
	}
	if len(p.Record.Langs) > 0 {
		post.Lang = p.Record.Langs[0]
	}
	switch {
	case p.Record.Reply != nil && p.Record.Reply.Parent.URI != "":
		post.Kind = earshot.KindReply
		post.ParentID = earshot.PostID(Kind, p.Record.Reply.Parent.URI)
	case p.Record.Embed != nil:
		if q := quoted(p.Record.Embed.Type, p.Record.Embed.Record); q != "" {
			post.ParentID = earshot.PostID(Kind, q)
		}
	}
	return post
}

// quoted returns the URI of the post a quote embeds, "" when the embed
// quotes no post (media, a link, a feed or a list).
func quoted(typ string, r *ref) string {
	if typ == "app.bsky.embed.recordWithMedia" && r != nil {
		r = r.Record
	} else if typ != "app.bsky.embed.record" {
		return ""
	}
	if r == nil {
		return ""
	}
	if _, collection, _, ok := splitATURI(r.URI); ok && collection == postCollection {
		return r.URI
	}
	return ""
}

// webURL is the post's address on bsky.app, by handle (by DID when the
// handle does not verify).
func webURL(p postView) string {
	did, collection, rkey, ok := splitATURI(p.URI)
	if !ok || collection != postCollection {
		return ""
	}
	who := p.Author.Handle
	if who == "" || who == "handle.invalid" {
		who = did
	}
	return "https://bsky.app/profile/" + who + "/post/" + rkey
}

// splitATURI splits "at://did/collection/rkey".
func splitATURI(u string) (did, collection, rkey string, ok bool) {
	rest, found := strings.CutPrefix(u, "at://")
	if !found {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// sortAt is the post's place in search results, as the AppView orders
// them: the earlier of createdAt and indexedAt (a post dated in the future
// sorts at when it was indexed), to the millisecond.
func (p postView) sortAt() (time.Time, bool) {
	created, okC := parseTime(p.Record.CreatedAt)
	indexed, okI := parseTime(p.IndexedAt)
	switch {
	case okC && okI:
		if indexed.Before(created) {
			return indexed, true
		}
		return created, true
	case okC:
		return created, true
	case okI:
		return indexed, true
	}
	return time.Time{}, false
}

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC().Truncate(time.Millisecond), true
}

// formatTime writes a time as the API's since and until take it.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
