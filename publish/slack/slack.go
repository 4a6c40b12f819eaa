// Package slack announces incident updates in a Slack channel with
// chat.postMessage (a bot token); later updates go in the first one's
// thread (thread_ts). The message's address is asked of
// chat.getPermalink.
package slack

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/earshot/earshot/publish"
)

// DefaultBaseURL is Slack's Web API.
const DefaultBaseURL = "https://slack.com/api"

// DefaultLimit is the text length Slack advises for a message, in code
// points.
const DefaultLimit = 4000

func init() { publish.Register("slack", New) }

// Channel is one Slack channel.
type Channel struct {
	publish.Endpoint
	channel, token string
}

// New returns the channel for c: channel (its ID) and token (a bot token
// with chat:write) are required.
func New(c publish.ChannelConfig, d publish.Deps) (publish.Channel, error) {
	if c.Channel == "" {
		return nil, errors.New("channel: required (the Slack channel's ID)")
	}
	token, err := publish.RequiredSecret(c.Token, d, "token: required (a bot token, as env:NAME)")
	if err != nil {
		return nil, err
	}
	e, err := publish.NewEndpoint("slack", c, d, DefaultBaseURL, DefaultLimit, publish.Runes)
	if err != nil {
		return nil, err
	}
	return &Channel{Endpoint: e, channel: c.Channel, token: token}, nil
}

type postMessage struct {
	Channel     string `json:"channel"`
	Text        string `json:"text"`
	ThreadTS    string `json:"thread_ts,omitempty"`
	UnfurlLinks bool   `json:"unfurl_links"`
}

type answer struct {
	OK        bool   `json:"ok"`
	Error     string `json:"error"`
	TS        string `json:"ts"`
	Permalink string `json:"permalink"`
}

// Send posts m in the channel, in m.Root's thread when set. A permalink
// Slack does not give leaves the URL empty; the message is still sent.
func (c *Channel) Send(ctx context.Context, m publish.Message) (publish.Result, error) {
	h := http.Header{"Authorization": {"Bearer " + c.token}}
	var out answer
	req := postMessage{Channel: c.channel, Text: m.Text, ThreadTS: m.Root}
	if err := publish.DoJSON(ctx, c.Client, "slack", http.MethodPost, c.Base+"/chat.postMessage", h, req, &out, nil); err != nil {
		return publish.Result{}, err
	}
	if !out.OK || out.TS == "" {
		return publish.Result{}, errors.New("slack: chat.postMessage answered " + cmp.Or(out.Error, "no message ts"))
	}
	res := publish.Result{RemoteID: out.TS}
	var link answer
	q := url.Values{"channel": {c.channel}, "message_ts": {out.TS}}
	if err := publish.DoJSON(ctx, c.Client, "slack", http.MethodGet, c.Base+"/chat.getPermalink?"+q.Encode(), h, nil, &link, nil); err == nil && link.OK {
		res.URL = link.Permalink
	}
	return res, nil
}
