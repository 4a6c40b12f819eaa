package auth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/earshot/earshot"
)

// ReadPassword reads a new password for `earshot user`: one line of in
// with fromStdin, else twice from the terminal in is, without echo,
// prompting on prompt. A password refused (none given, against the rules,
// the two typed differ, no terminal to ask on) is ErrRefused; failing to
// read is not.
func ReadPassword(in io.Reader, prompt io.Writer, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password from stdin: %w", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", refuse(errors.New("--password-stdin: stdin gave no password"))
		}
		return pw, refuse(CheckPasswordRules(pw))
	}
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", refuse(errors.New("no terminal to ask for the password: pipe it in with --password-stdin"))
	}
	ask := func(p string) (string, error) {
		fmt.Fprint(prompt, p)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		return string(b), err
	}
	pw, err := ask("Password: ")
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if err := CheckPasswordRules(pw); err != nil {
		return "", refuse(err)
	}
	again, err := ask("Password again: ")
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if again != pw {
		return "", refuse(errors.New("the two passwords differ; nothing changed"))
	}
	return pw, nil
}

// Listed is a user as `earshot user list` shows one: the tokens are those
// still working, each as "name (scope,scope)".
type Listed struct {
	Name      string       `json:"name"`
	Role      earshot.Role `json:"role"`
	CreatedAt time.Time    `json:"created_at"`
	Tokens    []string     `json:"tokens"`
}

// List returns every user with their working tokens.
func (u *Users) List(ctx context.Context) ([]Listed, error) {
	accounts, err := u.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	var rows []Listed
	for _, a := range accounts {
		toks, err := u.Store.Tokens(ctx, a.Name)
		if err != nil {
			return nil, err
		}
		row := Listed{Name: a.Name, Role: a.Role, CreatedAt: a.CreatedAt, Tokens: []string{}}
		for _, t := range toks {
			if t.RevokedAt.IsZero() {
				row.Tokens = append(row.Tokens, fmt.Sprintf("%s (%s)", t.Name, JoinScopes(t.Scopes)))
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// WriteUsers writes users as a table people read.
func WriteUsers(w io.Writer, rows []Listed) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tTOKENS")
	for _, r := range rows {
		toks := strings.Join(r.Tokens, ", ")
		if toks == "" {
			toks = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Role, r.CreatedAt.Format("2006-01-02 15:04"), toks)
	}
	return tw.Flush()
}

// JoinScopes writes scopes as the comma-separated list they are given in.
func JoinScopes(s []earshot.TokenScope) string {
	parts := make([]string, len(s))
	for i, sc := range s {
		parts[i] = string(sc)
	}
	return strings.Join(parts, ",")
}

// Revoke revokes user's working tokens named name and returns how many.
func (u *Users) Revoke(ctx context.Context, user, name string) (int, error) {
	toks, err := u.Store.Tokens(ctx, user)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range toks {
		if t.Name == name && t.RevokedAt.IsZero() {
			t.RevokedAt = time.Now().UTC()
			if err := u.Store.SaveToken(ctx, t); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
