package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestServePublishing: serve mounts drafting and publishing: a draft of
// an incident opened through the incident API, publishing to a Mastodon
// test server with the web write token, the listing and the page (a web
// write token reads too; reading needs one once tokens are set).
func TestServePublishing(t *testing.T) {
	var mu sync.Mutex
	var statuses []map[string]any
	masto := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/statuses" || r.Header.Get("Authorization") != "Bearer masto-secret" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"The access token is invalid"}`)
			return
		}
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		statuses = append(statuses, body)
		mu.Unlock()
		_, _ = io.WriteString(w, `{"id":"113","url":"https://social.example/@acme/113"}`)
	}))
	defer masto.Close()

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "earshot.yaml")
	cfg := fmt.Sprintf(`store: duckdb://%s/e.duckdb
listen: 127.0.0.1:0
web:
  api_tokens: [writer-secret]
incident_api:
  tokens: [incident-secret]
publishing:
  channels:
    mastodon: {base_url: %s, token: "file:%s/masto-token", allow_private_networks: true}
`, dir, masto.URL, dir)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "masto-token"), []byte("masto-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base, _, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `url=(http://\S+/)`)
	defer stop()
	do := func(method, path, token, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+strings.TrimPrefix(path, "/"), strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := do("POST", "/api/v1/incidents", "incident-secret", `{"id":"login","title":"Login failures","services":["login"]}`); code != 201 {
		t.Fatalf("opening an incident: %d %s", code, body)
	}
	code, body := do("GET", "/api/v1/incidents/manual:login/draft?phase=investigating&channel=social", "writer-secret", "")
	if code != 200 || !strings.Contains(body, "login") || !strings.Contains(body, "[ETA]") {
		t.Errorf("draft: %d %s", code, body)
	}
	if code, body := do("GET", "/api/v1/incidents/manual:login/draft?phase=soon&channel=social", "writer-secret", ""); code != 400 || !strings.Contains(body, "phase") {
		t.Errorf("a bad phase: %d %s", code, body)
	}
	pub := `{"phase":"investigating","text":"We're looking into failed logins.","channels":["mastodon"]}`
	if code, _ := do("POST", "/api/v1/incidents/manual:login/publications", "", pub); code != 401 {
		t.Errorf("publishing without credentials: %d", code)
	}
	code, body = do("POST", "/api/v1/incidents/manual:login/publications", "writer-secret", pub)
	if code != 201 || !strings.Contains(body, `"state":"published"`) || !strings.Contains(body, "https://social.example/@acme/113") {
		t.Errorf("publishing: %d %s", code, body)
	}
	mu.Lock()
	if len(statuses) != 1 || statuses[0]["status"] != "We're looking into failed logins." {
		t.Errorf("Mastodon got %v", statuses)
	}
	mu.Unlock()
	if code, body := do("GET", "/api/v1/incidents/manual:login/publications", "writer-secret", ""); code != 200 || !strings.Contains(body, `"by":"token"`) {
		t.Errorf("listing: %d %s", code, body)
	}
	if code, body := do("GET", "/incidents/manual:login/publish", "writer-secret", ""); code != 200 || !strings.Contains(body, "https://social.example/@acme/113") {
		t.Errorf("the page: %d", code)
	}
}
