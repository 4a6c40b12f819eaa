package facebook

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// page is one page of a Graph API edge (the feed, a post's or a comment's
// comments):
//
//	{"data":[…],"paging":{"cursors":{"before":"…","after":"…"},"next":"https://graph.facebook.com/…"}}
type page[T any] struct {
	Data   []T    `json:"data"`
	Paging paging `json:"paging"`
}

type paging struct {
	Cursors struct {
		Before string `json:"before"`
		After  string `json:"after"`
	} `json:"cursors"`
	// Next is the URL of the next page; absent on the last. It holds the
	// access token, so the collector only tests for it and pages with
	// Cursors.After.
	Next string `json:"next"`
}

// more reports whether there is a page after this one.
func (p paging) more() bool { return p.Next != "" && p.Cursors.After != "" }

// feedPost is a post of the page's feed: the page's own or a visitor's.
type feedPost struct {
	ID          string             `json:"id"`
	Message     string             `json:"message"`
	CreatedTime graphTime          `json:"created_time"`
	From        *profile           `json:"from"`
	Permalink   string             `json:"permalink_url"`
	Comments    page[graphComment] `json:"comments"`
}

// graphComment is a comment or a reply; replies carry their parent.
type graphComment struct {
	ID           string               `json:"id"`
	Message      string               `json:"message"`
	CreatedTime  graphTime            `json:"created_time"`
	From         *profile             `json:"from"`
	Parent       *struct{ ID string } `json:"parent"`
	Permalink    string               `json:"permalink_url"`
	CommentCount int                  `json:"comment_count"`
	Comments     page[graphComment]   `json:"comments"`
}

// profile is the author of a post or comment. The Graph API gives it for
// other people only when the token has pages_read_user_content.
type profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// graphTime is the Graph API's time, "2025-06-02T10:15:00+0000".
type graphTime struct{ time.Time }

func (t *graphTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("unreadable time %q", s)
}

// item is what a feed post or a comment has in common, for turning into a
// Post.
type item struct {
	id, text, url string
	from          *profile
	created       time.Time
	kind          earshot.Kind
	parent        string // Graph ID
}

// post turns it into a Post; ok is false when it has no text (a
// deleted comment, a photo without a caption, a sticker).
func (c *Collector) post(it item, collected time.Time) (p earshot.Post, ok bool) {
	if it.id == "" || strings.TrimSpace(it.text) == "" || it.created.IsZero() {
		return p, false
	}
	p = earshot.Post{
		ID:          earshot.PostID(Kind, it.id),
		Source:      Kind,
		Kind:        it.kind,
		URL:         it.url,
		Text:        it.text,
		CreatedAt:   it.created,
		CollectedAt: collected,
	}
	if it.parent != "" {
		p.ParentID = earshot.PostID(Kind, it.parent)
	}
	if it.from != nil {
		p.Author = earshot.Author{ID: it.from.ID, Name: it.from.Name}
		p.FromBrand = slices.Contains(c.Cfg.BrandAccounts, it.from.ID)
	}
	return p, true
}

// graphError is the body of a Graph API error:
//
//	{"error":{"message":"…","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"…"}}
type graphError struct {
	Error struct {
		Type    string `json:"type"`
		Code    int    `json:"code"`
		Subcode int    `json:"error_subcode"`
	} `json:"error"`
}

// rateLimitWait is how long to wait after a rate-limit error whose answer
// gives no estimate.
const rateLimitWait = 10 * time.Minute

// classify turns a Graph API error answer into the error the caller acts
// on: the rate-limit codes (4, 17, 32, 613, 80001 and the other business
// use case codes) into a *collectors.RetryAfterError, the token's (190,
// 102) and permissions' (10, 200-299) into one wrapping
// collectors.ErrUnauthorized. The message is left out: only the codes are
// kept, since a server may echo what it was sent.
func classify(err error) error {
	var se *collectors.StatusError
	if !errors.As(err, &se) {
		return err
	}
	var ge graphError
	if json.Unmarshal(se.Body, &ge) != nil || ge.Error.Code == 0 {
		return err
	}
	code := ge.Error.Code
	what := fmt.Sprintf("Graph API error %d", code)
	if ge.Error.Subcode != 0 {
		what += fmt.Sprintf(" (subcode %d)", ge.Error.Subcode)
	}
	switch {
	case code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80001 && code <= 80014):
		wait, _ := usage(se.Header)
		if wait <= 0 {
			wait = rateLimitWait
		}
		return &collectors.RetryAfterError{Source: se.Where, Status: what, Wait: wait}
	case code == 190 || code == 102 || code == 10 || (code >= 200 && code <= 299):
		return fmt.Errorf("requesting %s: %s: %s: %w", se.Where, se.Status, what, collectors.ErrUnauthorized)
	}
	return fmt.Errorf("requesting %s: %s: %s", se.Where, se.Status, what)
}

// usageCounts is one usage report: percentages of the limits used.
type usageCounts struct {
	CallCount    float64 `json:"call_count"`
	TotalCPUTime float64 `json:"total_cputime"`
	TotalTime    float64 `json:"total_time"`
	// EstimatedTimeToRegainAccess is in minutes (business use case
	// headers only).
	EstimatedTimeToRegainAccess float64 `json:"estimated_time_to_regain_access"`
}

func (u usageCounts) max() float64 { return max(u.CallCount, u.TotalCPUTime, u.TotalTime) }

// usage reads the rate-limit headers: X-App-Usage and X-Page-Usage,
// {"call_count":28,"total_time":25,"total_cputime":25}, and
// X-Business-Use-Case-Usage, {"<id>":[{"type":"pages","call_count":…,
// "estimated_time_to_regain_access":0}]}. It returns the wait the API
// estimates before access comes back and the highest percentage used.
func usage(h http.Header) (wait time.Duration, pct float64) {
	for _, name := range []string{"X-App-Usage", "X-Page-Usage"} {
		var u usageCounts
		if v := h.Get(name); v != "" && json.Unmarshal([]byte(v), &u) == nil {
			pct = max(pct, u.max())
		}
	}
	var buc map[string][]usageCounts
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" && json.Unmarshal([]byte(v), &buc) == nil {
		for _, us := range buc {
			for _, u := range us {
				pct = max(pct, u.max())
				wait = max(wait, time.Duration(u.EstimatedTimeToRegainAccess*float64(time.Minute)))
			}
		}
	}
	return min(wait, collectors.MaxRetryAfter), pct
}
