package ingestapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/internal/auth"
)

type sink struct {
	posts []earshot.Post
	err   error
}

func (s *sink) add(_ context.Context, posts []earshot.Post) error {
	if s.err != nil {
		return s.err
	}
	s.posts = append(s.posts, posts...)
	return nil
}

var env = func(k string) string {
	return map[string]string{"TOK": "t0ken", "SIGN": "s1gn"}[k]
}

func newServer(t *testing.T, cfg Config) (*httptest.Server, *sink, *bytes.Buffer) {
	t.Helper()
	s := &sink{}
	var logs bytes.Buffer
	h, err := New(cfg, s.add, env, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, s, &logs
}

func post(t *testing.T, url, body string, header map[string]string) (int, Result, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var res Result
	json.Unmarshal(raw, &res)
	return resp.StatusCode, res, string(raw)
}

const twoGood = `[{"id":"1","source":"zendesk","text":"Acme is down","created_at":"2026-03-02T10:00:00Z"},
{"id":"2","source":"zendesk","text":"fixed, thanks","created_at":"2026-03-02T11:00:00Z","author":{"handle":"sam"}}]`

func TestIngestBearer(t *testing.T) {
	srv, s, _ := newServer(t, Config{Tokens: []collectors.Secret{"env:TOK"}})
	code, res, raw := post(t, srv.URL, twoGood, map[string]string{"Authorization": "Bearer t0ken"})
	if code != 200 || res.Accepted != 2 || res.Rejected != 0 {
		t.Fatalf("%d %s", code, raw)
	}
	if len(s.posts) != 2 || s.posts[0].ID != "zendesk:1" || s.posts[1].Author.Handle != "sam" {
		t.Errorf("posts = %+v", s.posts)
	}
	for name, hdr := range map[string]map[string]string{
		"no auth":     nil,
		"wrong token": {"Authorization": "Bearer nope"},
		"basic":       {"Authorization": "Basic dDBrZW4="},
	} {
		if code, _, _ := post(t, srv.URL, twoGood, hdr); code != 401 {
			t.Errorf("%s: status %d, want 401", name, code)
		}
	}
	if len(s.posts) != 2 {
		t.Errorf("unauthorized requests reached the sink: %d posts", len(s.posts))
	}
}

func signed(body string, at time.Time) map[string]string {
	ts := strconv.FormatInt(at.Unix(), 10)
	return map[string]string{TimestampHeader: ts, SignatureHeader: "sha256=" + hex.EncodeToString(Sign([]byte("s1gn"), ts, []byte(body)))}
}

func TestIngestSignature(t *testing.T) {
	srv, s, _ := newServer(t, Config{SigningSecret: "env:SIGN"})
	now := time.Now()
	if code, _, raw := post(t, srv.URL, twoGood, signed(twoGood, now)); code != 200 {
		t.Fatalf("signed: %d %s", code, raw)
	}
	// The scheme by hand: HMAC-SHA256(secret, timestamp + "." + body).
	mac := hmac.New(sha256.New, []byte("s1gn"))
	ts := strconv.FormatInt(now.Unix(), 10)
	mac.Write([]byte(ts + "." + twoGood))
	byHand := map[string]string{TimestampHeader: ts, SignatureHeader: "sha256=" + hex.EncodeToString(mac.Sum(nil))}
	if code, _, raw := post(t, srv.URL, twoGood, byHand); code != 200 {
		t.Fatalf("signed by hand: %d %s", code, raw)
	}
	bodyOnly := hmac.New(sha256.New, []byte("s1gn"))
	bodyOnly.Write([]byte(twoGood))
	for name, tc := range map[string]struct {
		body   string
		header map[string]string
		want   string
	}{
		"body changed after signing": {twoGood + " ", signed(twoGood, now), "wrong signature"},
		"garbage signature":          {twoGood, map[string]string{TimestampHeader: ts, SignatureHeader: "sha256=zz"}, "wrong signature"},
		"no timestamp":               {twoGood, map[string]string{SignatureHeader: "sha256=" + hex.EncodeToString(bodyOnly.Sum(nil))}, TimestampHeader},
		"timestamp changed":          {twoGood, map[string]string{TimestampHeader: strconv.FormatInt(now.Unix()+1, 10), SignatureHeader: signed(twoGood, now)[SignatureHeader]}, "wrong signature"},
		"replayed 6 minutes later":   {twoGood, signed(twoGood, now.Add(-6*time.Minute)), "more than 5m0s"},
		"dated in the future":        {twoGood, signed(twoGood, now.Add(6*time.Minute)), "more than 5m0s"},
	} {
		if code, _, raw := post(t, srv.URL, tc.body, tc.header); code != 401 || !strings.Contains(raw, tc.want) {
			t.Errorf("%s: %d %s; want 401 saying %q", name, code, raw, tc.want)
		}
	}
	if len(s.posts) != 4 {
		t.Errorf("%d posts reached the sink, want 4", len(s.posts))
	}
}

// Credentials are checked before the body is read.
func TestIngestAuthBeforeBody(t *testing.T) {
	h, err := New(Config{Tokens: []collectors.Secret{"env:TOK"}, SigningSecret: "env:SIGN"}, (&sink{}).add, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, hdr := range map[string]map[string]string{
		"no credential":   nil,
		"wrong token":     {"Authorization": "Bearer nope"},
		"stale signature": signed("x", time.Now().Add(-time.Hour)),
	} {
		body := &watchedBody{}
		req := httptest.NewRequest("POST", "/api/v1/ingest", body)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 401 || body.read {
			t.Errorf("%s: %d, body read %v; want 401 without reading", name, w.Code, body.read)
		}
	}
}

// watchedBody records whether it was read.
type watchedBody struct{ read bool }

func (b *watchedBody) Read(p []byte) (int, error) { b.read = true; return 0, io.EOF }

func TestIngestRateLimit(t *testing.T) {
	s := &sink{}
	h, err := New(Config{Tokens: []collectors.Secret{"env:TOK", "other"}}, s.add, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.Limit = auth.NewLimiter(0.5, 2)
	srv := httptest.NewServer(h)
	defer srv.Close()
	one := `{"id":"1","source":"f","text":"x","created_at":"2026-03-02T10:00:00Z"}`
	tok := map[string]string{"Authorization": "Bearer t0ken"}
	for i := range 2 {
		if code, _, raw := post(t, srv.URL, one, tok); code != 200 {
			t.Fatalf("request %d: %d %s", i+1, code, raw)
		}
	}
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(one))
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Errorf("third request: %d, Retry-After %q; want 429, 2", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Another token has its own budget; a wrong token gets 401, not 429.
	if code, _, _ := post(t, srv.URL, one, map[string]string{"Authorization": "Bearer other"}); code != 200 {
		t.Errorf("other token: %d", code)
	}
	if code, _, _ := post(t, srv.URL, one, map[string]string{"Authorization": "Bearer nope"}); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	if len(s.posts) != 3 {
		t.Errorf("%d posts stored, want 3", len(s.posts))
	}
}

func TestIngestPerItemErrorsAndJSONLines(t *testing.T) {
	srv, s, _ := newServer(t, Config{Tokens: []collectors.Secret{"env:TOK"}})
	body := `{"id":"1","source":"form","text":"Acme login broken","created_at":"2026-03-02T10:00:00Z"}

{"id":"2","source":"form","created_at":"2026-03-02T10:00:00Z"}
["not", "an object"]
{"id":"3","source":"form","text":"ok","created_at":"last week"}
`
	code, res, raw := post(t, srv.URL, body, map[string]string{"Authorization": "Bearer t0ken"})
	if code != 200 || res.Accepted != 1 || res.Rejected != 3 {
		t.Fatalf("%d %s", code, raw)
	}
	want := []ItemError{{1, "2", "missing text"}, {2, "", ""}, {3, "3", `created_at "last week" is not an RFC 3339 time`}}
	for i, w := range want {
		got := res.Errors[i]
		if got.Index != w.Index || got.ID != w.ID || (w.Error != "" && got.Error != w.Error) || got.Error == "" {
			t.Errorf("error %d = %+v, want %+v", i, got, w)
		}
	}
	if len(s.posts) != 1 {
		t.Errorf("%d posts stored", len(s.posts))
	}
	code, res, _ = post(t, srv.URL, `[{"id":"x"}]`, map[string]string{"Authorization": "Bearer t0ken"})
	if code != 422 || res.Rejected != 1 {
		t.Errorf("all refused: %d %+v, want 422", code, res)
	}
}

func TestIngestLimitsAndBadBodies(t *testing.T) {
	srv, s, logs := newServer(t, Config{Tokens: []collectors.Secret{"env:TOK"}, MaxBytes: 300, MaxPosts: 1})
	auth := map[string]string{"Authorization": "Bearer t0ken"}
	if code, _, _ := post(t, srv.URL, strings.Repeat(" ", 301), auth); code != 413 {
		t.Errorf("oversized: %d, want 413", code)
	}
	if code, _, raw := post(t, srv.URL, twoGood, auth); code != 400 || !strings.Contains(raw, "at most 1") {
		t.Errorf("too many posts: %d %s", code, raw)
	}
	for _, b := range []string{"", "[{", "\xff\xfe"} {
		if code, _, _ := post(t, srv.URL, b, auth); code != 400 {
			t.Errorf("body %q: %d, want 400", b, code)
		}
	}
	s.err = errors.New("store down at clickhouse://u:secret@h")
	one := `[{"id":"1","source":"f","text":"x","created_at":"2026-03-02T10:00:00Z"}]`
	if code, _, raw := post(t, srv.URL, one, auth); code != 503 || strings.Contains(raw, "secret") {
		t.Errorf("sink failing: %d %s", code, raw)
	}
	if strings.Contains(logs.String(), "t0ken") {
		t.Error("token logged")
	}
	if code, _, _ := post(t, srv.URL+"/", one, auth); code == 405 {
		t.Error("POST refused")
	}
	req, _ := http.NewRequest("GET", srv.URL, nil)
	resp, _ := http.DefaultClient.Do(req)
	if resp.StatusCode != 405 {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
}

func TestNewRefusesOpenAPI(t *testing.T) {
	if _, err := New(Config{}, nil, env, nil); err == nil {
		t.Error("New accepted a config without auth")
	}
	if _, err := New(Config{Tokens: []collectors.Secret{"env:UNSET"}}, nil, env, nil); err == nil || !strings.Contains(err.Error(), "tokens[0]") {
		t.Errorf("unset token variable: %v", err)
	}
}

// A busy pipeline is a 503 with the wait in Retry-After (whole seconds,
// rounded up), and nothing of the request is kept.
func TestIngestBusy(t *testing.T) {
	srv, s, _ := newServer(t, Config{Tokens: []collectors.Secret{"env:TOK"}})
	auth := map[string]string{"Authorization": "Bearer t0ken"}
	s.err = &earshot.BusyError{Reason: "spool full", After: 2500 * time.Millisecond}
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(twoGood))
	req.Header.Set("Authorization", auth["Authorization"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("busy: %d, Retry-After %q; want 503 and 3", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if len(s.posts) != 0 {
		t.Errorf("%d posts kept from a refused request", len(s.posts))
	}
	// Any other failure is a 503 without a promise of when.
	s.err = errors.New("spooling posts: disk error")
	resp, err = http.DefaultClient.Do(mustReq(t, srv.URL, twoGood, auth))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "" {
		t.Errorf("failing: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func mustReq(t *testing.T, url, body string, header map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}
