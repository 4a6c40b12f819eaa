package x

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/earshot/earshot/publish"
)

func TestThreadAndErrors(t *testing.T) {
	var bodies []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPost || r.URL.Path != "/2/tweets" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer user-token-1" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`)
			return
		}
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		bodies = append(bodies, body)
		if strings.Contains(body["text"].(string), "again") {
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		id := []string{"", "1445880548472328192", "1445880548472328200"}[len(bodies)]
		_, _ = io.WriteString(w, `{"data":{"edit_history_tweet_ids":["`+id+`"],"id":"`+id+`","text":"x"}}`)
	}))
	defer srv.Close()
	ch, err := New(publish.ChannelConfig{BaseURL: srv.URL, Token: "env:X"}, publish.Deps{Getenv: func(string) string { return "user-token-1" }})
	if err != nil {
		t.Fatal(err)
	}
	first, err := ch.Send(t.Context(), publish.Message{Text: "Looking into it."})
	if err != nil {
		t.Fatal(err)
	}
	if first.RemoteID != "1445880548472328192" || first.URL != "https://x.com/i/web/status/1445880548472328192" {
		t.Errorf("first = %+v", first)
	}
	if _, err := ch.Send(t.Context(), publish.Message{Text: "Fixed.", Root: first.RemoteID, Parent: first.RemoteID}); err != nil {
		t.Fatal(err)
	}
	if _, ok := bodies[0]["reply"]; ok || bodies[0]["text"] != "Looking into it." {
		t.Errorf("first body: %v", bodies[0])
	}
	if reply, _ := bodies[1]["reply"].(map[string]any); reply["in_reply_to_tweet_id"] != "1445880548472328192" {
		t.Errorf("second body does not answer the first: %v", bodies[1])
	}
	_, err = ch.Send(t.Context(), publish.Message{Text: "Fixed again."})
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "duplicate content") {
		t.Errorf("err = %v, want X's 403 detail", err)
	}

	bad, _ := New(publish.ChannelConfig{BaseURL: srv.URL, Token: "leaky-token-7"}, publish.Deps{})
	_, err = bad.Send(t.Context(), publish.Message{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "leaky-token-7") {
		t.Errorf("err = %v, want a 401 without the token", err)
	}
}
