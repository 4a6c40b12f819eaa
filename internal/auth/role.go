package auth

import (
	"net/http"
	"slices"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/httpjson"
)

// Allow reports whether the request's user has one of roles. When not, it
// answers: 401 without a user, 403 naming the role needed otherwise; the
// handler then returns at once.
func Allow(w http.ResponseWriter, r *http.Request, roles ...earshot.Role) (earshot.User, bool) {
	u, ok := UserFrom(r.Context())
	if !ok {
		httpjson.Error(w, http.StatusUnauthorized, "sign in first")
		return u, false
	}
	if !slices.Contains(roles, u.Role) {
		httpjson.Error(w, http.StatusForbidden, "this needs the "+roleList(roles)+" role; "+u.Name+" is "+string(u.Role))
		return u, false
	}
	return u, true
}

// RequireRole wraps h so that only users with one of roles reach it (see
// Allow).
func RequireRole(h http.Handler, roles ...earshot.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := Allow(w, r, roles...); ok {
			h.ServeHTTP(w, r)
		}
	})
}

func roleList(roles []earshot.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Protect wraps the whole server in Go's cross-origin protection: a
// browser's change (POST, PUT, PATCH, DELETE) sent from another site is
// refused with 403, while same-origin forms and clients that are not
// browsers (no Sec-Fetch-Site, no Origin: curl, API clients, webhooks)
// pass. trusted are origins ("https://status.example.com") allowed to post
// anyway.
func Protect(h http.Handler, trusted ...string) (http.Handler, error) {
	c := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := c.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	c.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpjson.Error(w, http.StatusForbidden, "refused: a change sent from another site (cross-origin request)")
	}))
	return c.Handler(h), nil
}
