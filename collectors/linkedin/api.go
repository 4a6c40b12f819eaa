package linkedin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// list is a Rest.li collection: a page of posts or comments.
//
//	{"paging":{"start":0,"count":50,"total":3,"links":[…]},"elements":[…]}
type list[T any] struct {
	Paging struct {
		Start int  `json:"start"`
		Count int  `json:"count"`
		Total *int `json:"total"`
	} `json:"paging"`
	Elements []T `json:"elements"`
}

// last reports whether the page read from start, asking count, is the
// last.
func (l list[T]) last(start, count int) bool {
	if t := l.Paging.Total; t != nil {
		return start+len(l.Elements) >= *t || len(l.Elements) == 0
	}
	return len(l.Elements) < count
}

// post is one of the organization's posts (the Posts API).
type post struct {
	ID             string `json:"id"`
	Author         string `json:"author"`
	Commentary     string `json:"commentary"`
	CreatedAt      int64  `json:"createdAt"`
	PublishedAt    int64  `json:"publishedAt"`
	LastModifiedAt int64  `json:"lastModifiedAt"`
	LifecycleState string `json:"lifecycleState"`
}

// comment is a comment on a post, or on a comment (a reply, which has
// parentComment).
type comment struct {
	ID         string `json:"id"`
	CommentURN string `json:"commentUrn"`
	Actor      string `json:"actor"`
	Object     string `json:"object"`
	Message    *struct {
		Text string `json:"text"`
	} `json:"message"`
	Created struct {
		Time int64 `json:"time"`
	} `json:"created"`
	LastModified struct {
		Time int64 `json:"time"`
	} `json:"lastModified"`
	ParentComment   string `json:"parentComment"`
	CommentsSummary struct {
		AggregatedTotalComments int `json:"aggregatedTotalComments"`
		TotalFirstLevelComments int `json:"totalFirstLevelComments"`
	} `json:"commentsSummary"`
}

// replies reports whether cm has comments of its own.
func (cm comment) replies() bool {
	return cm.CommentsSummary.TotalFirstLevelComments > 0 || cm.CommentsSummary.AggregatedTotalComments > 0
}

// postURL is the page of the post urn on linkedin.com.
func postURL(urn string) string { return "https://www.linkedin.com/feed/update/" + urn + "/" }

// item is what a post or a comment has in common, for turning into a
// Post.
type item struct {
	urn, text, url, author string
	created                time.Time
	kind                   earshot.Kind
	parent                 string // URN
}

// toPost turns it into a Post; ok is false when it has no text (a
// deleted comment, an image without commentary).
func (c *Collector) toPost(it item, collected time.Time) (p earshot.Post, ok bool) {
	if it.urn == "" || strings.TrimSpace(it.text) == "" || it.created.IsZero() {
		return p, false
	}
	p = earshot.Post{
		ID:          earshot.PostID(Kind, it.urn),
		Source:      Kind,
		Kind:        it.kind,
		URL:         it.url,
		Text:        it.text,
		Author:      earshot.Author{ID: it.author},
		CreatedAt:   it.created,
		CollectedAt: collected,
		FromBrand:   it.author != "" && slices.Contains(c.brand, it.author),
	}
	if it.parent != "" {
		p.ParentID = earshot.PostID(Kind, it.parent)
	}
	return p, true
}

// millis turns a LinkedIn time (Unix milliseconds) into a time.
func millis(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// escapeURN escapes a URN for a path segment or a query value, as Rest.li
// 2.0 wants: "urn%3Ali%3Ashare%3A123".
func escapeURN(urn string) string { return url.QueryEscape(urn) }

// apiError is the body of an error answer:
//
//	{"status":401,"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"…"}
type apiError struct {
	ServiceErrorCode int    `json:"serviceErrorCode"`
	Code             string `json:"code"`
}

var codePattern = regexp.MustCompile(`^[A-Z_]{1,60}$`)

// describe adds to a *collectors.StatusError the error code of the body,
// never its message (which may echo what was sent).
func describe(err error) error {
	var se *collectors.StatusError
	if !errors.As(err, &se) {
		return err
	}
	var ae apiError
	if json.Unmarshal(se.Body, &ae) != nil || !codePattern.MatchString(ae.Code) {
		return err
	}
	return fmt.Errorf("LinkedIn API error %s (%d): %w", ae.Code, ae.ServiceErrorCode, err)
}
