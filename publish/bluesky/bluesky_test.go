package bluesky

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/publish"
)

// fakePDS speaks createSession (handle acme.example, app password
// "app-pass") and createRecord, and keeps the records it was sent.
type fakePDS struct {
	t       *testing.T
	records []map[string]any
	logins  int
}

func (f *fakePDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.t.Errorf("%s: body is not JSON: %v", r.URL.Path, err)
	}
	switch r.URL.Path {
	case "/xrpc/com.atproto.server.createSession":
		f.logins++
		if body["identifier"] != "acme.example" || body["password"] != "app-pass" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"AuthenticationRequired","message":"Invalid identifier or password"}`)
			return
		}
		_, _ = io.WriteString(w, `{"did":"did:plc:acme123","handle":"acme.example","email":"ops@acme.example",
			"accessJwt":"jwt-access-1","refreshJwt":"jwt-refresh-1","active":true}`)
	case "/xrpc/com.atproto.repo.createRecord":
		if r.Header.Get("Authorization") != "Bearer jwt-access-1" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"InvalidToken","message":"Bad token"}`)
			return
		}
		if body["repo"] != "did:plc:acme123" || body["collection"] != "app.bsky.feed.post" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"InvalidRequest","message":"bad repo or collection"}`)
			return
		}
		rec, _ := body["record"].(map[string]any)
		f.records = append(f.records, rec)
		n := string(rune('0' + len(f.records)))
		_, _ = io.WriteString(w, `{"uri":"at://did:plc:acme123/app.bsky.feed.post/3kpost`+n+`","cid":"bafyreicid`+n+`",
			"commit":{"cid":"bafyreicommit","rev":"3kr"},"validationStatus":"valid"}`)
	default:
		w.WriteHeader(http.StatusNotImplemented)
		_, _ = io.WriteString(w, `{"error":"MethodNotImplemented","message":"Method Not Implemented"}`)
	}
}

func TestThread(t *testing.T) {
	f := &fakePDS{t: t}
	srv := httptest.NewServer(f)
	defer srv.Close()
	now := time.Date(2026, 12, 7, 14, 6, 0, 120e6, time.UTC)
	ch, err := New(publish.ChannelConfig{BaseURL: srv.URL, Identifier: "acme.example", Password: "env:BSKY"},
		publish.Deps{Getenv: func(string) string { return "app-pass" }, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var results []publish.Result
	msgs := []publish.Message{{Text: "one"}, {Text: "two"}, {Text: "three"}}
	for i, m := range msgs {
		if i > 0 {
			m.Root, m.Parent = results[0].RemoteID, results[i-1].RemoteID
		}
		res, err := ch.Send(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	if results[0].RemoteID != "at://did:plc:acme123/app.bsky.feed.post/3kpost1|bafyreicid1" ||
		results[0].URL != "https://bsky.app/profile/acme.example/post/3kpost1" {
		t.Errorf("first = %+v", results[0])
	}
	if f.records[0]["$type"] != "app.bsky.feed.post" || f.records[0]["text"] != "one" || f.records[0]["createdAt"] != "2026-12-07T14:06:00.120Z" {
		t.Errorf("first record: %v", f.records[0])
	}
	if _, ok := f.records[0]["reply"]; ok {
		t.Errorf("the first post is a reply: %v", f.records[0])
	}
	reply, _ := f.records[2]["reply"].(map[string]any)
	root, _ := reply["root"].(map[string]any)
	parent, _ := reply["parent"].(map[string]any)
	if root["uri"] != "at://did:plc:acme123/app.bsky.feed.post/3kpost1" || root["cid"] != "bafyreicid1" ||
		parent["uri"] != "at://did:plc:acme123/app.bsky.feed.post/3kpost2" || parent["cid"] != "bafyreicid2" {
		t.Errorf("third post's reply refs: %v", reply)
	}
}

func TestWrongPassword(t *testing.T) {
	srv := httptest.NewServer(&fakePDS{t: t})
	defer srv.Close()
	ch, err := New(publish.ChannelConfig{BaseURL: srv.URL, Identifier: "acme.example", Password: "hunter2-secret"}, publish.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ch.Send(t.Context(), publish.Message{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "Invalid identifier or password") || strings.Contains(err.Error(), "hunter2-secret") {
		t.Errorf("err = %v, want the PDS's message without the password", err)
	}
}
