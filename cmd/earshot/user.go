package main

import (
	"context"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
)

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
	pw, err := auth.ReadNewPassword(e.stdin, e.stderr, *stdin)
	if err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error { return auth.AddUser(ctx, st, f.id, r, pw, e.stderr) })
}

func userPasswd(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("user passwd", e)
	stdin := f.fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error {
		return auth.ChangePassword(ctx, st, f.id, func() (string, error) {
			return auth.ReadPassword(e.stdin, e.stderr, *stdin)
		}, e.stderr)
	})
}

func userList(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("user list", e)
	asJSON := f.fs.Bool("json", false, "print one JSON object a line")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error { return auth.ListUsers(ctx, st, *asJSON, e.stdout, e.stderr) })
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
		return auth.IssueToken(ctx, st, f.id, *name, sc, e.stdout, e.stderr)
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
	return f.withStore(ctx, e, func(st earshot.Store) error { return auth.RevokeTokens(ctx, st, f.id, *name, e.stderr) })
}
