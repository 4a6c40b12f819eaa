package opsgeniehook

import (
	"context"
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
	"github.com/earshot/earshot/internal/auth"
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

var env = func(k string) string {
	return map[string]string{"OG_TOKEN": "og-t0ken", "OG_PASS": "hunter2"}[k]
}

func newServer(t *testing.T, cfg Config) (*httptest.Server, *memStore) {
	t.Helper()
	st := newMemStore()
	h, err := New(cfg, st, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st
}

// action is an alert action delivery as Opsgenie's webhook integration
// sends it (createdAt in milliseconds, updatedAt in nanoseconds).
func action(act string, updatedNanos int64, extra string) string {
	return fmt.Sprintf(`{
  "action": %q,
  "alert": {
    "alertId": "7d1c2a90-5b1e-4f0e-9a3c-2f6b8e4d1a77-1772442291104",
    "message": "Checkout latency p99 above 3s",
    "tags": ["service:checkout", "prod", "eu-west-1"],
    "tinyId": "812",
    "entity": "checkout-api",
    "alias": "checkout-latency-p99",
    "createdAt": 1772442291104,
    "updatedAt": %d,
    "username": "dana@acme.test",
    "userId": "3f2a9c1e-0d4b-4c8e-b1a2-9e8f7d6c5b4a",
    "priority": "P2",
    "source": "Datadog",
    "description": "p99 latency of POST /checkout has been above 3s for 5 minutes."%s
  },
  "source": {"name": "Datadog", "type": "api"},
  "integrationName": "Earshot",
  "integrationId": "c1b2a3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
  "integrationType": "Webhook"
}`, act, updatedNanos, extra)
}

func post(t *testing.T, url, body string, set func(*http.Request)) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	if set != nil {
		set(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func bearer(tok string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

func TestAlertLifecycle(t *testing.T) {
	srv, st := newServer(t, Config{Token: "env:OG_TOKEN", Services: map[string]string{"checkout-api": "api"}})
	send := func(body string) string {
		t.Helper()
		code, resp := post(t, srv.URL, body, bearer("og-t0ken"))
		if code != 200 {
			t.Fatalf("%d %s", code, resp)
		}
		return resp
	}
	id := "opsgenie:7d1c2a90-5b1e-4f0e-9a3c-2f6b8e4d1a77-1772442291104"
	created := action("Create", 1772442291104000000, "")
	send(created)
	inc := st.stored(t, id)
	if inc.Title != "Checkout latency p99 above 3s" || inc.Status != earshot.Investigating || inc.Severity != "major" ||
		strings.Join(inc.Services, ",") != "checkout,api" || !inc.StartedAt.Equal(time.UnixMilli(1772442291104).UTC()) ||
		len(inc.Updates) != 1 || !strings.HasPrefix(inc.Updates[0].Body, "p99 latency") {
		t.Fatalf("after Create: %+v", inc)
	}
	if resp := send(created); !strings.Contains(resp, `"changed":false`) || st.saves != 1 {
		t.Fatalf("re-delivered Create: %s, %d saves", resp, st.saves)
	}
	ack := action("Acknowledge", 1772442400000000000, "")
	send(ack)
	send(ack)
	send(action("AddNote", 1772442500000000000, `, "note": "Scaling the checkout pool from 6 to 12."`))
	send(action("AddTags", 1772442550000000000, ""))
	send(action("Close", 1772443000000000000, ""))
	send(action("Close", 1772443000000000000, ""))

	inc = st.stored(t, id)
	got := []string{}
	for _, u := range inc.Updates {
		got = append(got, string(u.Status)+": "+u.Body)
	}
	want := []string{
		"investigating: p99 latency of POST /checkout has been above 3s for 5 minutes.",
		"identified: Acknowledged by dana@acme.test",
		"identified: Scaling the checkout pool from 6 to 12.",
		"resolved: Closed by dana@acme.test",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("updates:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if inc.Status != earshot.Resolved || !inc.ResolvedAt.Equal(time.Unix(0, 1772443000000000000).UTC()) || st.count(t) != 1 {
		t.Errorf("final: %+v", inc)
	}
}

func TestAuth(t *testing.T) {
	srv, st := newServer(t, Config{Token: "env:OG_TOKEN", Username: "opsgenie", Password: "env:OG_PASS"})
	body := action("Create", 1772442291104000000, "")
	tests := []struct {
		name string
		set  func(*http.Request)
		code int
	}{
		{"none", nil, 401},
		{"wrong bearer", bearer("nope"), 401},
		{"bearer", bearer("og-t0ken"), 200},
		{"token header", func(r *http.Request) { r.Header.Set(TokenHeader, "og-t0ken") }, 200},
		{"basic", func(r *http.Request) { r.SetBasicAuth("opsgenie", "hunter2") }, 200},
		{"basic wrong user", func(r *http.Request) { r.SetBasicAuth("admin", "hunter2") }, 401},
		{"basic wrong password", func(r *http.Request) { r.SetBasicAuth("opsgenie", "hunter3") }, 401},
		{"token as basic password", func(r *http.Request) { r.SetBasicAuth("opsgenie", "og-t0ken") }, 401},
	}
	for _, tt := range tests {
		if code, resp := post(t, srv.URL, body, tt.set); code != tt.code {
			t.Errorf("%s: %d %s, want %d", tt.name, code, resp, tt.code)
		}
	}
	if st.count(t) != 1 || st.saves != 1 {
		t.Errorf("%d incidents, %d saves", st.count(t), st.saves)
	}
}

func TestRejects(t *testing.T) {
	srv, _ := newServer(t, Config{Token: "env:OG_TOKEN", MaxBytes: 2048})
	tests := []struct {
		name, body string
		code       int
		msg        string
	}{
		{"oversized", action("Create", 1, `, "note": "`+strings.Repeat("n", 3000)+`"`), 413, "larger than 2048"},
		{"not JSON", `action=Create`, 400, "not an Opsgenie alert action"},
		{"no action", `{"alert": {"alertId": "a"}}`, 400, "action: missing"},
		{"no alert", `{"action": "Create"}`, 400, "alert: missing"},
		{"no alert id", `{"action": "Create", "alert": {"message": "x", "createdAt": 1772442291104}}`, 400, "alert.alertId"},
		{"no time", `{"action": "Close", "alert": {"alertId": "a"}}`, 400, "alert.updatedAt: missing"},
		{"bad time", `{"action": "Close", "alert": {"alertId": "a", "updatedAt": "soon"}}`, 400, "not an Opsgenie"},
		{"negative time", `{"action": "Close", "alert": {"alertId": "a", "updatedAt": -5}}`, 400, "alert.updatedAt"},
	}
	for _, tt := range tests {
		code, resp := post(t, srv.URL, tt.body, bearer("og-t0ken"))
		var v map[string]string
		if code != tt.code || !strings.Contains(resp, tt.msg) || json.Unmarshal([]byte(resp), &v) != nil {
			t.Errorf("%s: %d %s, want %d %q", tt.name, code, resp, tt.code, tt.msg)
		}
	}
}

func TestStoreDown(t *testing.T) {
	srv, st := newServer(t, Config{Token: "env:OG_TOKEN"})
	st.err = errors.New("dial tcp: refused")
	if code, resp := post(t, srv.URL, action("Create", 1772442291104000000, ""), bearer("og-t0ken")); code != 503 || strings.Contains(resp, "refused") {
		t.Errorf("%d %s", code, resp)
	}
}

func TestEpoch(t *testing.T) {
	want := time.Date(2026, 3, 2, 9, 4, 51, 104_000_000, time.UTC)
	for _, n := range []string{"1772442291104", "1772442291104000", "1772442291104000000"} {
		if got, err := epoch(json.Number(n)); err != nil || !got.Equal(want) {
			t.Errorf("epoch(%s) = %v, %v", n, got, err)
		}
	}
	if got, _ := epoch("1772442291"); !got.Equal(want.Truncate(time.Second)) {
		t.Errorf("seconds: %v", got)
	}
}

func TestNew(t *testing.T) {
	if _, err := New(Config{}, nil, env, nil); err == nil || !strings.Contains(err.Error(), "webhooks.opsgenie") {
		t.Errorf("no auth: %v", err)
	}
	if _, err := New(Config{Password: "env:OG_PASS"}, nil, env, nil); err == nil || !strings.Contains(err.Error(), "username") {
		t.Errorf("password without username: %v", err)
	}
	if _, err := New(Config{Token: "env:MISSING"}, nil, env, nil); err == nil || !strings.Contains(err.Error(), "webhooks.opsgenie.token: environment variable MISSING") {
		t.Errorf("unset variable: %v", err)
	}
}

// Credentials are checked before the body is read; each credential then
// has its own rate limit.
func TestAuthBeforeBodyAndLimit(t *testing.T) {
	h, err := New(Config{Token: "env:OG_TOKEN", Username: "opsgenie", Password: "env:OG_PASS"}, newMemStore(), env, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, set := range map[string]func(r *http.Request){
		"none":                                   func(r *http.Request) {},
		"wrong token":                            func(r *http.Request) { r.Header.Set(TokenHeader, "nope") },
		"wrong password":                         func(r *http.Request) { r.SetBasicAuth("opsgenie", "hunter3") },
		"user and password swapped at the colon": func(r *http.Request) { r.SetBasicAuth("opsgenie:hunter2", "") },
	} {
		body := &readRecorder{}
		r := httptest.NewRequest("POST", "/hooks/opsgenie", body)
		set(r)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 401 || body.read {
			t.Errorf("%s: %d, body read %v; want 401 without reading", name, w.Code, body.read)
		}
	}
	h.Limit = auth.NewLimiter(0.001, 1)
	codes := []int{}
	for range 2 {
		r := httptest.NewRequest("POST", "/hooks/opsgenie", strings.NewReader(`{"action":"Ping"}`))
		r.SetBasicAuth("opsgenie", "hunter2")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		codes = append(codes, w.Code)
	}
	if codes[0] == 429 || codes[1] != 429 {
		t.Errorf("statuses %v; want the second refused with 429", codes)
	}
}

type readRecorder struct{ read bool }

func (b *readRecorder) Read(p []byte) (int, error) { b.read = true; return 0, io.EOF }
