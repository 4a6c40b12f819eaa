package auth

import (
	"context"

	"github.com/earshot/earshot"
)

type userKey struct{}

// WithUser returns ctx carrying u, the authenticated maker of a request.
// Only the authentication middleware calls it (and tests).
func WithUser(ctx context.Context, u earshot.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the user the request's credential belongs to, and
// whether there is one. Handlers record this user in audit trails and
// check its role; never a name the client sends.
func UserFrom(ctx context.Context) (earshot.User, bool) {
	u, ok := ctx.Value(userKey{}).(earshot.User)
	return u, ok
}
