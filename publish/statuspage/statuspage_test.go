package statuspage

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/earshot/earshot/publish"
)

// fakeStatuspage speaks Statuspage's incident API for page "pg1" and
// records what it was sent.
type fakeStatuspage struct {
	mu   sync.Mutex
	reqs []struct {
		method, path, auth string
		body               map[string]map[string]any
	}
}

func (f *fakeStatuspage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var body map[string]map[string]any
	_ = json.Unmarshal(b, &body)
	f.mu.Lock()
	f.reqs = append(f.reqs, struct {
		method, path, auth string
		body               map[string]map[string]any
	}{r.Method, r.URL.Path, r.Header.Get("Authorization"), body})
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "OAuth key-123" {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"Could not authenticate"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/pages/pg1/incidents":
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"p31zjtct2jer","components":[],"created_at":"2026-12-07T14:05:00.000Z","impact":"none",
			"incident_updates":[{"id":"upd1","status":"investigating","body":"x"}],"name":"Login failures","page_id":"pg1",
			"shortlink":"https://stspg.io/abc123","status":"investigating"}`)
	case r.Method == http.MethodPatch && r.URL.Path == "/v1/pages/pg1/incidents/p31zjtct2jer":
		_, _ = io.WriteString(w, `{"id":"p31zjtct2jer","name":"Login failures","page_id":"pg1","shortlink":"https://stspg.io/abc123","status":"resolved"}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"Not found"}`)
	}
}

func newChannel(t *testing.T, url, token string) publish.Channel {
	t.Helper()
	ch, err := New(publish.ChannelConfig{BaseURL: url, PageID: "pg1", Token: "env:SP_KEY"},
		publish.Deps{Getenv: func(string) string { return token }})
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestCreateThenUpdate(t *testing.T) {
	f := &fakeStatuspage{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	ch := newChannel(t, srv.URL, "key-123")

	res, err := ch.Send(t.Context(), publish.Message{Title: "Login failures", Phase: "investigating", Text: "We are investigating."})
	if err != nil {
		t.Fatal(err)
	}
	if res.RemoteID != "p31zjtct2jer" || res.URL != "https://stspg.io/abc123" {
		t.Errorf("create returned %+v", res)
	}
	res2, err := ch.Send(t.Context(), publish.Message{Title: "Login failures", Phase: "postmortem", Text: "What happened.", Root: res.RemoteID, Parent: res.RemoteID})
	if err != nil {
		t.Fatal(err)
	}
	if res2.RemoteID != "p31zjtct2jer" {
		t.Errorf("update returned %+v", res2)
	}
	if len(f.reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(f.reqs))
	}
	c, u := f.reqs[0], f.reqs[1]
	if c.method != http.MethodPost || c.body["incident"]["name"] != "Login failures" || c.body["incident"]["status"] != "investigating" ||
		c.body["incident"]["body"] != "We are investigating." {
		t.Errorf("create sent %s %s %v", c.method, c.path, c.body)
	}
	if u.method != http.MethodPatch || u.body["incident"]["status"] != "resolved" || u.body["incident"]["body"] != "What happened." {
		t.Errorf("update sent %s %s %v", u.method, u.path, u.body)
	}
	if _, renamed := u.body["incident"]["name"]; renamed {
		t.Errorf("update renamed the incident: %v", u.body)
	}
}

func TestRefusedKeyIsPlainAndSecret(t *testing.T) {
	srv := httptest.NewServer(&fakeStatuspage{})
	defer srv.Close()
	ch := newChannel(t, srv.URL, "wrong-key-456")
	_, err := ch.Send(t.Context(), publish.Message{Title: "x", Phase: "investigating", Text: "y"})
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "Could not authenticate") {
		t.Fatalf("err = %v, want a 401 with Statuspage's message", err)
	}
	if strings.Contains(err.Error(), "wrong-key-456") {
		t.Errorf("the error leaks the key: %v", err)
	}
}

func TestConfig(t *testing.T) {
	for _, c := range []publish.ChannelConfig{
		{Token: "k"},
		{PageID: "pg"},
		{PageID: "pg", Token: "k", BaseURL: "ftp://x"},
	} {
		if _, err := New(c, publish.Deps{}); err == nil {
			t.Errorf("New(%+v) accepted a bad config", c)
		}
	}
}
