package engine

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/store/memstore"
)

// TestSilenceAPI: silences are written with a token only, checked, kept
// in the store, listed with their state, and expired; on both stores.
func TestSilenceAPI(t *testing.T) {
	for _, sc := range stores {
		t.Run(sc.name, func(t *testing.T) {
			st := sc.open(t)
			now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
			woken := 0
			h := Handler(APIOptions{Alerts: memstore.New(), Episodes: memstore.New(), Silences: st,
				Tokens: []string{"s3cret"}, Changed: func() { woken++ }, Now: func() time.Time { return now }})
			do := func(method, path, token, body string) (int, string) {
				req := httptest.NewRequest(method, path, strings.NewReader(body))
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec.Code, rec.Body.String()
			}
			good := `{"matchers":["watch=\"acme\""],"duration":"2h","created_by":"zoë","comment":"maintenance"}`
			for _, tc := range []struct {
				token, body string
				code        int
				msg         string
			}{
				{"", good, http.StatusUnauthorized, "Bearer"},
				{"wrong", good, http.StatusUnauthorized, "Bearer"},
				{"s3cret", `{"matchers":[],"duration":"2h"}`, http.StatusBadRequest, "matchers"},
				{"s3cret", `{"matchers":["watch=~\"(\""],"duration":"2h"}`, http.StatusBadRequest, "matchers"},
				{"s3cret", `{"matchers":["watch=\"acme\""]}`, http.StatusBadRequest, "ends_at"},
				{"s3cret", `{"matchers":["watch=\"acme\""],"duration":"-1h"}`, http.StatusBadRequest, "duration"},
				{"s3cret", `{"matchers":["watch=\"acme\""],"duration":"1h","extra":1}`, http.StatusBadRequest, "extra"},
			} {
				if code, body := do("POST", "/api/silences", tc.token, tc.body); code != tc.code || !strings.Contains(body, tc.msg) {
					t.Errorf("POST %s with %q: %d %s, want %d and %q", tc.body, tc.token, code, body, tc.code, tc.msg)
				}
			}
			if woken != 0 {
				t.Errorf("refused writes woke the engine %d times", woken)
			}
			code, body := do("POST", "/api/silences", "s3cret", good)
			if code != http.StatusCreated {
				t.Fatalf("POST: %d %s", code, body)
			}
			var made SilenceView
			if err := json.Unmarshal([]byte(body), &made); err != nil {
				t.Fatal(err)
			}
			if made.ID == "" || made.State != "active" || !made.EndsAt.Equal(now.Add(2*time.Hour)) || made.CreatedBy != "zoë" {
				t.Errorf("created %+v", made)
			}
			list := func() []SilenceView {
				t.Helper()
				code, body := do("GET", "/api/silences", "", "")
				var out []SilenceView
				if code != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil {
					t.Fatalf("GET: %d %s", code, body)
				}
				return out
			}
			if got := list(); len(got) != 1 || got[0].ID != made.ID || got[0].State != "active" {
				t.Errorf("listed %+v", got)
			}
			now = now.Add(30 * time.Minute)
			if code, body := do("POST", "/api/silences/"+made.ID+"/expire", "", ""); code != http.StatusUnauthorized {
				t.Errorf("expire without token: %d %s", code, body)
			}
			if code, body := do("POST", "/api/silences/nope/expire", "s3cret", ""); code != http.StatusNotFound {
				t.Errorf("expire unknown: %d %s", code, body)
			}
			if code, body := do("POST", "/api/silences/"+made.ID+"/expire", "s3cret", ""); code != http.StatusOK || !strings.Contains(body, `"state":"expired"`) {
				t.Errorf("expire: %d %s", code, body)
			}
			if got := list(); len(got) != 1 || got[0].State != "expired" || !got[0].EndsAt.Equal(now) {
				t.Errorf("after expiring: %+v", got)
			}
			if woken != 2 {
				t.Errorf("writes woke the engine %d times, want 2", woken)
			}
		})
	}
}
