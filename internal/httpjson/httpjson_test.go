package httpjson

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	rec := httptest.NewRecorder()
	Write(rec, http.StatusCreated, map[string]string{"text": "<script>alert(1)</script>"})
	if rec.Code != http.StatusCreated {
		t.Errorf("status %d", rec.Code)
	}
	for k, want := range map[string]string{
		"Content-Type":           "application/json; charset=utf-8",
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "no-store",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if strings.Contains(rec.Body.String(), "<script>") {
		t.Errorf("HTML not escaped in JSON: %s", rec.Body)
	}
	var back map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &back); err != nil || back["text"] != "<script>alert(1)</script>" {
		t.Errorf("body does not decode back: %v %v", back, err)
	}
}

func TestReadPost(t *testing.T) {
	cases := []struct {
		name, method, body string
		ok                 bool
		status             int
		errText            string
	}{
		{"post within the bound", http.MethodPost, `{"a":1}`, true, 0, ""},
		{"empty post", http.MethodPost, ``, true, 0, ""},
		{"get", http.MethodGet, ``, false, http.StatusMethodNotAllowed, "use POST"},
		{"too large", http.MethodPost, strings.Repeat("x", 65), false, http.StatusRequestEntityTooLarge, "body larger than 64 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(c.method, "/hook", strings.NewReader(c.body))
			body, ok := ReadPost(rec, req, 64)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v (answer %d %s)", ok, c.ok, rec.Code, rec.Body)
			}
			if ok {
				if string(body) != c.body {
					t.Errorf("body %q, want %q", body, c.body)
				}
				return
			}
			if rec.Code != c.status {
				t.Errorf("status %d, want %d", rec.Code, c.status)
			}
			var e map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e["error"] != c.errText {
				t.Errorf("error body %s, want error %q", rec.Body, c.errText)
			}
			if c.status == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q", rec.Header().Get("Allow"))
			}
		})
	}
}
