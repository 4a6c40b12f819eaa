package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// testAccounts: an account reads back whole (a name with quotes and
// non-ASCII letters included), a save of the same name replaces it (a
// password change), Accounts lists by name, and an unknown name is
// ErrNotFound.
func testAccounts(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	if got, err := st.Accounts(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Accounts on an empty store: %v, %v; want none", got, err)
	}
	if _, err := st.Account(ctx, "nobody"); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("Account(unknown): %v, want ErrNotFound", err)
	}
	zoe := earshot.Account{Name: "zoë o'neil", Role: earshot.RoleSupport, PasswordHash: "$2a$10$abcdefghijklmnopqrstuv",
		CreatedAt: Base, PasswordChangedAt: Base}
	ana := earshot.Account{Name: "ana", Role: earshot.RoleAdmin, PasswordHash: "$2a$10$zyx", CreatedAt: Base.Add(time.Minute)}
	for _, a := range []earshot.Account{zoe, ana} {
		if err := st.SaveAccount(ctx, a); err != nil {
			t.Fatalf("SaveAccount(%s): %v", a.Name, err)
		}
	}
	got, err := st.Account(ctx, zoe.Name)
	if err != nil || !reflect.DeepEqual(got, zoe) {
		t.Errorf("Account round trip:\n got %+v, %v\nwant %+v", got, err, zoe)
	}
	zoe.PasswordHash, zoe.PasswordChangedAt, zoe.Role = "$2a$10$new", Base.Add(time.Hour+250*time.Millisecond), earshot.RoleComms
	if err := st.SaveAccount(ctx, zoe); err != nil {
		t.Fatalf("SaveAccount again: %v", err)
	}
	all, err := st.Accounts(ctx)
	if err != nil || !reflect.DeepEqual(all, []earshot.Account{ana, zoe}) {
		t.Errorf("Accounts after a password change:\n got %+v, %v\nwant %+v", all, err, []earshot.Account{ana, zoe})
	}
}

// testTokensAndSessions: tokens and sessions read back by hash, a revoking
// save replaces the row, Tokens lists one user's tokens oldest first, and
// unknown hashes are ErrNotFound.
func testTokensAndSessions(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	if _, err := st.Token(ctx, "nope"); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("Token(unknown): %v, want ErrNotFound", err)
	}
	if _, err := st.Session(ctx, "nope"); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("Session(unknown): %v, want ErrNotFound", err)
	}
	if got, err := st.Tokens(ctx, "ana"); err != nil || len(got) != 0 {
		t.Errorf("Tokens of a user without any: %v, %v", got, err)
	}
	laptop := earshot.APIToken{Hash: "h-laptop", User: "ana", Name: "laptop",
		Scopes: []earshot.TokenScope{earshot.ScopeRead, earshot.ScopeQueue}, CreatedAt: Base.Add(time.Hour)}
	ci := earshot.APIToken{Hash: "h-ci", User: "ana", Name: "ci", Scopes: []earshot.TokenScope{earshot.ScopeRead}, CreatedAt: Base}
	other := earshot.APIToken{Hash: "h-other", User: "sam", Name: "laptop", Scopes: []earshot.TokenScope{earshot.ScopeAdmin}, CreatedAt: Base}
	for _, tok := range []earshot.APIToken{laptop, ci, other} {
		if err := st.SaveToken(ctx, tok); err != nil {
			t.Fatalf("SaveToken(%s): %v", tok.Hash, err)
		}
	}
	if got, err := st.Token(ctx, laptop.Hash); err != nil || !reflect.DeepEqual(got, laptop) {
		t.Errorf("Token round trip:\n got %+v, %v\nwant %+v", got, err, laptop)
	}
	laptop.RevokedAt = Base.Add(2 * time.Hour)
	if err := st.SaveToken(ctx, laptop); err != nil {
		t.Fatalf("revoking: %v", err)
	}
	got, err := st.Tokens(ctx, "ana")
	if err != nil || !reflect.DeepEqual(got, []earshot.APIToken{ci, laptop}) {
		t.Errorf("Tokens(ana):\n got %+v, %v\nwant %+v", got, err, []earshot.APIToken{ci, laptop})
	}

	se := earshot.Session{Hash: "s-1", User: "ana", CreatedAt: Base, ExpiresAt: Base.Add(12 * time.Hour)}
	if err := st.SaveSession(ctx, se); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	if got, err := st.Session(ctx, se.Hash); err != nil || !reflect.DeepEqual(got, se) {
		t.Errorf("Session round trip:\n got %+v, %v\nwant %+v", got, err, se)
	}
	se.RevokedAt = Base.Add(time.Hour)
	if err := st.SaveSession(ctx, se); err != nil {
		t.Fatalf("signing out: %v", err)
	}
	if got, err := st.Session(ctx, se.Hash); err != nil || !reflect.DeepEqual(got, se) {
		t.Errorf("Session after signing out:\n got %+v, %v\nwant %+v", got, err, se)
	}
}
