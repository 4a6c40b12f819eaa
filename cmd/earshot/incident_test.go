package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestIncidentCLI(t *testing.T) {
	dir := t.TempDir()
	store := "duckdb://" + filepath.Join(dir, "incidents.duckdb")
	incident := func(want int, args ...string) (string, string) {
		t.Helper()
		e, out, errb := testEnv("")
		if code := run(t.Context(), append([]string{"incident"}, args...), e); code != want {
			t.Fatalf("earshot incident %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb)
		}
		return out.String(), errb.String()
	}

	out, _ := incident(0, "open", "--store", store, "--title", "Checkout failing", "--services", "api, login", "--watches", "acme-pay",
		"--severity", "major", "--message", "Payments fail for some customers.", "--at", "2026-03-02T09:00:00Z")
	id := strings.TrimSpace(out)
	if !strings.HasPrefix(id, "manual:") || strings.Contains(id, "\n") {
		t.Fatalf("open printed %q, want one incident ID", out)
	}
	incident(0, "update", id, "--store", store, "--status", "identified", "--message", "A bad deploy.", "--at", "2026-03-02T09:20:00Z")
	incident(0, "update", "--store", store, "--message", "Rolling back.", "--at", "2026-03-02T09:30:00Z", id)
	if out, _ := incident(0, "resolve", id, "--store", store, "--at", "2026-03-02T10:00:00Z"); out != id+" resolved\n" {
		t.Errorf("resolve printed %q", out)
	}

	_, stderr := incident(2, "update", id, "--store", store, "--status", "monitoring", "--message", "again")
	if want := "earshot incident: incident " + id + " is already resolved\n"; stderr != want {
		t.Errorf("updating a resolved incident: stderr %q, want %q", stderr, want)
	}
	incident(2, "resolve", id, "--store", store)

	out, _ = incident(0, "list", "--store", store, "--since", "87600h", "--json")
	var list []earshot.Incident
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json: %v %s", err, out)
	}
	inc := list[0]
	if inc.ID != id || inc.Status != earshot.Resolved || inc.Severity != "major" || strings.Join(inc.Services, ",") != "api,login" ||
		strings.Join(inc.Watches, ",") != "acme-pay" ||
		!inc.StartedAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) || !inc.ResolvedAt.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) ||
		len(inc.Updates) != 4 || inc.Updates[2].Body != "Rolling back." || inc.Updates[2].Status != earshot.Identified {
		t.Errorf("stored incident = %+v", inc)
	}

	out, _ = incident(0, "list", "--store", store, "--since", "87600h")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[1], "resolved") ||
		!strings.Contains(lines[1], "2026-03-02 10:00") || !strings.Contains(lines[1], "Checkout failing") {
		t.Errorf("list table:\n%s", out)
	}
	if out, _ := incident(0, "list", "--store", store, "--active", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("list --active = %s, want no incident", out)
	}

	// A second, open one shows under --active.
	out, _ = incident(0, "open", "--store", store, "--title", "Login slow", "--id", "login-1")
	if strings.TrimSpace(out) != "manual:login-1" {
		t.Errorf("open --id printed %q", out)
	}
	incident(2, "open", "--store", store, "--title", "Again", "--id", "login-1")
	if out, _ := incident(0, "list", "--store", store, "--active"); !strings.Contains(out, "manual:login-1") || strings.Contains(out, id) {
		t.Errorf("list --active:\n%s", out)
	}
}

func TestIncidentCLIErrors(t *testing.T) {
	store := "duckdb://" + filepath.Join(t.TempDir(), "e.duckdb")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "name a command"},
		{[]string{"reopen", "x"}, 2, `unknown command "reopen"`},
		{[]string{"close", "manual:nope", "--store", store}, 2, `no incident "manual:nope"`},
		{[]string{"close", "--store", store}, 2, "name the incident"},
		{[]string{"open", "--store", store}, 2, "--title: required"},
		{[]string{"open", "--store", store, "--title", "x", "--status", "resolved"}, 2, "--status: an incident cannot be opened resolved"},
		{[]string{"open", "--store", store, "--title", "x", "--severity", "sev1"}, 2, "--severity:"},
		{[]string{"open", "--store", store, "--title", "x", "--services", "api,,login"}, 0, ""},
		{[]string{"open", "--store", store, "--title", "x", "--at", "yesterday"}, 2, "--at: \"yesterday\" is not an RFC 3339 time"},
		{[]string{"open", "--store", store, "--title", "x", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"update", "--store", store, "--message", "x"}, 2, "name the incident"},
		{[]string{"update", "manual:nope", "--store", store}, 2, "give --status, --message or both"},
		{[]string{"update", "manual:nope", "--store", store, "--message", "x"}, 2, `no incident "manual:nope"`},
		{[]string{"update", "manual:nope", "--store", store, "--status", "fixed"}, 2, `no incident`},
		{[]string{"list", "--store", store, "--since", "-1h"}, 2, "--since"},
		{[]string{"list", "--store", "duckdb:///nonexistent-dir/sub/x.duckdb"}, 1, "opening"},
		{[]string{"open", "-h"}, 0, "-title"},
		{[]string{"help"}, 0, "earshot incident open"},
	}
	for _, tt := range tests {
		e, _, errb := testEnv("")
		code := run(t.Context(), append([]string{"incident"}, tt.args...), e)
		if code != tt.code || !strings.Contains(errb.String(), tt.msg) {
			t.Errorf("incident %v: exit %d, stderr %q; want %d, %q", tt.args, code, errb, tt.code, tt.msg)
		}
	}
}

