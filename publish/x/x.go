// Package x publishes incident updates as posts on an X account through
// the v2 API (POST /2/tweets) with an OAuth 2 user access token; a later
// update answers the latest one (reply.in_reply_to_tweet_id).
package x

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/earshot/earshot/publish"
)

// DefaultBaseURL is X's API.
const DefaultBaseURL = "https://api.x.com"

// DefaultLimit is X's post length in weighted characters.
const DefaultLimit = 280

func init() { publish.Register("x", New) }

// Channel is one X account.
type Channel struct {
	publish.Endpoint
	token string
}

// New returns the channel for c: token (an OAuth 2 user access token with
// tweet.write) is required.
func New(c publish.ChannelConfig, d publish.Deps) (publish.Channel, error) {
	token, err := publish.RequiredSecret(c.Token, d, "token: required (an OAuth 2 user access token, as env:NAME)")
	if err != nil {
		return nil, err
	}
	e, err := publish.NewEndpoint("x", c, d, DefaultBaseURL, DefaultLimit, publish.Weighted)
	if err != nil {
		return nil, err
	}
	return &Channel{Endpoint: e, token: token}, nil
}

type tweetRequest struct {
	Text  string `json:"text"`
	Reply *reply `json:"reply,omitempty"`
}

type reply struct {
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
}

// Send posts m, answering m.Parent when set.
func (c *Channel) Send(ctx context.Context, m publish.Message) (publish.Result, error) {
	req := tweetRequest{Text: m.Text}
	if m.Parent != "" {
		req.Reply = &reply{InReplyToTweetID: m.Parent}
	}
	var out struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
			Detail  string `json:"detail"`
		} `json:"errors"`
	}
	h := http.Header{"Authorization": {"Bearer " + c.token}}
	if err := publish.DoJSON(ctx, c.Client, "x", http.MethodPost, c.Base+"/2/tweets", h, req, &out, message); err != nil {
		return publish.Result{}, err
	}
	if out.Data.ID == "" {
		msg := "the answer has no post id"
		if len(out.Errors) > 0 {
			msg = cmp.Or(out.Errors[0].Detail, out.Errors[0].Message)
		}
		return publish.Result{}, errors.New("x: " + msg)
	}
	return publish.Result{RemoteID: out.Data.ID, URL: "https://x.com/i/web/status/" + url.PathEscape(out.Data.ID)}, nil
}

// message reads X's error answer, a problem ({"title", "detail"}) or
// {"errors": [{"message"}]}.
func message(b []byte) string {
	var e struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(b, &e)
	if e.Detail != "" {
		return e.Detail
	}
	if len(e.Errors) > 0 {
		return e.Errors[0].Message
	}
	return e.Title
}
