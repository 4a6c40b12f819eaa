package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot"
)

// TestServeEventStream: serve streams what changes: an incident opened
// through the API arrives on /api/v1/events, its war room is served, and
// shutting down with a stream open still exits cleanly.
func TestServeEventStream(t *testing.T) {
	if testing.Short() {
		t.Skip("serve end to end is not short")
	}
	dir := t.TempDir()
	tok := filepath.Join(dir, "tok")
	readTok := filepath.Join(dir, "read")
	if err := os.WriteFile(tok, []byte("api-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(readTok, []byte("read-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "earshot.yaml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf(`store: duckdb://%s
listen: 127.0.0.1:0
incident_api:
  tokens: ["file:%s"]
web:
  read_tokens: ["file:%s"]
war_room:
  heartbeat: 1s
`, filepath.Join(dir, "e.duckdb"), tok, readTok)), 0o600); err != nil {
		t.Fatal(err)
	}
	base, _, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `url=(http://\S+/)`)

	// Reading needs a credential: a read token.
	read := func(url string) (*http.Response, error) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer read-token")
		return http.DefaultClient.Do(req)
	}
	resp, err := read(base + "api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	// The first heartbeat says the stream is subscribed.
	for lines.Scan() && lines.Text() != ": ping" {
	}

	req, _ := http.NewRequest("POST", base+"api/v1/incidents", strings.NewReader(`{"title":"Checkout <b>down</b>","services":["checkout"]}`))
	req.Header.Set("Authorization", "Bearer api-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("opening an incident: %v %v", res, err)
	}
	res.Body.Close()

	var ev earshot.Event
	var inc earshot.Incident
	ev.Data = &inc
	for lines.Scan() {
		if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				t.Fatalf("event %s: %v", data, err)
			}
			if ev.Type == earshot.EventIncident {
				break
			}
		}
	}
	if ev.Type != earshot.EventIncident || inc.Title != "Checkout <b>down</b>" || ev.IncidentID != inc.ID || ev.ID == 0 {
		t.Fatalf("event %+v, incident %+v", ev, inc)
	}
	wr, err := read(base + "incidents/" + inc.ID + "/warroom")
	if err != nil || wr.StatusCode != 200 {
		t.Fatalf("war room: %v %v", wr, err)
	}
	b, _ := io.ReadAll(wr.Body)
	wr.Body.Close()
	page := string(b)
	if !strings.Contains(page, "Checkout &lt;b&gt;down&lt;/b&gt;") || !strings.Contains(page, "/static/live.js") {
		t.Errorf("war room of the new incident: %.300s", page)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d with a stream open", code)
	}
}
