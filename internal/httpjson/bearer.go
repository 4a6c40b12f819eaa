package httpjson

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// Tokens are bearer tokens that may write, kept as SHA-256 sums so that
// comparing them tells nothing by timing or length.
type Tokens [][32]byte

// NewTokens keeps the non-blank tokens.
func NewTokens(tokens []string) Tokens {
	var out Tokens
	for _, t := range tokens {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, sha256.Sum256([]byte(t)))
		}
	}
	return out
}

// Allow reports whether r carries "Authorization: Bearer <token>" with one
// of the tokens. No token allows nothing.
func (ts Tokens) Allow(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" || len(ts) == 0 {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	match := 0
	for _, t := range ts {
		match |= subtle.ConstantTimeCompare(sum[:], t[:])
	}
	return match == 1
}
