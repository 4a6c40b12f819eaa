package incidentapi

import (
	"context"
	"encoding/json"
	"errors"
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

// memStore is the in-memory store; err, when set, fails every save and
// read of one incident.
type memStore struct {
	*memstore.Store
	mu  sync.Mutex
	err error
}

func newMemStore() *memStore { return &memStore{Store: memstore.New()} }

func (s *memStore) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *memStore) SaveIncident(ctx context.Context, inc earshot.Incident) error {
	if err := s.failure(); err != nil {
		return err
	}
	return s.Store.SaveIncident(ctx, inc)
}

func (s *memStore) Incident(ctx context.Context, id string) (earshot.Incident, error) {
	if err := s.failure(); err != nil {
		return earshot.Incident{}, err
	}
	return s.Store.Incident(ctx, id)
}

// stored returns every stored incident, by ID.
func (s *memStore) stored(t *testing.T) map[string]earshot.Incident {
	t.Helper()
	all, err := s.Store.Incidents(t.Context(), time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]earshot.Incident{}
	for _, inc := range all {
		out[inc.ID] = inc
	}
	return out
}

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newServer(t *testing.T) (*httptest.Server, *memStore) {
	t.Helper()
	st := newMemStore()
	clock := now
	h, err := New(st, Options{Tokens: []string{"other", "s3cret"}, MaxBytes: 4096, Now: func() time.Time {
		clock = clock.Add(time.Minute)
		return clock
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st
}

func call(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %s", method, url, raw)
	}
	return resp.StatusCode, v
}

func TestLifecycle(t *testing.T) {
	srv, st := newServer(t)
	base := srv.URL + "/api/v1/incidents"

	code, v := call(t, "POST", base, "s3cret", `{"title": "Checkout failing", "services": ["checkout", "api"], "watches": ["acme-pay"], "severity": "major", "message": "Customers report failed payments."}`)
	if code != 201 {
		t.Fatalf("open: %d %v", code, v)
	}
	if w, _ := v["watches"].([]any); len(w) != 1 || w[0] != "acme-pay" {
		t.Errorf("opened with watches %v, want [acme-pay]", v["watches"])
	}
	id := v["id"].(string)
	if !strings.HasPrefix(id, "manual:20260302-1001") || v["status"] != "investigating" || v["source"] != "manual" {
		t.Fatalf("opened %v", v)
	}

	code, v = call(t, "POST", base+"/"+id+"/updates", "s3cret", `{"status": "identified", "message": "A bad deploy of the payment service."}`)
	if code != 200 || v["status"] != "identified" {
		t.Fatalf("update: %d %v", code, v)
	}
	code, v = call(t, "POST", base+"/"+id+"/updates", "s3cret", `{"message": "Rollback 60% done."}`)
	if code != 200 || v["status"] != "identified" {
		t.Fatalf("note: %d %v", code, v)
	}
	code, v = call(t, "POST", base+"/"+id+"/resolve", "s3cret", ``)
	if code != 200 || v["status"] != "resolved" || v["resolved_at"] != "2026-03-02T10:04:00Z" {
		t.Fatalf("resolve: %d %v", code, v)
	}
	if n := len(st.stored(t)[id].Updates); n != 4 {
		t.Errorf("%d updates, want 4", n)
	}

	code, v = call(t, "POST", base+"/"+id+"/updates", "s3cret", `{"status": "monitoring", "message": "again?"}`)
	if code != 409 || !strings.Contains(v["error"].(string), "already resolved") {
		t.Errorf("update after resolve: %d %v", code, v)
	}
	code, _ = call(t, "POST", base+"/"+id+"/resolve", "s3cret", `{}`)
	if code != 409 {
		t.Errorf("second resolve: %d", code)
	}

	code, v = call(t, "GET", base+"?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z", "", "")
	if list := v["incidents"].([]any); code != 200 || len(list) != 1 {
		t.Errorf("list: %d %v", code, v)
	}
	code, v = call(t, "GET", base+"?from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z", "", "")
	if list := v["incidents"].([]any); code != 200 || len(list) != 0 {
		t.Errorf("list of a later day: %d %v", code, v)
	}
	if code, v = call(t, "GET", base+"/"+id, "", ""); code != 200 || v["id"] != id {
		t.Errorf("get: %d %v", code, v)
	}
	if code, _ = call(t, "GET", base+"/manual:nope", "", ""); code != 404 {
		t.Errorf("get unknown: %d", code)
	}
}

func TestAuthAndValidation(t *testing.T) {
	srv, st := newServer(t)
	base := srv.URL + "/api/v1/incidents"
	call(t, "POST", base, "s3cret", `{"id": "db-1", "title": "Database slow"}`)

	tests := []struct {
		name, method, path, token, body string
		code                            int
		field, msg                      string
	}{
		{"no token", "POST", "", "", `{"title": "x"}`, 401, "", "bearer token"},
		{"wrong token", "POST", "", "s3cre", `{"title": "x"}`, 401, "", ""},
		{"no token on update", "POST", "/manual:db-1/updates", "", `{"message": "x"}`, 401, "", ""},
		{"no token on resolve", "POST", "/manual:db-1/resolve", "", ``, 401, "", ""},
		{"oversized", "POST", "", "s3cret", `{"title": "` + strings.Repeat("x", 5000) + `"}`, 413, "", "larger than 4096"},
		{"not JSON", "POST", "", "s3cret", `title=x`, 400, "", "not a JSON object"},
		{"two objects", "POST", "", "s3cret", `{"title": "x"} {"title": "y"}`, 400, "", "one JSON object"},
		{"no title", "POST", "", "s3cret", `{"services": ["api"]}`, 400, "title", "title: required"},
		{"title too long", "POST", "", "s3cret", `{"title": "` + strings.Repeat("x", 1100) + `"}`, 400, "title", "longer than"},
		{"services not a list", "POST", "", "s3cret", `{"title": "x", "services": "api"}`, 400, "services", "services: must be"},
		{"empty service", "POST", "", "s3cret", `{"title": "x", "services": ["api", " "]}`, 400, "services[1]", "empty"},
		{"empty watch", "POST", "", "s3cret", `{"title": "x", "watches": [""]}`, 400, "watches[0]", "empty"},
		{"bad severity", "POST", "", "s3cret", `{"title": "x", "severity": "sev1"}`, 400, "severity", "not one of"},
		{"opened resolved", "POST", "", "s3cret", `{"title": "x", "status": "resolved"}`, 400, "status", "cannot be opened resolved"},
		{"bad status", "POST", "", "s3cret", `{"title": "x", "status": "down"}`, 400, "status", "not one of"},
		{"bad time", "POST", "", "s3cret", `{"title": "x", "started_at": "yesterday"}`, 400, "", "RFC 3339"},
		{"future start", "POST", "", "s3cret", `{"title": "x", "started_at": "2027-01-01T00:00:00Z"}`, 400, "started_at", "in the future"},
		{"bad url", "POST", "", "s3cret", `{"title": "x", "url": "javascript:alert(1)"}`, 400, "url", "http(s)"},
		{"unknown field", "POST", "", "s3cret", `{"title": "x", "impact": "major"}`, 400, "impact", "unknown field"},
		{"bad id", "POST", "", "s3cret", `{"id": "a b", "title": "x"}`, 400, "id", "letters"},
		{"id taken", "POST", "", "s3cret", `{"id": "db-1", "title": "x"}`, 409, "id", "already exists"},
		{"update needs something", "POST", "/manual:db-1/updates", "s3cret", `{}`, 400, "message", "required"},
		{"update bad status", "POST", "/manual:db-1/updates", "s3cret", `{"status": "fixed"}`, 400, "status", "not one of"},
		{"update before the last", "POST", "/manual:db-1/updates", "s3cret", `{"message": "x", "at": "2026-03-01T00:00:00Z"}`, 400, "at", "before"},
		{"update unknown", "POST", "/manual:nope/updates", "s3cret", `{"message": "x"}`, 404, "", "no incident"},
		{"bad window", "GET", "?from=last-week", "", ``, 400, "from", "RFC 3339"},
		{"empty window", "GET", "?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "", ``, 400, "from", "before to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, v := call(t, tt.method, base+tt.path, tt.token, tt.body)
			msg, _ := v["error"].(string)
			field, _ := v["field"].(string)
			if code != tt.code || field != tt.field || !strings.Contains(msg, tt.msg) {
				t.Errorf("%d %v, want %d field %q %q", code, v, tt.code, tt.field, tt.msg)
			}
		})
	}
	if stored := st.stored(t); len(stored) != 1 || len(stored["manual:db-1"].Updates) != 1 {
		t.Errorf("refused requests changed the store: %+v", stored)
	}
}

func TestStoreDown(t *testing.T) {
	srv, st := newServer(t)
	st.err = errors.New("connection refused by 10.0.0.5")
	code, v := call(t, "POST", srv.URL+"/api/v1/incidents", "s3cret", `{"title": "x"}`)
	if code != 503 || strings.Contains(v["error"].(string), "10.0.0.5") {
		t.Errorf("%d %v", code, v)
	}
}

func TestNewNeedsTokens(t *testing.T) {
	if _, err := New(newMemStore(), Options{Tokens: []string{" "}}); err == nil || !strings.Contains(err.Error(), "incident_api.tokens") {
		t.Errorf("err = %v", err)
	}
}

// A write without a token is refused before its body is read; each token
// has its own rate limit.
func TestWriteAuthBeforeBodyAndLimit(t *testing.T) {
	st := newMemStore()
	h, err := New(st, Options{Tokens: []string{"other", "s3cret"}, Limit: auth.NewLimiter(0.001, 1)})
	if err != nil {
		t.Fatal(err)
	}
	body := &readRecorder{}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("POST", "/api/v1/incidents", body))
	if w.Code != 401 || body.read {
		t.Errorf("no token: %d, body read %v; want 401 without reading", w.Code, body.read)
	}
	open := func(token string) int {
		r := httptest.NewRequest("POST", "/api/v1/incidents", strings.NewReader(`{"title":"Billing emails late","services":["billing"]}`))
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	if got := []int{open("s3cret"), open("s3cret"), open("other")}; got[0] != 201 || got[1] != 429 || got[2] != 201 {
		t.Errorf("statuses %v; want 201, then 429 for the same token, 201 for another", got)
	}
}

type readRecorder struct{ read bool }

func (b *readRecorder) Read(p []byte) (int, error) { b.read = true; return 0, io.EOF }
