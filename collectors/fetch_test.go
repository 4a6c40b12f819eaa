package collectors

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestFetchStatuses(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		status  int
		header  map[string]string
		body    string
		max     int64
		check   func(error) bool
		message string
	}{
		{"ok", 200, nil, `{"a":1}`, 0, func(err error) bool { return err == nil }, ""},
		{"not modified", 304, nil, "", 0, func(err error) bool { return errors.Is(err, earshot.ErrNotModified) }, ""},
		{"429 seconds", 429, map[string]string{"Retry-After": "90"}, "", 0, waitIs(90 * time.Second), "rate limited"},
		{"503 twitter reset", 503, map[string]string{"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1772445900"}, "", 0, waitIs(5 * time.Minute), ""},
		{"429 reddit reset", 429, map[string]string{"X-Ratelimit-Remaining": "0.0", "X-Ratelimit-Reset": "42"}, "", 0, waitIs(42 * time.Second), ""},
		{"429 mastodon reset", 429, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-03-02T10:10:00.000Z"}, "", 0, waitIs(10 * time.Minute), ""},
		{"429 nothing said", 429, nil, "", 0, waitIs(0), ""},
		{"expired token", 401, nil, "", 0, func(err error) bool { return errors.Is(err, ErrUnauthorized) }, "401"},
		{"forbidden", 403, nil, "", 0, func(err error) bool { return errors.Is(err, ErrUnauthorized) }, "403"},
		{"server error", 500, nil, "", 0, func(err error) bool { return err != nil }, "unexpected status 500"},
		{"too large", 200, nil, strings.Repeat("x", 11), 10, func(err error) bool { return err != nil }, "larger than 10 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("User-Agent") != "earshot-test" {
					t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
				}
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/x?access_token=s3cret", nil)
			resp, err := Fetch(Deps{HTTP: srv.Client(), UserAgent: "earshot-test", Now: func() time.Time { return now }}, req, tt.max)
			if !tt.check(err) {
				t.Fatalf("err = %v", err)
			}
			if err != nil && (!strings.Contains(err.Error(), tt.message) || strings.Contains(err.Error(), "s3cret")) {
				t.Errorf("error %q: want it to mention %q and hide the token", err, tt.message)
			}
			if err == nil && string(resp.Body) != tt.body {
				t.Errorf("body = %q", resp.Body)
			}
		})
	}
}

func waitIs(d time.Duration) func(error) bool {
	return func(err error) bool {
		var ra *RetryAfterError
		return errors.As(err, &ra) && ra.Wait == d && errors.Is(err, earshot.ErrRateLimited)
	}
}

func TestStatusErrorKeepsTheBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		w.Write([]byte(`{"error":"ExpiredToken","message":"Token has expired"}`))
	}))
	defer srv.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL, nil)
	_, err := Fetch(Deps{HTTP: srv.Client()}, req, 0)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 400 || !strings.Contains(string(se.Body), "ExpiredToken") {
		t.Fatalf("err = %#v", err)
	}
	if strings.Contains(err.Error(), "ExpiredToken") || errors.Is(err, ErrUnauthorized) {
		t.Errorf("400 error %q: body leaked into the message or taken for a refused credential", err)
	}
}

func TestGetJSONMalformed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t" || r.Header.Get("Accept") != "application/json" {
			t.Errorf("headers = %v", r.Header)
		}
		w.Write([]byte(`{"data": [`))
	}))
	defer srv.Close()
	var v struct{ Data []int }
	_, err := GetJSON(t.Context(), Deps{HTTP: srv.Client()}, srv.URL+"/api", http.Header{"Authorization": {"Bearer t"}}, 0, &v)
	if err == nil || !strings.Contains(err.Error(), "decoding "+srv.URL+"/api") {
		t.Errorf("err = %v", err)
	}
}

func TestExhausted(t *testing.T) {
	now := time.Unix(1772445600, 0)
	h := http.Header{}
	if _, ok := Exhausted(h, now); ok {
		t.Error("no headers: exhausted")
	}
	h.Set("x-rate-limit-remaining", "3")
	h.Set("x-rate-limit-reset", "1772445660")
	if _, ok := Exhausted(h, now); ok {
		t.Error("3 remaining: exhausted")
	}
	h.Set("x-rate-limit-remaining", "0")
	if d, ok := Exhausted(h, now); !ok || d != time.Minute {
		t.Errorf("0 remaining: %v %v, want 1m", d, ok)
	}
	if d := RateLimitWait(http.Header{"Retry-After": {"5"}, "X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {"1772445660"}}, now); d != 5*time.Second {
		t.Errorf("Retry-After must win: %v", d)
	}
}
