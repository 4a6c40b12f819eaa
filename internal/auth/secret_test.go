package auth

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecret(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "token")
	os.WriteFile(f, []byte("from-file\n"), 0o600)
	env := func(k string) string { return map[string]string{"TOK": "from-env"}[k] }
	tests := []struct {
		in, want, err string
	}{
		{"env:TOK", "from-env", ""},
		{"env:MISSING", "", "MISSING is not set"},
		{"file:" + f, "from-file", ""},
		{"file:" + filepath.Join(dir, "nope"), "", "reading secret file"},
		{"literal", "literal", ""},
	}
	for _, tt := range tests {
		got, err := Secret(tt.in).Resolve(env)
		if got != tt.want || (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Resolve(%q) = %q, %v", tt.in, got, err)
		}
	}
	s := Secret("hunter2")
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %s %#v", s, s, struct{ S Secret }{s})} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret printed: %s", out)
		}
	}
}
