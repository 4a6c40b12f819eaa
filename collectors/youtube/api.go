package youtube

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the quota resets at midnight Pacific time, wherever Earshot runs

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// threadList is the answer of commentThreads.list:
//
//	{"kind":"youtube#commentThreadListResponse","nextPageToken":"…","pageInfo":{…},"items":[…]}
type threadList struct {
	Kind          string          `json:"kind"`
	NextPageToken string          `json:"nextPageToken"`
	Items         []commentThread `json:"items"`
}

// commentThread is a top-level comment and some of its replies.
type commentThread struct {
	ID      string `json:"id"`
	Snippet struct {
		ChannelID       string  `json:"channelId"`
		VideoID         string  `json:"videoId"`
		TopLevelComment comment `json:"topLevelComment"`
		TotalReplyCount int     `json:"totalReplyCount"`
	} `json:"snippet"`
	// Replies holds some of the replies, not necessarily all of them.
	Replies struct {
		Comments []comment `json:"comments"`
	} `json:"replies"`
}

// commentList is the answer of comments.list.
type commentList struct {
	Kind          string    `json:"kind"`
	NextPageToken string    `json:"nextPageToken"`
	Items         []comment `json:"items"`
}

// comment is a top-level comment or a reply.
type comment struct {
	ID      string `json:"id"`
	Snippet struct {
		ChannelID         string `json:"channelId"`
		VideoID           string `json:"videoId"`
		TextDisplay       string `json:"textDisplay"`
		TextOriginal      string `json:"textOriginal"`
		AuthorDisplayName string `json:"authorDisplayName"`
		AuthorChannelID   struct {
			Value string `json:"value"`
		} `json:"authorChannelId"`
		// ParentID is the top-level comment a reply answers.
		ParentID    string    `json:"parentId"`
		PublishedAt time.Time `json:"publishedAt"`
		UpdatedAt   time.Time `json:"updatedAt"`
	} `json:"snippet"`
}

// post turns cm into a Post. video is the video of its thread, parent
// the native ID of what it answers (the video, for a top-level comment).
// ok is false when it has no text.
func (c *Collector) post(cm comment, video, parent string, collected time.Time) (p earshot.Post, ok bool) {
	s := cm.Snippet
	text := s.TextOriginal // given to the channel's owner; textDisplay otherwise
	if text == "" {
		text = s.TextDisplay
	}
	if cm.ID == "" || strings.TrimSpace(text) == "" || s.PublishedAt.IsZero() {
		return p, false
	}
	if s.VideoID != "" {
		video = s.VideoID
	}
	p = earshot.Post{
		ID:          earshot.PostID(Kind, cm.ID),
		Source:      Kind,
		Kind:        earshot.KindComment,
		Text:        text,
		CreatedAt:   s.PublishedAt.UTC(),
		CollectedAt: collected,
		Author:      earshot.Author{ID: s.AuthorChannelID.Value, Name: s.AuthorDisplayName},
		FromBrand:   s.AuthorChannelID.Value != "" && slices.Contains(c.Cfg.BrandAccounts, s.AuthorChannelID.Value),
	}
	if h, ok := strings.CutPrefix(s.AuthorDisplayName, "@"); ok {
		p.Author.Handle = h
	}
	if video != "" {
		p.URL = "https://www.youtube.com/watch?v=" + video + "&lc=" + cm.ID
	}
	if parent != "" {
		p.ParentID = earshot.PostID(Kind, parent)
	}
	return p, true
}

// apiError is the body of an error answer:
//
//	{"error":{"code":403,"message":"…","errors":[{"message":"…","domain":"youtube.quota","reason":"quotaExceeded"}]}}
type apiError struct {
	Error struct {
		Code   int `json:"code"`
		Errors []struct {
			Domain string `json:"domain"`
			Reason string `json:"reason"`
		} `json:"errors"`
		// Details says more in newer answers: {"reason":"API_KEY_INVALID"}.
		Details []struct {
			Reason string `json:"reason"`
		} `json:"details"`
	} `json:"error"`
}

// pacific is where the daily quota resets, at midnight.
var pacific = func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return loc
}()

// quotaReset returns how long until the daily quota resets: midnight in
// Pacific time.
func quotaReset(now time.Time) time.Duration {
	t := now.In(pacific)
	midnight := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, pacific)
	return midnight.Sub(now)
}

// rateLimitWait is how long to wait after a short-term rate limit that
// says nothing of when to retry.
const rateLimitWait = time.Minute

// classify turns an error answer into the error the caller acts on: the
// daily quota used up (quotaExceeded, dailyLimitExceeded) into a
// *collectors.RetryAfterError until the quota resets; a short-term limit
// (rateLimitExceeded, userRateLimitExceeded) into one for Retry-After or a
// minute; a refused key (keyInvalid, keyExpired) into one wrapping
// collectors.ErrUnauthorized, as 401 and the other 403s already are. Only
// the reason is kept of the body: the message may echo the request.
func classify(err error, now time.Time) error {
	var se *collectors.StatusError
	if !errors.As(err, &se) {
		return err
	}
	var ae apiError
	if json.Unmarshal(se.Body, &ae) != nil || len(ae.Error.Errors) == 0 {
		return err
	}
	reason := ae.Error.Errors[0].Reason
	for _, d := range ae.Error.Details {
		if strings.HasPrefix(d.Reason, "API_KEY_") {
			reason = "keyInvalid"
		}
	}
	what := "YouTube API error " + reason
	switch reason {
	case "quotaExceeded", "dailyLimitExceeded":
		return &collectors.RetryAfterError{Source: se.Where, Status: what, Wait: quotaReset(now)}
	case "rateLimitExceeded", "userRateLimitExceeded":
		wait := collectors.RateLimitWait(se.Header, now)
		if wait <= 0 {
			wait = rateLimitWait
		}
		return &collectors.RetryAfterError{Source: se.Where, Status: what, Wait: wait}
	case "keyInvalid", "keyExpired", "authError", "forbidden", "insufficientPermissions":
		return fmt.Errorf("requesting %s: %s: %s: %w", se.Where, se.Status, what, collectors.ErrUnauthorized)
	}
	if se.Code == http.StatusUnauthorized || se.Code == http.StatusForbidden {
		return fmt.Errorf("requesting %s: %s: %s: %w", se.Where, se.Status, what, collectors.ErrUnauthorized)
	}
	return fmt.Errorf("requesting %s: %s: %s", se.Where, se.Status, what)
}
