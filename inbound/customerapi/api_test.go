package customerapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/store/memstore"
)

// as serves routes with u in every request's context (none when u is
// zero), as the sign-in middleware would.
func as(u earshot.User, st Store, o Options) http.Handler {
	mux := http.NewServeMux()
	for p, h := range Routes(st, o) {
		mux.Handle(p, h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u != (earshot.User{}) {
			r = r.WithContext(auth.WithUser(r.Context(), u))
		}
		mux.ServeHTTP(w, r)
	})
}

func do(t *testing.T, h http.Handler, path, ctype, body, token string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", ctype)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

var (
	admin   = earshot.User{Name: "ada", Role: earshot.RoleAdmin}
	support = earshot.User{Name: "sam", Role: earshot.RoleSupport}
)

func TestImportAPI(t *testing.T) {
	list := "source,handle,kind,name,tier\ntwitter,zoe,customer,Zoë,enterprise\ntwitter,,customer,X,\nmastodon,news@social.example,media,,\n"
	t.Run("admin imports, bad lines reported", func(t *testing.T) {
		st := memstore.New()
		w := do(t, as(admin, st, Options{Now: func() time.Time { return now }}), "/api/v1/customers/import", "text/csv", list, "")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		var rep Report
		if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Read != 3 || rep.Imported != 2 || rep.Rejected != 1 || rep.Errors[0].Line != 3 || rep.ByKind[earshot.AccountMedia] != 1 {
			t.Errorf("report: %+v", rep)
		}
		got, _ := st.SocialAccounts(t.Context())
		if len(got) != 2 || got[1].Name != "Zoë" || got[1].Tier != "enterprise" {
			t.Errorf("stored: %+v", got)
		}
	})
	t.Run("JSON by content type", func(t *testing.T) {
		st := memstore.New()
		w := do(t, as(admin, st, Options{}), "/api/v1/customers/import", "application/json", `[{"source":"twitter","handle":"a","kind":"bot"}]`, "")
		if got, _ := st.SocialAccounts(t.Context()); w.Code != http.StatusOK || len(got) != 1 || got[0].Kind != earshot.AccountBot {
			t.Errorf("status %d %s; stored %+v", w.Code, w.Body, got)
		}
	})
	for _, tc := range []struct {
		name  string
		user  earshot.User
		token string
		want  int
	}{
		{"support may not", support, "", http.StatusForbidden},
		{"nobody may not", earshot.User{}, "", http.StatusUnauthorized},
		{"a wrong token may not", earshot.User{}, "nope", http.StatusUnauthorized},
		{"a write token acts as admin", earshot.User{}, "s3cret", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := memstore.New()
			w := do(t, as(tc.user, st, Options{WriteTokens: []string{"s3cret"}}), "/api/v1/customers/import", "text/csv", list, tc.token)
			if w.Code != tc.want {
				t.Errorf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			if got, _ := st.SocialAccounts(t.Context()); (len(got) > 0) != (tc.want == http.StatusOK) {
				t.Errorf("stored %d accounts with status %d", len(got), w.Code)
			}
		})
	}
	t.Run("body limit", func(t *testing.T) {
		st := memstore.New()
		big := "source,handle,name\n" + strings.Repeat("twitter,someone,Someone\n", 100)
		w := do(t, as(admin, st, Options{MaxBody: 200}), "/api/v1/customers/import", "text/csv", big, "")
		if got, _ := st.SocialAccounts(t.Context()); w.Code != http.StatusRequestEntityTooLarge || len(got) != 0 {
			t.Errorf("status %d (want 413), stored %d", w.Code, len(got))
		}
	})
	t.Run("unreadable list", func(t *testing.T) {
		w := do(t, as(admin, memstore.New(), Options{}), "/api/v1/customers/import", "text/csv", "who,what\n", "")
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "unknown column") {
			t.Errorf("status %d: %s", w.Code, w.Body)
		}
	})
}

func TestEraseAPI(t *testing.T) {
	seed := func(t *testing.T) *memstore.Store {
		st := memstore.New()
		p := earshot.Post{ID: "twitter:1", Source: "twitter", Kind: earshot.KindPost, Author: earshot.Author{ID: "42", Handle: "zoe"},
			Text: "private", CreatedAt: now, CollectedAt: now}
		if err := st.SavePosts(t.Context(), []earshot.Post{p}); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveFollowUp(t.Context(), earshot.FollowUp{ID: "fu-1", Source: "twitter", Author: p.Author, PostIDs: []string{p.ID}, State: earshot.FollowUpOpen}); err != nil {
			t.Fatal(err)
		}
		return st
	}
	t.Run("admin erases, audit records the signed-in user", func(t *testing.T) {
		st := seed(t)
		w := do(t, as(admin, st, Options{Now: func() time.Time { return now }}), "/api/v1/erase", "application/json", `{"author": "twitter:42"}`, "")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		var e earshot.Erasure
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Actor != "ada" || e.Posts != 1 || e.FollowUps != 1 || !e.At.Equal(now) {
			t.Errorf("erasure: %+v", e)
		}
		if _, err := st.Post(t.Context(), "twitter:1"); err == nil {
			t.Error("post still there")
		}
		lines, _ := st.Erasures(t.Context())
		if len(lines) != 1 || lines[0].Actor != "ada" {
			t.Errorf("audit: %+v", lines)
		}
		if strings.Contains(w.Body.String(), "private") || strings.Contains(w.Body.String(), "zoe") {
			t.Errorf("the answer repeats erased content: %s", w.Body)
		}
	})
	for _, tc := range []struct {
		name, body string
		user       earshot.User
		want       int
	}{
		{"support may not", `{"author": "twitter:42"}`, support, http.StatusForbidden},
		{"nobody may not", `{"author": "twitter:42"}`, earshot.User{}, http.StatusUnauthorized},
		{"no colon", `{"author": "42"}`, admin, http.StatusBadRequest},
		{"not JSON", `author=twitter:42`, admin, http.StatusBadRequest},
		{"a client-sent actor is no field", `{"author": "twitter:42", "actor": "mallory"}`, admin, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := seed(t)
			w := do(t, as(tc.user, st, Options{}), "/api/v1/erase", "application/json", tc.body, "")
			if w.Code != tc.want {
				t.Errorf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			if _, err := st.Post(t.Context(), "twitter:1"); err != nil {
				t.Errorf("refused erase removed the post: %v", err)
			}
		})
	}
}