// TestServeIncidents runs `earshot serve` with a Statuspage collector, the
// PagerDuty webhook and the incident API, and checks that all three land
// incidents in the store.
func TestServeIncidents(t *testing.T) {
	if testing.Short() {
		t.Skip("serve end to end is not short")
	}
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2/incidents.json" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `{"page":{"id":"p1","name":"Acme"},"incidents":[{"id":"sp1","name":"API errors","status":"identified",
"impact":"major","created_at":"2026-03-02T09:00:00Z","updated_at":"2026-03-02T09:10:00Z","resolved_at":null,
"shortlink":"https://stspg.io/sp1","components":[{"id":"c1","name":"API"}],
"incident_updates":[{"id":"u1","status":"identified","body":"Found it.","created_at":"2026-03-02T09:10:00Z","display_at":"2026-03-02T09:10:00Z"}]}]}`)
	}))
	defer page.Close()

	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pdSecret, apiToken := "pd-secret", "api-token"
	cfgPath := write("earshot.yaml", fmt.Sprintf(`store: duckdb://%s
listen: 127.0.0.1:0
incidents:
  - type: statuspage
    name: acme-page
    interval: 1h
    page: %s
    components: {API: api}
    allow_private_networks: true
webhooks:
  pagerduty:
    secret: file:%s
incident_api:
  tokens: ["file:%s"]
web:
  read_tokens: [reader-secret]
`, filepath.Join(dir, "e.duckdb"), page.URL, write("pd", pdSecret), write("tok", apiToken)))

	base, _, stop := startCommand(t, []string{"serve", "--config", cfgPath}, `url=(http://\S+/)`)

	hook := `{"event":{"id":"e1","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-03-02T09:05:00Z",
"data":{"id":"PD1","type":"incident","status":"triggered","title":"Login 5xx","created_at":"2026-03-02T09:04:00Z",
"service":{"id":"S1","summary":"login"},"urgency":"high","html_url":"https://acme.pagerduty.com/incidents/PD1"}}}`
	mac := hmac.New(sha256.New, []byte(pdSecret))
	mac.Write([]byte(hook))
	req, _ := http.NewRequest("POST", base+"hooks/pagerduty", strings.NewReader(hook))
	req.Header.Set("X-PagerDuty-Signature", "v1="+hex.EncodeToString(mac.Sum(nil)))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("PagerDuty webhook: %v %v", resp, err)
	}

	req, _ = http.NewRequest("POST", base+"api/v1/incidents", strings.NewReader(`{"title":"Billing emails late","services":["billing"],"started_at":"2026-03-02T09:30:00Z"}`))
	if resp, _ := http.DefaultClient.Do(req); resp == nil || resp.StatusCode != 401 {
		t.Fatalf("incident API without a token: %v", resp)
	}
	req, _ = http.NewRequest("POST", base+"api/v1/incidents", strings.NewReader(`{"title":"Billing emails late","services":["billing"],"started_at":"2026-03-02T09:30:00Z"}`))
	req.Header.Set("Authorization", "Bearer "+apiToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("incident API: %v %v", resp, err)
	}

	var got []earshot.Incident
	for range 200 {
		var body struct {
			Incidents []earshot.Incident `json:"incidents"`
		}
		json.Unmarshal([]byte(getAs(t, base+"api/v1/incidents?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z", "reader-secret")), &body)
		if got = body.Incidents; len(got) == 3 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	ids := []string{}
	for _, inc := range got {
		ids = append(ids, inc.ID+"/"+strings.Join(inc.Services, ","))
	}
	if len(got) != 3 || ids[0] != "statuspage:sp1/api" || ids[1] != "pagerduty:PD1/login" || !strings.HasPrefix(ids[2], "manual:") {
		t.Errorf("incidents = %v", ids)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d", code)
	}
}
