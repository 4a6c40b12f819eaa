package rowcodec

import (
	"strings"

	"github.com/earshot/earshot"
)

// Scopes is an API token's scopes as the scopes column holds them: one
// comma-separated string ("" when none).
func Scopes(s []earshot.TokenScope) string {
	parts := make([]string, len(s))
	for i, sc := range s {
		parts[i] = string(sc)
	}
	return strings.Join(parts, ",")
}

// DecodeScopes reads the scopes column: nil when empty.
func DecodeScopes(s string) []earshot.TokenScope {
	if s == "" {
		return nil
	}
	var out []earshot.TokenScope
	for f := range strings.SplitSeq(s, ",") {
		out = append(out, earshot.TokenScope(f))
	}
	return out
}
