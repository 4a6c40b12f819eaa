package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
)

func TestUserCLI(t *testing.T) {
	store := "duckdb://" + filepath.Join(t.TempDir(), "users.duckdb")
	user := func(want int, stdin string, args ...string) (string, string) {
		t.Helper()
		e, out, errb := testEnv(stdin)
		if code := run(t.Context(), append([]string{"user"}, args...), e); code != want {
			t.Fatalf("earshot user %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb)
		}
		return out.String(), errb.String()
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		msg   string
	}{
		{"", nil, "name a command"},
		{"", []string{"add", "--store", store, "--role", "admin"}, "name the user"},
		{"", []string{"add", "ana", "--store", store, "--role", "boss", "--password-stdin"}, `unknown role "boss"`},
		{"pw-long-enough\n", []string{"add", "a b", "--store", store, "--role", "admin", "--password-stdin"}, "letters, digits"},
		{"short\n", []string{"add", "ana", "--store", store, "--role", "admin", "--password-stdin"}, "too short"},
		{"", []string{"add", "ana", "--store", store, "--role", "admin", "--password-stdin"}, "stdin gave no password"},
		{"", []string{"add", "ana", "--store", store, "--role", "admin"}, "--password-stdin"}, // no terminal
		{"", []string{"token", "ana", "--store", store, "--scopes", "read,write"}, `unknown scope "write"`},
		{"", []string{"token", "nobody", "--store", store, "--scopes", "read"}, "no such user"},
		{"", []string{"passwd", "nobody", "--store", store, "--password-stdin"}, "no such user"},
	} {
		if _, errb := user(2, tc.stdin, tc.args...); !strings.Contains(errb, tc.msg) {
			t.Errorf("user %v: stderr %q, want %q", tc.args, errb, tc.msg)
		}
	}
	if out, errb := user(0, "", "list", "--store", store); out != "" || !strings.Contains(errb, "no users yet") {
		t.Errorf("list of none: %q %q", out, errb)
	}
	user(0, "correct horse battery\n", "add", "ana", "--store", store, "--role", "admin", "--password-stdin")
	user(0, "another good one\r\n", "add", "sam", "--store", store, "--role", "support", "--password-stdin")
	if _, errb := user(2, "correct horse battery\n", "add", "ana", "--store", store, "--role", "exec", "--password-stdin"); !strings.Contains(errb, "exists already") {
		t.Errorf("adding ana twice: %q", errb)
	}
	if _, errb := user(2, "", "token", "sam", "--store", store, "--scopes", "read,admin"); !strings.Contains(errb, "cannot have scope admin") {
		t.Errorf("an admin-scoped token for support: %q", errb)
	}
	tok, errb := user(0, "", "token", "sam", "--store", store, "--scopes", "read,queue", "--name", "laptop")
	tok = strings.TrimSpace(tok)
	if !strings.HasPrefix(tok, auth.TokenPrefix) || !strings.Contains(errb, "not shown again") {
		t.Fatalf("token: %q %q", tok, errb)
	}
	out, _ := user(0, "", "list", "--store", store)
	if !strings.Contains(out, "NAME") || !lineHas(out, "sam", "support", "laptop (read,queue)") || !lineHas(out, "ana", "admin", "-") {
		t.Errorf("list:\n%s", out)
	}
	out, _ = user(0, "", "list", "--json", "--store", store)
	var rows []auth.Listed
	for line := range strings.Lines(out) {
		var r auth.Listed
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("list --json line %q: %v", line, err)
		}
		rows = append(rows, r)
	}
	if len(rows) != 2 || rows[1].Name != "sam" || rows[1].Role != earshot.RoleSupport || len(rows[1].Tokens) != 1 || rows[0].CreatedAt.IsZero() {
		t.Errorf("list --json: %+v", rows)
	}

	// What the CLI stored signs in and authenticates as serve would.
	st, err := openStore(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	us := &auth.Users{Store: st, SessionKey: []byte("k")}
	ctx := t.Context()
	if _, _, err := us.SignIn(ctx, "sam", "another good one"); err != nil {
		t.Errorf("signing in with the password given (its \\r\\n dropped): %v", err)
	}
	p, ok, err := us.Token(ctx, tok)
	if err != nil || !ok || p.User.Name != "sam" || !p.Can(earshot.ScopeQueue) || p.Can(earshot.ScopeAdmin) {
		t.Errorf("the printed token: %+v, %v, %v", p, ok, err)
	}
	st.Close()

	user(0, "a brand new password\n", "passwd", "sam", "--store", store, "--password-stdin")
	if _, errb := user(2, "", "revoke", "sam", "--store", store, "--name", "desktop"); !strings.Contains(errb, `no working token named "desktop"`) {
		t.Errorf("revoking an unknown token: %q", errb)
	}
	user(0, "", "revoke", "sam", "--store", store, "--name", "laptop")

	st, err = openStore(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	us.Store = st
	if _, _, err := us.SignIn(ctx, "sam", "another good one"); err == nil {
		t.Error("the old password still signs in after passwd")
	}
	if _, _, err := us.SignIn(ctx, "sam", "a brand new password"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if _, ok, _ := us.Token(ctx, tok); ok {
		t.Error("a revoked token still authenticates")
	}
}

// lineHas reports whether some line of out has every field, in order.
func lineHas(out string, fields ...string) bool {
	for line := range strings.Lines(out) {
		rest, ok := line, true
		for _, f := range fields {
			i := strings.Index(rest, f)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(f):]
		}
		if ok {
			return true
		}
	}
	return false
}

// addUserWithToken adds a user of role to the store of the config at
// cfgPath through the CLI, and returns a new API token of theirs with
// scopes.
func addUserWithToken(t *testing.T, cfgPath, name, role, scopes string) string {
	t.Helper()
	e, _, errb := testEnv("a good long password\n")
	if code := run(t.Context(), []string{"user", "add", name, "--config", cfgPath, "--role", role, "--password-stdin"}, e); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errb)
	}
	e, out, errb := testEnv("")
	if code := run(t.Context(), []string{"user", "token", name, "--config", cfgPath, "--scopes", scopes}, e); code != 0 {
		t.Fatalf("user token: exit %d: %s", code, errb)
	}
	return strings.TrimSpace(out.String())
}
