// Package auth holds who may do what in Earshot.
//
// Users (local accounts with a role and a bcrypt password hash, their API
// tokens with scopes, their browser sessions) live in an
// earshot.UserStore and are managed through Users. Gate wraps the whole
// server: every page and API needs a session cookie (from the sign-in form
// at /signin) or a bearer token, and the request then carries its
// earshot.User (UserFrom) and scopes (PrincipalFrom). Handlers check roles
// with Allow or RequireRole. Protect adds Go's cross-origin protection, so
// a forged cross-site form post is refused.
//
// Tokens compares configured tokens in constant time; Limiter bounds
// writes per credential and sign-in attempts per client. Write endpoints
// that check a credential of their own (ingest, webhooks) do so before
// they read a body, then ask the Limiter whether it may write now.
//
// `earshot user` manages users through the same Users: ReadPassword reads
// a new password (a line of stdin, or twice from the terminal), List and
// WriteUsers show users with their working tokens, Revoke revokes tokens by
// name.
package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// Tokens is a set of secret tokens, kept as SHA-256 sums.
type Tokens struct {
	sums [][sha256.Size]byte
}

// NewTokens returns the set of the non-empty tokens given.
func NewTokens(tokens ...string) Tokens {
	var t Tokens
	for _, s := range tokens {
		if s != "" {
			t.sums = append(t.sums, sha256.Sum256([]byte(s)))
		}
	}
	return t
}

// Len is the number of tokens.
func (t Tokens) Len() int { return len(t.sums) }

// Match reports whether given is one of the tokens, and which (its index
// among the non-empty tokens given to NewTokens), for rate limits and
// logs. Every token is compared, in constant time, on its SHA-256 sum, so
// that neither a token's length nor its position leaks through timing.
// An empty given matches nothing.
func (t Tokens) Match(given string) (int, bool) {
	if given == "" {
		return -1, false
	}
	sum := sha256.Sum256([]byte(given))
	found, index := 0, -1
	for i, s := range t.sums {
		eq := subtle.ConstantTimeCompare(sum[:], s[:])
		index = subtle.ConstantTimeSelect(eq, i, index)
		found |= eq
	}
	return index, found == 1
}

// Bearer returns the token of an "Authorization: Bearer <token>" header,
// or "". The scheme is matched as written, as Earshot always has.
func Bearer(r *http.Request) string {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return ""
	}
	return strings.TrimSpace(tok)
}
