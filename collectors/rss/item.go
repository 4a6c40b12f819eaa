package rss

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// post turns a feed item into a Post, and returns the item's cursor key.
func (c *Collector) post(feed *gofeed.Feed, it *gofeed.Item, now time.Time) (earshot.Post, string) {
	native := c.nativeID(it)
	p := earshot.Post{
		ID:          earshot.PostID(c.Cfg.Source, native),
		Source:      c.Cfg.Source,
		Kind:        c.Cfg.Kind,
		URL:         c.link(it),
		Author:      author(feed, it, c.Cfg.Kind),
		Text:        text(it, c.Cfg.Kind),
		Lang:        lang(feed.Language),
		CreatedAt:   itemTime(it),
		CollectedAt: now,
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	version := ""
	if it.UpdatedParsed != nil {
		version = it.UpdatedParsed.UTC().Format(time.RFC3339Nano)
	}
	return p, hash(native, version)[:16]
}

// nativeID picks the item's identifier: its GUID (Atom id, JSON Feed id),
// else its link, else a hash of its content. A GUID that is not an absolute
// URI ("42", "/?p=7#comment-9") is scoped by the feed's URL, so that two
// feeds sharing a source cannot collide.
func (c *Collector) nativeID(it *gofeed.Item) string {
	if guid := clean(it.GUID); guid != "" {
		if u, err := url.Parse(guid); err == nil && u.Scheme != "" {
			return guid
		}
		if strings.HasPrefix(guid, "/") && !strings.HasPrefix(guid, "//") {
			if u, err := url.Parse(guid); err == nil {
				return c.url.ResolveReference(u).String()
			}
		}
		return c.url.Host + c.url.EscapedPath() + "#" + guid
	}
	if link := c.resolve(clean(it.Link)); link != "" {
		return link
	}
	published := ""
	if it.PublishedParsed != nil {
		published = it.PublishedParsed.UTC().Format(time.RFC3339Nano)
	}
	return "sha256:" + hash(c.url.String(), clean(it.Title), clean(it.Description), clean(it.Content), published)[:32]
}

// link is the item's web address: its link, else its GUID when that is a
// URL (RSS GUIDs are permalinks by default, Atom ids often are).
func (c *Collector) link(it *gofeed.Item) string {
	if l := c.resolve(clean(it.Link)); l != "" {
		return l
	}
	if guid := clean(it.GUID); strings.HasPrefix(guid, "http://") || strings.HasPrefix(guid, "https://") {
		return c.resolve(guid)
	}
	return ""
}

// resolve makes a link absolute against the feed's URL (a static export
// may leave them relative). Only http and https links are kept: a
// "javascript:" link in a hostile feed must never reach a dashboard.
func (c *Collector) resolve(link string) string {
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	u = c.url.ResolveReference(u)
	if !collectors.WebURL(u) {
		return ""
	}
	return u.String()
}

// text is what the item says, markup and all (the pipeline normalizes it):
// the title and the body for articles, the body alone for comments, whose
// titles are "Comment on <post> by <author>".
func text(it *gofeed.Item, kind earshot.Kind) string {
	title := strings.TrimSpace(clean(it.Title))
	body := strings.TrimSpace(clean(it.Content))
	if body == "" {
		body = strings.TrimSpace(clean(it.Description))
	}
	switch {
	case body == "":
		return title
	case title == "" || kind == earshot.KindComment:
		return body
	}
	return title + "\n\n" + body
}

// author is the item's first author, else (for articles) the feed's. The
// ID is the email when there is one, else the name. A comment with no
// author takes the name from a WordPress "Comment on X by Y" title.
func author(feed *gofeed.Feed, it *gofeed.Item, kind earshot.Kind) earshot.Author {
	p := firstPerson(it.Authors)
	if p == nil && kind != earshot.KindComment {
		p = firstPerson(feed.Authors)
	}
	var a earshot.Author
	if p != nil {
		a.Name = strings.TrimSpace(clean(p.Name))
		a.ID = strings.TrimSpace(clean(p.Email))
	}
	if a.Name == "" && a.ID == "" && kind == earshot.KindComment {
		a.Name = commenter(clean(it.Title))
	}
	if a.ID == "" {
		a.ID = a.Name
	}
	return a
}

func firstPerson(people []*gofeed.Person) *gofeed.Person {
	for _, p := range people {
		if p != nil && (p.Name != "" || p.Email != "") {
			return p
		}
	}
	return nil
}

// commenter reads Y from a WordPress comment title "Comment on X by Y".
func commenter(title string) string {
	title = strings.TrimSpace(title)
	if !strings.HasPrefix(title, "Comment on ") {
		return ""
	}
	i := strings.LastIndex(title, " by ")
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(title[i+len(" by "):])
}

// itemTime is when the item was published, else updated, in UTC; zero if
// the feed says neither.
func itemTime(it *gofeed.Item) time.Time {
	switch {
	case it.PublishedParsed != nil:
		return it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		return it.UpdatedParsed.UTC()
	}
	return time.Time{}
}

// lang tidies a feed's language into a BCP 47 tag's usual case: "en-us"
// becomes "en-US", "zh_hant_tw" becomes "zh-Hant-TW". Anything that does
// not look like a tag is dropped.
func lang(s string) string {
	s = strings.TrimSpace(clean(s))
	if s == "" || len(s) > 35 {
		return ""
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	for i, p := range parts {
		for _, r := range p {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return ""
			}
		}
		switch {
		case i == 0:
			p = strings.ToLower(p)
		case len(p) == 2:
			p = strings.ToUpper(p)
		case len(p) == 4:
			p = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		default:
			p = strings.ToLower(p)
		}
		parts[i] = p
	}
	return strings.Join(parts, "-")
}

// clean makes s valid UTF-8: the parser passes through what JSON feeds
// and odd encodings give it.
func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

func hash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
