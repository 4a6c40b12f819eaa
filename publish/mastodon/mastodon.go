// Package mastodon publishes incident updates as statuses on a Mastodon
// account (POST /api/v1/statuses with a bearer access token); a later
// update answers the latest one (in_reply_to_id), so they form a thread.
package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/earshot/earshot/publish"
)

// DefaultLimit is Mastodon's default status length, in characters
// (grapheme clusters).
const DefaultLimit = 500

func init() { publish.Register("mastodon", New) }

// Channel is one Mastodon account.
type Channel struct {
	publish.Endpoint
	token string
}

// New returns the channel for c: base_url (the instance) and token (an
// access token with the write:statuses scope) are required.
func New(c publish.ChannelConfig, d publish.Deps) (publish.Channel, error) {
	if c.BaseURL == "" {
		return nil, errors.New("base_url: required (the instance, e.g. https://mastodon.social)")
	}
	e, err := publish.NewEndpoint("mastodon", c, d, "", DefaultLimit, publish.Graphemes)
	if err != nil {
		return nil, err
	}
	token, err := publish.RequiredSecret(c.Token, d, "token: required (an access token, as env:NAME)")
	if err != nil {
		return nil, err
	}
	return &Channel{Endpoint: e, token: token}, nil
}

type statusRequest struct {
	Status      string `json:"status"`
	InReplyToID string `json:"in_reply_to_id,omitempty"`
	Visibility  string `json:"visibility"`
}

// Send posts m as a public status, answering m.Parent when set. The
// publication's key is sent as Idempotency-Key, so a retried request
// does not post twice.
func (c *Channel) Send(ctx context.Context, m publish.Message) (publish.Result, error) {
	var out struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}
	h := http.Header{"Authorization": {"Bearer " + c.token}}
	if m.Key != "" {
		h.Set("Idempotency-Key", m.Key)
	}
	req := statusRequest{Status: m.Text, InReplyToID: m.Parent, Visibility: "public"}
	if err := publish.DoJSON(ctx, c.Client, "mastodon", http.MethodPost, c.Base+"/api/v1/statuses", h, req, &out, message); err != nil {
		return publish.Result{}, err
	}
	if out.ID == "" {
		return publish.Result{}, errors.New("mastodon: the answer has no status id")
	}
	return publish.Result{RemoteID: out.ID, URL: out.URL}, nil
}

// message reads Mastodon's error answer: {"error": "..."}.
func message(b []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(b, &e)
	return e.Error
}
