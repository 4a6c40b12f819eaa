package googleplay

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// reviewList is the answer of reviews.list.
type reviewList struct {
	Reviews         []review `json:"reviews"`
	TokenPagination *struct {
		NextPageToken string `json:"nextPageToken"`
	} `json:"tokenPagination"`
}

// review is one review: the user's comment and, once the developer
// answered, the developer's.
type review struct {
	ReviewID   string `json:"reviewId"`
	AuthorName string `json:"authorName"`
	Comments   []struct {
		UserComment      *userComment      `json:"userComment"`
		DeveloperComment *developerComment `json:"developerComment"`
	} `json:"comments"`
}

type userComment struct {
	// Text is the review; a title, when the user gave one, comes first,
	// followed by a tab.
	Text             string    `json:"text"`
	LastModified     timestamp `json:"lastModified"`
	StarRating       int       `json:"starRating"`
	ReviewerLanguage string    `json:"reviewerLanguage"`
	AppVersionName   string    `json:"appVersionName"`
}

type developerComment struct {
	Text         string    `json:"text"`
	LastModified timestamp `json:"lastModified"`
}

// timestamp is the API's {"seconds": "1748860000", "nanos": 0}.
type timestamp struct {
	Seconds string `json:"seconds"`
	Nanos   int64  `json:"nanos"`
}

func (t timestamp) time() (time.Time, bool) {
	s, err := strconv.ParseInt(t.Seconds, 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}, false
	}
	return time.Unix(s, t.Nanos).UTC(), true
}

// latest returns the review's latest user comment and developer comment
// (either may be nil): the list holds the user's, then the developer's
// answer, newest last.
func (r review) latest() (*userComment, *developerComment) {
	var u *userComment
	var d *developerComment
	for _, c := range r.Comments {
		if c.UserComment != nil {
			u = c.UserComment
		}
		if c.DeveloperComment != nil {
			d = c.DeveloperComment
		}
	}
	return u, d
}

// reviewText turns "title\tbody" into "title\n\nbody".
func reviewText(s string) string {
	title, body, ok := strings.Cut(s, "\t")
	if !ok {
		return strings.TrimSpace(s)
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if title == "" || body == "" {
		return title + body
	}
	return title + "\n\n" + body
}

// reviewURL is where the review shows in Google Play.
func reviewURL(pkg, id string) string {
	return "https://play.google.com/store/apps/details?" + url.Values{"id": {pkg}, "reviewId": {id}}.Encode()
}

// userPost is the user's review as a Post.
func userPost(pkg string, r review, u *userComment, at, now time.Time) earshot.Post {
	p := earshot.Post{
		ID:          earshot.PostID(Kind, r.ReviewID),
		Source:      Kind,
		Kind:        earshot.KindReview,
		URL:         reviewURL(pkg, r.ReviewID),
		Author:      earshot.Author{ID: r.AuthorName, Name: r.AuthorName},
		Text:        reviewText(u.Text),
		Lang:        strings.ReplaceAll(u.ReviewerLanguage, "_", "-"),
		CreatedAt:   at,
		CollectedAt: now,
	}
	p.AppVersion = u.AppVersionName
	if u.StarRating >= 1 && u.StarRating <= 5 {
		p.Rating = u.StarRating
	}
	return p
}

// replyPost is the developer's answer as a Post of the brand under the
// review.
func replyPost(pkg string, r review, d *developerComment, at, now time.Time) earshot.Post {
	return earshot.Post{
		ID:          earshot.PostID(Kind, r.ReviewID+"/reply"),
		Source:      Kind,
		Kind:        earshot.KindReply,
		URL:         reviewURL(pkg, r.ReviewID),
		Author:      earshot.Author{ID: pkg, Name: pkg},
		Text:        strings.TrimSpace(d.Text),
		CreatedAt:   at,
		CollectedAt: now,
		ParentID:    earshot.PostID(Kind, r.ReviewID),
		FromBrand:   true,
	}
}
