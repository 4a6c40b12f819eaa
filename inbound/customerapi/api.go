package customerapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
)

// Store is what the APIs write to.
type Store interface {
	earshot.CustomerStore
	earshot.AuthorEraser
}

// Import parses an account list and saves its good accounts, returning
// the report. A list that cannot be read at all saves nothing.
func Import(ctx context.Context, st earshot.CustomerStore, r io.Reader, format string, now time.Time) (Report, error) {
	accounts, bad, err := Parse(r, format, now.UTC())
	if err != nil {
		return Report{}, err
	}
	rep := Report{Read: len(accounts) + len(bad), Imported: len(accounts), Rejected: len(bad), Errors: bad}
	if len(accounts) > 0 {
		if err := st.SaveSocialAccounts(ctx, accounts); err != nil {
			return Report{}, StoreError{fmt.Errorf("saving accounts: %w", err)}
		}
		rep.ByKind = map[earshot.AccountKind]int{}
		for _, a := range accounts {
			rep.ByKind[a.Kind]++
		}
	}
	return rep, nil
}

// StoreError is a failure of the store, not of the list.
type StoreError struct{ Err error }

func (e StoreError) Error() string { return e.Err.Error() }
func (e StoreError) Unwrap() error { return e.Err }

// ParseAuthor reads "SOURCE:ID" (the ID may hold colons: a Bluesky DID).
func ParseAuthor(s string) (source, id string, err error) {
	source, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || source == "" || id == "" {
		return "", "", fmt.Errorf("author %q: want SOURCE:ID, such as twitter:12345", s)
	}
	return source, id, nil
}

// Erase erases everything stored about the author "SOURCE:ID" on behalf
// of actor and returns the audit line.
func Erase(ctx context.Context, st earshot.AuthorEraser, author, actor string, now time.Time) (earshot.Erasure, error) {
	source, id, err := ParseAuthor(author)
	if err != nil {
		return earshot.Erasure{}, err
	}
	return st.EraseAuthorData(ctx, earshot.Erasure{Source: source, AuthorID: id, Actor: actor, At: now.UTC()})
}

// Options configure the APIs.
type Options struct {
	// WriteTokens are the dashboard's bearer write tokens: a request with
	// one and no signed-in user acts as an admin named "token".
	WriteTokens []string
	// MaxBody caps a request body (default 4 MiB).
	MaxBody int64
	Log     *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Routes returns the APIs by mux pattern.
func Routes(st Store, o Options) map[string]http.Handler {
	if o.MaxBody <= 0 {
		o.MaxBody = 4 << 20
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	a := &api{st: st, o: o, tokens: auth.NewTokens(o.WriteTokens...)}
	return map[string]http.Handler{
		"POST /api/v1/customers/import": http.HandlerFunc(a.importAccounts),
		"POST /api/v1/erase":            http.HandlerFunc(a.erase),
	}
}

type api struct {
	st     Store
	o      Options
	tokens auth.Tokens
}

// admin returns the request's admin, or answers 401 or 403 and false.
func (a *api) admin(w http.ResponseWriter, r *http.Request) (earshot.User, bool) {
	u, ok := auth.UserFrom(r.Context())
	if !ok {
		if t := auth.Bearer(r); t != "" {
			if _, match := a.tokens.Match(t); match {
				u, ok = earshot.User{Name: "token", Role: earshot.RoleAdmin}, true
			}
		}
	}
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
		writeError(w, http.StatusUnauthorized, "sign in, or send an admin's token")
		return u, false
	}
	if !u.IsAdmin() {
		writeError(w, http.StatusForbidden, "only an admin may do this")
		return u, false
	}
	return u, true
}

func (a *api) importAccounts(w http.ResponseWriter, r *http.Request) {
	u, ok := a.admin(w, r)
	if !ok {
		return
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = FormatOf(r.Header.Get("Content-Type"))
	}
	body := http.MaxBytesReader(w, r.Body, a.o.MaxBody)
	rep, err := Import(r.Context(), a.st, body, format, a.o.Now())
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the list is over %d bytes; split it", a.o.MaxBody))
		return
	case errors.As(err, new(StoreError)):
		a.o.Log.Error("importing accounts", "err", err)
		writeError(w, http.StatusInternalServerError, "the store failed; nothing was imported")
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	a.o.Log.Info("accounts imported", "by", u.Name, "imported", rep.Imported, "rejected", rep.Rejected)
	writeJSON(w, http.StatusOK, rep)
}

func (a *api) erase(w http.ResponseWriter, r *http.Request) {
	u, ok := a.admin(w, r)
	if !ok {
		return
	}
	var req struct {
		Author string `json:"author"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, `want a JSON body {"author": "SOURCE:ID"}`)
		return
	}
	if _, _, err := ParseAuthor(req.Author); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	e, err := Erase(r.Context(), a.st, req.Author, u.Name, a.o.Now())
	if err != nil {
		a.o.Log.Error("erasing an author", "err", err)
		writeError(w, http.StatusInternalServerError, "the store failed; erase again to finish")
		return
	}
	a.o.Log.Info("author erased", "by", u.Name, "erasure", e.ID, "posts", e.Posts, "follow_ups", e.FollowUps, "alerts", e.Alerts)
	writeJSON(w, http.StatusOK, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
