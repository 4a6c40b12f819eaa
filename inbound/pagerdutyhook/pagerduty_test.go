package pagerdutyhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// memStore is the in-memory store, counting incident saves; err, when
// set, fails every read of an incident.
type memStore struct {
	*memstore.Store
	mu    sync.Mutex
	saves int
	err   error
}

func newMemStore() *memStore { return &memStore{Store: memstore.New()} }

func (s *memStore) Incident(ctx context.Context, id string) (earshot.Incident, error) {
	s.mu.Lock()
	err := s.err
	s.mu.Unlock()
	if err != nil {
		return earshot.Incident{}, err
	}
	return s.Store.Incident(ctx, id)
}

func (s *memStore) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	s.mu.Lock()
	s.saves++
	s.mu.Unlock()
	return s.Store.SaveIncident(ctx, inc)
}

// stored returns the incident stored with id, zero when none.
func (s *memStore) stored(t *testing.T, id string) earshot.Incident {
	t.Helper()
	inc, err := s.Store.Incident(t.Context(), id)
	if err != nil && !errors.Is(err, earshot.ErrNotFound) {
		t.Fatal(err)
	}
	return inc
}

// count returns how many incidents are stored.
func (s *memStore) count(t *testing.T) int {
	t.Helper()
	all, err := s.Store.Incidents(t.Context(), time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

const secret = "whsec-test-1"

func sign(key, body string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(body))
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// incidentEvent is a v3 delivery for an event whose data is an incident.
func incidentEvent(id, typ, at, status string) string {
	return fmt.Sprintf(`{
  "event": {
    "id": %q,
    "event_type": %q,
    "resource_type": "incident",
    "occurred_at": %q,
    "agent": {"html_url": "https://acme.pagerduty.com/users/PU7AB2C", "id": "PU7AB2C", "self": "https://api.pagerduty.com/users/PU7AB2C", "summary": "Dana Ops", "type": "user_reference"},
    "client": null,
    "data": {
      "id": "Q2XK8V1LMNOP",
      "type": "incident",
      "self": "https://api.pagerduty.com/incidents/Q2XK8V1LMNOP",
      "html_url": "https://acme.pagerduty.com/incidents/Q2XK8V1LMNOP",
      "number": 1187,
      "status": %q,
      "incident_key": "9c1f0e2a7b5d4e3f8a6b",
      "created_at": "2026-03-02T09:04:51Z",
      "title": "Checkout API 5xx rate above 5%%",
      "service": {"html_url": "https://acme.pagerduty.com/services/PSVC01X", "id": "PSVC01X", "self": "https://api.pagerduty.com/services/PSVC01X", "summary": "Checkout API", "type": "service_reference"},
      "assignees": [{"html_url": "https://acme.pagerduty.com/users/PU7AB2C", "id": "PU7AB2C", "self": "https://api.pagerduty.com/users/PU7AB2C", "summary": "Dana Ops", "type": "user_reference"}],
      "escalation_policy": {"html_url": "https://acme.pagerduty.com/escalation_policies/PEP0001", "id": "PEP0001", "self": "https://api.pagerduty.com/escalation_policies/PEP0001", "summary": "Payments on-call", "type": "escalation_policy_reference"},
      "teams": [],
      "priority": {"html_url": "https://acme.pagerduty.com/account/incident_priorities", "id": "PPRI001", "self": "https://api.pagerduty.com/priorities/PPRI001", "summary": "P1", "type": "priority_reference"},
      "urgency": "high",
      "conference_bridge": null,
      "resolve_reason": null
    }
  }
}`, id, typ, at, status)
}

func noteEvent(id, at, content string) string {
	return fmt.Sprintf(`{"event": {"id": %q, "event_type": "incident.annotated", "resource_type": "incident", "occurred_at": %q,
  "agent": {"id": "PU7AB2C", "summary": "Dana Ops", "type": "user_reference"}, "client": null,
  "data": {"incident": {"html_url": "https://acme.pagerduty.com/incidents/Q2XK8V1LMNOP", "id": "Q2XK8V1LMNOP", "self": "https://api.pagerduty.com/incidents/Q2XK8V1LMNOP", "summary": "[#1187] Checkout API 5xx rate above 5%%", "type": "incident_reference"},
    "id": "PNOTE01", "content": %q, "trimmed": false, "type": "incident_note"}}}`, id, at, content)
}

func newServer(t *testing.T, cfg Config) (*httptest.Server, *memStore) {
	t.Helper()
	st := newMemStore()
	if cfg.Secret == "" {
		cfg.Secret = "env:PD_SECRET"
	}
	h, err := New(cfg, st, func(k string) string { return map[string]string{"PD_SECRET": secret}[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st
}

func deliver(t *testing.T, url, body, sig string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set(SignatureHeader, sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestIncidentLifecycle(t *testing.T) {
	srv, st := newServer(t, Config{Services: map[string]string{"Checkout API": "checkout"}})
	send := func(body string) string {
		t.Helper()
		code, resp := deliver(t, srv.URL, body, sign(secret, body))
		if code != 200 {
			t.Fatalf("%d %s", code, resp)
		}
		return resp
	}
	id := "pagerduty:Q2XK8V1LMNOP"
	triggered := incidentEvent("01EVTRIG", "incident.triggered", "2026-03-02T09:04:52.120Z", "triggered")

	send(triggered)
	inc := st.stored(t, id)
	if inc.Title != "Checkout API 5xx rate above 5%" || inc.Status != earshot.Investigating || inc.Severity != "critical" ||
		len(inc.Services) != 1 || inc.Services[0] != "checkout" || inc.URL != "https://acme.pagerduty.com/incidents/Q2XK8V1LMNOP" ||
		!inc.StartedAt.Equal(time.Date(2026, 3, 2, 9, 4, 51, 0, time.UTC)) || len(inc.Updates) != 1 || inc.Source != "pagerduty" {
		t.Fatalf("after trigger: %+v", inc)
	}

	// PagerDuty re-delivers when it gets no 2xx in time.
	if resp := send(triggered); !strings.Contains(resp, `"changed":false`) || st.saves != 1 || len(st.stored(t, id).Updates) != 1 {
		t.Fatalf("re-delivery: %s, %d saves, %+v", resp, st.saves, st.stored(t, id).Updates)
	}

	// Resolved arrives before acknowledged.
	send(incidentEvent("01EVRES", "incident.resolved", "2026-03-02T09:41:10Z", "resolved"))
	send(incidentEvent("01EVACK", "incident.acknowledged", "2026-03-02T09:07:30Z", "acknowledged"))
	send(noteEvent("01EVNOTE", "2026-03-02T09:20:00Z", "Rolled back deploy 4512; error rate falling."))
	send(noteEvent("01EVNOTE", "2026-03-02T09:20:00Z", "Rolled back deploy 4512; error rate falling."))

	inc = st.stored(t, id)
	if inc.Status != earshot.Resolved || !inc.ResolvedAt.Equal(time.Date(2026, 3, 2, 9, 41, 10, 0, time.UTC)) || len(inc.Updates) != 4 {
		t.Fatalf("final: %+v", inc)
	}
	want := []struct {
		status earshot.IncidentStatus
		body   string
	}{
		{"investigating", "Triggered: Checkout API 5xx rate above 5%"},
		{"identified", "Acknowledged by Dana Ops"},
		{"identified", "Rolled back deploy 4512; error rate falling."},
		{"resolved", "Resolved by Dana Ops"},
	}
	for i, w := range want {
		if u := inc.Updates[i]; u.Status != w.status || u.Body != w.body {
			t.Errorf("update %d = %+v, want %s %q", i, u, w.status, w.body)
		}
	}
	if st.count(t) != 1 {
		t.Errorf("%d incidents stored, want 1", st.count(t))
	}
}

func TestFieldsOnlyEvents(t *testing.T) {
	srv, st := newServer(t, Config{})
	body := strings.Replace(incidentEvent("01EVPRI", "incident.priority_updated", "2026-03-02T09:30:00Z", "acknowledged"), `"summary": "P1"`, `"summary": "P3"`, 1)
	if code, resp := deliver(t, srv.URL, body, sign(secret, body)); code != 200 {
		t.Fatal(code, resp)
	}
	inc := st.stored(t, "pagerduty:Q2XK8V1LMNOP")
	if inc.Status != earshot.Identified || inc.Severity != "minor" || len(inc.Updates) != 0 || inc.Services[0] != "Checkout API" {
		t.Errorf("first seen through priority_updated: %+v", inc)
	}
	// An older event does not roll the fields back.
	old := strings.Replace(incidentEvent("01EVTRIG", "incident.triggered", "2026-03-02T09:04:52Z", "triggered"), "Checkout API 5xx", "Old title", 1)
	deliver(t, srv.URL, old, sign(secret, old))
	if inc := st.stored(t, "pagerduty:Q2XK8V1LMNOP"); inc.Title != "Checkout API 5xx rate above 5%" || inc.Severity != "minor" || len(inc.Updates) != 1 {
		t.Errorf("after an older event: %+v", inc)
	}
}

func TestRejects(t *testing.T) {
	srv, st := newServer(t, Config{MaxBytes: 4096})
	good := incidentEvent("01EVTRIG", "incident.triggered", "2026-03-02T09:04:52Z", "triggered")
	big := `{"event":{"event_type":"incident.annotated","data":{"content":"` + strings.Repeat("x", 5000) + `"}}}`
	tests := []struct {
		name, body, sig string
		code            int
		msg             string
	}{
		{"no signature", good, "", 401, "X-PagerDuty-Signature"},
		{"wrong secret", good, sign("other", good), 401, ""},
		{"not hex", good, "v1=zz", 401, ""},
		{"signature of another body", good, sign(secret, good+" "), 401, ""},
		{"rotating secrets", good, sign("old-secret", good) + "," + sign(secret, good), 200, ""},
		{"other scheme only", good, "v0=" + strings.TrimPrefix(sign(secret, good), "v1="), 401, ""},
		{"oversized", big, sign(secret, big), 413, "larger than 4096"},
		{"not JSON", `{"event":`, sign(secret, `{"event":`), 400, "not a PagerDuty v3 webhook"},
		{"no event", `{}`, sign(secret, `{}`), 400, "event: missing"},
		{"no type", `{"event":{"id":"x"}}`, sign(secret, `{"event":{"id":"x"}}`), 400, "event.event_type"},
		{"no time", `{"event":{"event_type":"incident.triggered","data":{"id":"P1","type":"incident"}}}`, "", 400, "event.occurred_at"},
		{"no incident", `{"event":{"event_type":"incident.annotated","occurred_at":"2026-03-02T09:00:00Z","data":{"type":"incident_note","content":"x"}}}`, "", 400, "event.data.id"},
		{"bad time", `{"event":{"event_type":"incident.triggered","occurred_at":"yesterday"}}`, "", 400, "not a PagerDuty"},
		{"ping", `{"event":{"id":"x","event_type":"pagey.ping","occurred_at":"2026-03-02T09:00:00Z"}}`, "", 200, "ignored"},
		{"other resource", `{"event":{"id":"x","event_type":"service.updated","resource_type":"service"}}`, "", 200, "ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := tt.sig
			if sig == "" && tt.code != 401 {
				sig = sign(secret, tt.body)
			}
			code, resp := deliver(t, srv.URL, tt.body, sig)
			if code != tt.code || !strings.Contains(resp, tt.msg) {
				t.Errorf("%d %s, want %d %q", code, resp, tt.code, tt.msg)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(resp), &v); err != nil {
				t.Errorf("answer is not JSON: %s", resp)
			}
		})
	}
	if st.count(t) != 1 { // only "rotating secrets" stored one
		t.Errorf("%d incidents stored, want 1", st.count(t))
	}
	if resp, _ := http.Get(srv.URL); resp.StatusCode != 405 {
		t.Errorf("GET: %d", resp.StatusCode)
	}
}

func TestStoreDown(t *testing.T) {
	srv, st := newServer(t, Config{})
	st.err = errors.New("connection refused")
	body := incidentEvent("01EVTRIG", "incident.triggered", "2026-03-02T09:04:52Z", "triggered")
	if code, resp := deliver(t, srv.URL, body, sign(secret, body)); code != 503 || strings.Contains(resp, "refused") {
		t.Errorf("%d %s: want 503 without the store's error", code, resp)
	}
}

func TestNew(t *testing.T) {
	if _, err := New(Config{}, nil, nil, nil); err == nil || !strings.Contains(err.Error(), "webhooks.pagerduty.secret") {
		t.Errorf("no secret: %v", err)
	}
	_, err := New(Config{Secret: "env:NOPE"}, nil, func(string) string { return "" }, nil)
	if err == nil || !strings.Contains(err.Error(), "NOPE is not set") {
		t.Errorf("unset variable: %v", err)
	}
	if err := (Config{MaxBytes: -1}).Validate("webhooks.pagerduty"); err == nil || !strings.Contains(err.Error(), "webhooks.pagerduty.max_bytes") {
		t.Errorf("Validate: %v", err)
	}
}

// A delivery without a v1 signature is refused before its body is read.
func TestUnsignedRefusedBeforeBody(t *testing.T) {
	h, err := New(Config{Secret: secret}, newMemStore(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []string{"", "v0=abc", "sha256=abc"} {
		body := &readRecorder{}
		r := httptest.NewRequest("POST", "/hooks/pagerduty", body)
		if sig != "" {
			r.Header.Set(SignatureHeader, sig)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 401 || body.read {
			t.Errorf("signature %q: %d, body read %v; want 401 without reading", sig, w.Code, body.read)
		}
	}
}

type readRecorder struct{ read bool }

func (b *readRecorder) Read(p []byte) (int, error) { b.read = true; return 0, io.EOF }

// TestWatches: the account's configured watches scope its incidents, so
// another brand whose watch names the same service is not linked to them.
func TestWatches(t *testing.T) {
	srv, st := newServer(t, Config{Services: map[string]string{"Checkout API": "checkout"}, Watches: []string{"acme"}})
	body := incidentEvent("01EVTRIG", "incident.triggered", "2026-03-02T09:04:52.120Z", "triggered")
	if code, resp := deliver(t, srv.URL, body, sign(secret, body)); code != 200 {
		t.Fatalf("%d %s", code, resp)
	}
	if inc := st.stored(t, "pagerduty:Q2XK8V1LMNOP"); len(inc.Watches) != 1 || inc.Watches[0] != "acme" {
		t.Errorf("stored with watches %v, want [acme]", inc.Watches)
	}
}
