package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
)

func runUser(ctx context.Context, args []string, e env) error {
	return runSubcommand(ctx, args, e, "user", []subcommand{
		{"add", userAdd}, {"passwd", userPasswd}, {"list", userList}, {"token", userToken}, {"revoke", userRevoke},
	})
}

// refused makes a refused change (auth.ErrRefused: a bad name, role,
// password or scope, a name taken) or an unknown user a usage error (exit
// 2); a store failing stays a runtime failure (exit 1).
func refused(err error) error {
	var u usageError
	switch {
	case err == nil || errors.As(err, &u):
		return err
	case errors.Is(err, earshot.ErrNotFound):
		return usagef("no such user (earshot user list shows them)")
	case errors.Is(err, auth.ErrRefused):
		return usageError{err}
	}
	return err
}

func userAdd(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("user add", e)
	role := f.fs.String("role", "", "admin, comms, support or exec (required)")
	stdin := f.fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	r, err := earshot.ParseRole(*role)
	if err != nil {
		return usagef("--role: %v", err)
	}
	if err := auth.CheckName(f.id); err != nil {
		return usageError{err}
	}
	pw, err := auth.ReadPassword(e.stdin, e.stderr, *stdin)
	if err != nil {
		return refused(err)
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		if _, err := st.Account(ctx, f.id); err == nil {
			return usagef("user %s exists already (earshot user passwd %s changes the password)", f.id, f.id)
		} else if !errors.Is(err, earshot.ErrNotFound) {
			return err
		}
		if err := (&auth.Users{Store: st}).Add(ctx, f.id, r, pw); err != nil {
			return refused(err)
		}
		fmt.Fprintf(e.stderr, "earshot user: added %s (%s)\n", f.id, r)
		return nil
	})
}

func userPasswd(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("user passwd", e)
	stdin := f.fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		if _, err := st.Account(ctx, f.id); err != nil {
			return refused(err)
		}
		pw, err := auth.ReadPassword(e.stdin, e.stderr, *stdin)
		if err != nil {
			return refused(err)
		}
		if err := (&auth.Users{Store: st}).SetPassword(ctx, f.id, pw); err != nil {
			return refused(err)
		}
		fmt.Fprintf(e.stderr, "earshot user: new password for %s; their sessions have ended\n", f.id)
		return nil
	})
}

func userList(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("user list", e)
	asJSON := f.fs.Bool("json", false, "print one JSON object a line")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		rows, err := (&auth.Users{Store: st}).List(ctx)
		switch {
		case err != nil:
			return err
		case *asJSON:
			enc := json.NewEncoder(e.stdout)
			for _, r := range rows {
				if err := enc.Encode(r); err != nil {
					return err
				}
			}
			return nil
		case len(rows) == 0:
			fmt.Fprintln(e.stderr, "earshot user: no users yet; add the first admin with: earshot user add NAME --role admin")
			return nil
		}
		return auth.WriteUsers(e.stdout, rows)
	})
}

func userToken(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("user token", e)
	scopes := f.fs.String("scopes", "", "what the token may do: read, queue, incidents, admin, comma-separated (required)")
	name := f.fs.String("name", "", "a name telling the token apart, such as laptop (default: token-DATE)")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	sc, err := earshot.ParseScopes(*scopes)
	if err != nil {
		return usagef("--scopes: %v", err)
	}
	if *name == "" {
		*name = "token-" + time.Now().UTC().Format("20060102-1504")
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		secret, _, err := (&auth.Users{Store: st}).NewToken(ctx, f.id, *name, sc)
		if err != nil {
			return refused(err)
		}
		fmt.Fprintln(e.stdout, secret)
		fmt.Fprintf(e.stderr, "earshot user: token %q of %s (%s); copy it now, it is not shown again\n", *name, f.id, auth.JoinScopes(sc))
		return nil
	})
}

func userRevoke(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("user revoke", e)
	name := f.fs.String("name", "", "the name of the token to revoke (required)")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	if *name == "" {
		return usagef("--name: required: which of the user's tokens (earshot user list shows them)")
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		n, err := (&auth.Users{Store: st}).Revoke(ctx, f.id, *name)
		if err != nil {
			return err
		}
		if n == 0 {
			return usagef("%s has no working token named %q", f.id, *name)
		}
		fmt.Fprintf(e.stderr, "earshot user: revoked %d token(s) %q of %s\n", n, *name, f.id)
		return nil
	})
}
