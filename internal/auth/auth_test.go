package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestTokensMatch(t *testing.T) {
	tok := NewTokens("alpha", "", "beta-longer-token")
	if tok.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (the empty token is ignored)", tok.Len())
	}
	for _, tc := range []struct {
		given string
		index int
		ok    bool
	}{
		{"alpha", 0, true},
		{"beta-longer-token", 1, true},
		{"alph", -1, false},
		{"alphaa", -1, false},
		{"", -1, false},
		{"ALPHA", -1, false},
	} {
		i, ok := tok.Match(tc.given)
		if i != tc.index || ok != tc.ok {
			t.Errorf("Match(%q) = %d, %v; want %d, %v", tc.given, i, ok, tc.index, tc.ok)
		}
	}
	if _, ok := (Tokens{}).Match("x"); ok {
		t.Error("an empty set matched")
	}
}

func TestBearer(t *testing.T) {
	for h, want := range map[string]string{
		"Bearer abc":   "abc",
		"Bearer  abc ": "abc",
		"bearer abc":   "",
		"Basic abc":    "",
		"Bearerabc":    "",
		"":             "",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", h)
		if got := Bearer(r); got != want {
			t.Errorf("Bearer(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(2, 3) // 2/s, bursts of 3
	l.now = func() time.Time { return now }
	for i := range 3 {
		if d := l.Wait("a"); d != 0 {
			t.Fatalf("request %d of the burst waits %s", i+1, d)
		}
	}
	if d := l.Wait("a"); d != 500*time.Millisecond {
		t.Errorf("fourth request waits %s, want 500ms", d)
	}
	if d := l.Wait("b"); d != 0 {
		t.Errorf("another key waits %s", d)
	}
	// A refused request is not counted: after 500ms exactly one more goes.
	now = now.Add(500 * time.Millisecond)
	if d := l.Wait("a"); d != 0 {
		t.Errorf("after 500ms: waits %s", d)
	}
	if d := l.Wait("a"); d == 0 {
		t.Error("after 500ms: two requests went")
	}

	w := httptest.NewRecorder()
	if l.Allow(w, "a") {
		t.Fatal("Allow let an over-limit request through")
	}
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Errorf("answer %d, Retry-After %q; want 429, 1", w.Code, w.Header().Get("Retry-After"))
	}
	var nilLimiter *Limiter
	if !nilLimiter.Allow(httptest.NewRecorder(), "a") || NewLimiter(0, 5) != nil {
		t.Error("no limit configured should allow everything")
	}
}

func TestLimiterBoundsKeys(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(1, 1)
	l.now = func() time.Time { return now }
	for i := range maxKeys + 10 {
		l.Wait(strings.Repeat("k", 1+i%50) + string(rune('a'+i%26)) + time.Duration(i).String())
	}
	if n := len(l.buckets); n > maxKeys {
		t.Errorf("%d buckets kept, want at most %d", n, maxKeys)
	}
}

func TestUserInContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := UserFrom(ctx); ok {
		t.Fatal("a user in an empty context")
	}
	want := earshot.User{Name: "sam", Role: earshot.RoleSupport}
	if got, ok := UserFrom(WithUser(ctx, want)); !ok || got != want {
		t.Errorf("UserFrom = %+v, %v", got, ok)
	}
}
