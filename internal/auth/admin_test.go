package auth

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

func TestReadPasswordFromStdin(t *testing.T) {
	pw, err := ReadPassword(strings.NewReader("correct horse battery\r\nrest"), nil, true)
	if err != nil || pw != "correct horse battery" {
		t.Fatalf("ReadPassword = %q, %v", pw, err)
	}
	for _, in := range []string{"", "\n", "short\n"} {
		if _, err := ReadPassword(strings.NewReader(in), nil, true); !errors.Is(err, ErrRefused) {
			t.Errorf("ReadPassword(%q) err = %v, want ErrRefused", in, err)
		}
	}
	// Not a terminal: refused, asking to pipe it in.
	if _, err := ReadPassword(strings.NewReader("x"), nil, false); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "--password-stdin") {
		t.Errorf("no terminal: err = %v", err)
	}
}

// TestListAndRevoke: List shows only working tokens, with their scopes;
// Revoke revokes every working token of that name, and no other.
func TestListAndRevoke(t *testing.T) {
	ctx := t.Context()
	u := &Users{Store: memstore.New()}
	if err := u.Add(ctx, "sam", earshot.RoleSupport, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"laptop", "laptop", "ci"} {
		if _, _, err := u.NewToken(ctx, "sam", name, []earshot.TokenScope{earshot.ScopeRead}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := u.Revoke(ctx, "sam", "laptop"); err != nil || n != 2 {
		t.Fatalf("Revoke = %d, %v; want 2", n, err)
	}
	if n, err := u.Revoke(ctx, "sam", "laptop"); err != nil || n != 0 {
		t.Fatalf("Revoke again = %d, %v; want 0", n, err)
	}
	rows, err := u.List(ctx)
	if err != nil || len(rows) != 1 {
		t.Fatalf("List = %+v, %v", rows, err)
	}
	if r := rows[0]; r.Name != "sam" || r.Role != earshot.RoleSupport || !slices.Equal(r.Tokens, []string{"ci (read)"}) {
		t.Errorf("List row = %+v", r)
	}
}
