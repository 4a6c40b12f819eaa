package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
)

// What `earshot user` does once its flags are read. Each function works
// on st, writes what is asked for (a token, the list) on out and what it
// did on log, lines starting "earshot user: ". A change refused
// (ErrRefused) or an unknown user is a *badinput.Error; a store failing is
// not.

// cliError makes a change refused or an unknown user a *badinput.Error.
func cliError(err error) error {
	switch {
	case err == nil || errors.As(err, new(*badinput.Error)):
		return err
	case errors.Is(err, earshot.ErrNotFound):
		return badinput.Errorf("no such user (earshot user list shows them)")
	case errors.Is(err, ErrRefused):
		return &badinput.Error{Err: err}
	}
	return err
}

// ReadNewPassword is ReadPassword with a refused password a
// *badinput.Error.
func ReadNewPassword(in io.Reader, prompt io.Writer, fromStdin bool) (string, error) {
	pw, err := ReadPassword(in, prompt, fromStdin)
	return pw, cliError(err)
}

// AddUser adds the user name with role and password pw, unless the name
// is taken.
func AddUser(ctx context.Context, st earshot.UserStore, name string, role earshot.Role, pw string, log io.Writer) error {
	if _, err := st.Account(ctx, name); err == nil {
		return badinput.Errorf("user %s exists already (earshot user passwd %s changes the password)", name, name)
	} else if !errors.Is(err, earshot.ErrNotFound) {
		return err
	}
	if err := (&Users{Store: st}).Add(ctx, name, role, pw); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(log, "earshot user: added %s (%s)\n", name, role)
	return nil
}

// ChangePassword sets the password of the user name to the one
// readPassword reads, once the user is known to exist.
func ChangePassword(ctx context.Context, st earshot.UserStore, name string, readPassword func() (string, error), log io.Writer) error {
	if _, err := st.Account(ctx, name); err != nil {
		return cliError(err)
	}
	pw, err := readPassword()
	if err != nil {
		return cliError(err)
	}
	if err := (&Users{Store: st}).SetPassword(ctx, name, pw); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(log, "earshot user: new password for %s; their sessions have ended\n", name)
	return nil
}

// ListUsers writes every user with their working tokens, as a table or as
// JSON lines; with no user yet, log says how to add the first.
func ListUsers(ctx context.Context, st earshot.UserStore, asJSON bool, out, log io.Writer) error {
	rows, err := (&Users{Store: st}).List(ctx)
	switch {
	case err != nil:
		return err
	case asJSON:
		enc := json.NewEncoder(out)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	case len(rows) == 0:
		fmt.Fprintln(log, "earshot user: no users yet; add the first admin with: earshot user add NAME --role admin")
		return nil
	}
	return WriteUsers(out, rows)
}

// IssueToken makes the API token name of user with scopes and writes its
// secret on out, once.
func IssueToken(ctx context.Context, st earshot.UserStore, user, name string, scopes []earshot.TokenScope, out, log io.Writer) error {
	secret, _, err := (&Users{Store: st}).NewToken(ctx, user, name, scopes)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintln(out, secret)
	fmt.Fprintf(log, "earshot user: token %q of %s (%s); copy it now, it is not shown again\n", name, user, JoinScopes(scopes))
	return nil
}

// RevokeTokens revokes user's working tokens named name; none is a
// *badinput.Error.
func RevokeTokens(ctx context.Context, st earshot.UserStore, user, name string, log io.Writer) error {
	n, err := (&Users{Store: st}).Revoke(ctx, user, name)
	if err != nil {
		return err
	}
	if n == 0 {
		return badinput.Errorf("%s has no working token named %q", user, name)
	}
	fmt.Fprintf(log, "earshot user: revoked %d token(s) %q of %s\n", n, name, user)
	return nil
}
