// Package bluesky publishes incident updates as posts on a Bluesky
// account: it signs in with an app password
// (com.atproto.server.createSession) and creates an app.bsky.feed.post
// record (com.atproto.repo.createRecord). A later update answers the
// latest one with the thread's root and parent references.
//
// A post's RemoteID is its AT URI and its CID joined by "|": a reply
// needs both.
package bluesky

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/publish"
)

// DefaultBaseURL is Bluesky's PDS entryway.
const DefaultBaseURL = "https://bsky.social"

// DefaultLimit is Bluesky's post length in graphemes.
const DefaultLimit = 300

func init() { publish.Register("bluesky", New) }

// Channel is one Bluesky account.
type Channel struct {
	publish.Endpoint
	identifier, password string
	now                  func() time.Time
}

// New returns the channel for c: identifier (the handle) and password
// (an app password) are required.
func New(c publish.ChannelConfig, d publish.Deps) (publish.Channel, error) {
	if c.Identifier == "" {
		return nil, errors.New("identifier: required (the account's handle)")
	}
	password, err := publish.RequiredSecret(c.Password, d, "password: required (an app password, as env:NAME)")
	if err != nil {
		return nil, err
	}
	e, err := publish.NewEndpoint("bluesky", c, d, DefaultBaseURL, DefaultLimit, publish.Graphemes)
	if err != nil {
		return nil, err
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Channel{Endpoint: e, identifier: c.Identifier, password: password, now: now}, nil
}

type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

type replyRef struct {
	Root   strongRef `json:"root"`
	Parent strongRef `json:"parent"`
}

type post struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Reply     *replyRef `json:"reply,omitempty"`
}

// Send signs in and creates the post, in the thread of m.Root and
// m.Parent when set.
func (c *Channel) Send(ctx context.Context, m publish.Message) (publish.Result, error) {
	rec := post{Type: "app.bsky.feed.post", Text: m.Text, CreatedAt: c.now().UTC().Format("2006-01-02T15:04:05.000Z")}
	if m.Root != "" {
		root, err := parseRef(m.Root)
		if err != nil {
			return publish.Result{}, err
		}
		parent, err := parseRef(cmp.Or(m.Parent, m.Root))
		if err != nil {
			return publish.Result{}, err
		}
		rec.Reply = &replyRef{Root: root, Parent: parent}
	}
	var session struct {
		AccessJwt string `json:"accessJwt"`
		DID       string `json:"did"`
		Handle    string `json:"handle"`
	}
	in := map[string]string{"identifier": c.identifier, "password": c.password}
	if err := publish.DoJSON(ctx, c.Client, "bluesky", http.MethodPost, c.Base+"/xrpc/com.atproto.server.createSession", nil, in, &session, message); err != nil {
		return publish.Result{}, fmt.Errorf("signing in: %w", err)
	}
	if session.AccessJwt == "" || session.DID == "" {
		return publish.Result{}, errors.New("bluesky: signing in: the answer has no session")
	}
	var out strongRef
	h := http.Header{"Authorization": {"Bearer " + session.AccessJwt}}
	req := map[string]any{"repo": session.DID, "collection": "app.bsky.feed.post", "record": rec}
	if err := publish.DoJSON(ctx, c.Client, "bluesky", http.MethodPost, c.Base+"/xrpc/com.atproto.repo.createRecord", h, req, &out, message); err != nil {
		return publish.Result{}, err
	}
	if out.URI == "" || out.CID == "" {
		return publish.Result{}, errors.New("bluesky: the answer has no uri and cid")
	}
	web := ""
	if i := strings.LastIndex(out.URI, "/"); i >= 0 {
		web = "https://bsky.app/profile/" + url.PathEscape(cmp.Or(session.Handle, session.DID)) + "/post/" + url.PathEscape(out.URI[i+1:])
	}
	return publish.Result{RemoteID: out.URI + "|" + out.CID, URL: web}, nil
}

func parseRef(id string) (strongRef, error) {
	uri, cid, ok := strings.Cut(id, "|")
	if !ok || uri == "" || cid == "" {
		return strongRef{}, fmt.Errorf("bluesky: the thread's post %q has no uri|cid reference", id)
	}
	return strongRef{URI: uri, CID: cid}, nil
}

// message reads an XRPC error: {"error": "...", "message": "..."}.
func message(b []byte) string {
	var e struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(b, &e)
	if e.Message != "" && e.Error != "" {
		return e.Error + ": " + e.Message
	}
	return cmp.Or(e.Message, e.Error)
}
