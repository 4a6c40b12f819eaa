package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/earshot/earshot/publish"
)

func TestThreadAndPermalink(t *testing.T) {
	var posts []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.Header.Get("Authorization") != "Bearer xoxb-1" {
			_, _ = io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
			return
		}
		switch r.URL.Path {
		case "/chat.postMessage":
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			posts = append(posts, body)
			if body["channel"] != "C0ANNOUNCE" {
				_, _ = io.WriteString(w, `{"ok":false,"error":"channel_not_found"}`)
				return
			}
			ts := []string{"", "1733580360.000100", "1733580420.000200"}[len(posts)]
			_, _ = io.WriteString(w, `{"ok":true,"channel":"C0ANNOUNCE","ts":"`+ts+`","message":{"type":"message","text":"x","ts":"`+ts+`"}}`)
		case "/chat.getPermalink":
			q := r.URL.Query()
			_, _ = io.WriteString(w, `{"ok":true,"channel":"`+q.Get("channel")+`","permalink":"https://acme.slack.com/archives/`+
				q.Get("channel")+`/p`+strings.ReplaceAll(q.Get("message_ts"), ".", "")+`"}`)
		default:
			_, _ = io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	defer srv.Close()
	ch, err := New(publish.ChannelConfig{BaseURL: srv.URL, Channel: "C0ANNOUNCE", Token: "env:SLACK"}, publish.Deps{Getenv: func(string) string { return "xoxb-1" }})
	if err != nil {
		t.Fatal(err)
	}
	first, err := ch.Send(t.Context(), publish.Message{Text: "Investigating."})
	if err != nil {
		t.Fatal(err)
	}
	if first.RemoteID != "1733580360.000100" || first.URL != "https://acme.slack.com/archives/C0ANNOUNCE/p1733580360000100" {
		t.Errorf("first = %+v", first)
	}
	if _, err := ch.Send(t.Context(), publish.Message{Text: "Resolved.", Root: first.RemoteID, Parent: "1733580999.000900"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := posts[0]["thread_ts"]; ok {
		t.Errorf("the first message is in a thread: %v", posts[0])
	}
	if posts[1]["thread_ts"] != "1733580360.000100" || posts[1]["text"] != "Resolved." {
		t.Errorf("the second message is not in the first's thread: %v", posts[1])
	}

	other, _ := New(publish.ChannelConfig{BaseURL: srv.URL, Channel: "C0GONE", Token: "xoxb-1"}, publish.Deps{})
	if _, err := other.Send(t.Context(), publish.Message{Text: "x"}); err == nil || !strings.Contains(err.Error(), "channel_not_found") {
		t.Errorf("err = %v, want channel_not_found", err)
	}
	bad, _ := New(publish.ChannelConfig{BaseURL: srv.URL, Channel: "C0ANNOUNCE", Token: "xoxb-secret-2"}, publish.Deps{})
	if _, err := bad.Send(t.Context(), publish.Message{Text: "x"}); err == nil || !strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), "xoxb-secret-2") {
		t.Errorf("err = %v, want invalid_auth without the token", err)
	}
}
