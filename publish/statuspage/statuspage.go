// Package statuspage publishes incident updates to an Atlassian
// Statuspage page through its REST API: the first update of an incident
// creates a Statuspage incident (POST /v1/pages/{page_id}/incidents),
// later ones update it (PATCH /v1/pages/{page_id}/incidents/{id}), with
// the header "Authorization: OAuth <API key>".
package statuspage

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/earshot/earshot/publish"
)

// DefaultBaseURL is Statuspage's API.
const DefaultBaseURL = "https://api.statuspage.io"

// DefaultLimit is the longest update body sent, in code points.
const DefaultLimit = 5000

func init() { publish.Register("statuspage", New) }

// Channel is one Statuspage page.
type Channel struct {
	publish.Endpoint
	page, key string
}

// New returns the channel for c: page_id and token (the API key) are
// required.
func New(c publish.ChannelConfig, d publish.Deps) (publish.Channel, error) {
	if c.PageID == "" {
		return nil, errors.New("page_id: required")
	}
	key, err := publish.RequiredSecret(c.Token, d, "token: required (the Statuspage API key, as env:NAME)")
	if err != nil {
		return nil, err
	}
	e, err := publish.NewEndpoint("statuspage", c, d, DefaultBaseURL, DefaultLimit, publish.Runes)
	if err != nil {
		return nil, err
	}
	return &Channel{Endpoint: e, page: c.PageID, key: key}, nil
}

type incidentBody struct {
	Name   string `json:"name,omitempty"`
	Status string `json:"status"`
	Body   string `json:"body"`
}

type incident struct {
	ID        string `json:"id"`
	Shortlink string `json:"shortlink"`
}

// Send creates the Statuspage incident (m.Root empty) or updates it. A
// postmortem phase is sent as a resolved update.
func (c *Channel) Send(ctx context.Context, m publish.Message) (publish.Result, error) {
	status := m.Phase
	if status == "postmortem" {
		status = "resolved"
	}
	body := incidentBody{Status: status, Body: m.Text}
	method, u := http.MethodPost, c.Base+"/v1/pages/"+url.PathEscape(c.page)+"/incidents"
	if m.Root == "" {
		body.Name = cmp.Or(m.Title, "Service disruption")
	} else {
		method, u = http.MethodPatch, u+"/"+url.PathEscape(m.Root)
	}
	var out incident
	h := http.Header{"Authorization": {"OAuth " + c.key}}
	if err := publish.DoJSON(ctx, c.Client, "statuspage", method, u, h, map[string]incidentBody{"incident": body}, &out, message); err != nil {
		return publish.Result{}, err
	}
	if out.ID == "" {
		return publish.Result{}, errors.New("statuspage: the answer has no incident id")
	}
	return publish.Result{RemoteID: out.ID, URL: out.Shortlink}, nil
}

// message reads Statuspage's error answer: {"error": "..."} or
// {"message": "..."}.
func message(b []byte) string {
	var e struct {
		Error   any    `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &e) != nil {
		return ""
	}
	if s, ok := e.Error.(string); ok && s != "" {
		return s
	}
	if l, ok := e.Error.([]any); ok && len(l) > 0 {
		if s, ok := l[0].(string); ok {
			return s
		}
	}
	return e.Message
}
