package mastodon

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/earshot/earshot/publish"
)

type sent struct {
	auth, idem string
	body       map[string]any
}

// fakeMastodon speaks POST /api/v1/statuses and numbers the statuses.
func fakeMastodon(t *testing.T, got *[]sent) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":"Record not found"}`)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("body is not JSON: %v", err)
		}
		*got = append(*got, sent{r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key"), body})
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"The access token is invalid"}`)
			return
		}
		id := []string{"", "109372843234", "109372843299"}[len(*got)]
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"`+id+`","created_at":"2026-12-07T14:06:00.000Z","in_reply_to_id":null,"sensitive":false,
			"visibility":"public","uri":"https://social.example/users/acme/statuses/`+id+`","url":"https://social.example/@acme/`+id+`",
			"content":"<p>x</p>","account":{"id":"1","username":"acme","acct":"acme"}}`)
	}))
}

func TestThread(t *testing.T) {
	var got []sent
	srv := fakeMastodon(t, &got)
	defer srv.Close()
	ch, err := New(publish.ChannelConfig{BaseURL: srv.URL + "/", Token: "env:M"}, publish.Deps{Getenv: func(string) string { return "tok-1" }})
	if err != nil {
		t.Fatal(err)
	}
	first, err := ch.Send(t.Context(), publish.Message{Key: "pub-1", Text: "Looking into it."})
	if err != nil {
		t.Fatal(err)
	}
	if first.RemoteID != "109372843234" || first.URL != "https://social.example/@acme/109372843234" {
		t.Errorf("first = %+v", first)
	}
	second, err := ch.Send(t.Context(), publish.Message{Key: "pub-2", Text: "Fixed.", Root: first.RemoteID, Parent: first.RemoteID})
	if err != nil {
		t.Fatal(err)
	}
	if second.RemoteID != "109372843299" {
		t.Errorf("second = %+v", second)
	}
	if got[0].auth != "Bearer tok-1" || got[0].idem != "pub-1" || got[0].body["status"] != "Looking into it." || got[0].body["visibility"] != "public" {
		t.Errorf("first request: %+v", got[0])
	}
	if _, ok := got[0].body["in_reply_to_id"]; ok {
		t.Errorf("the first status answers something: %v", got[0].body)
	}
	if got[1].body["in_reply_to_id"] != "109372843234" || got[1].idem != "pub-2" {
		t.Errorf("the second status does not answer the first: %+v", got[1])
	}
}

func TestRefused(t *testing.T) {
	var got []sent
	srv := fakeMastodon(t, &got)
	defer srv.Close()
	ch, err := New(publish.ChannelConfig{BaseURL: srv.URL, Token: "tok-secret-9"}, publish.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ch.Send(t.Context(), publish.Message{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "The access token is invalid") || strings.Contains(err.Error(), "tok-secret-9") {
		t.Errorf("err = %v, want Mastodon's message without the token", err)
	}
}

func TestConfig(t *testing.T) {
	if _, err := New(publish.ChannelConfig{Token: "t"}, publish.Deps{}); err == nil {
		t.Error("no base_url accepted")
	}
	if _, err := New(publish.ChannelConfig{BaseURL: "https://m.example"}, publish.Deps{}); err == nil {
		t.Error("no token accepted")
	}
}
