package main

import (
	"context"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/internal/oncall"
)

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func silenceAdd(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("silence add", e)
	var match multiFlag
	f.fs.Var(&match, "match", `a matcher, as in routes: 'watch="acme"' (repeat for more; all must match)`)
	dur := f.fs.Duration("for", 0, "how long it lasts, such as 2h")
	until := f.fs.String("until", "", "when it ends, RFC 3339 (instead of --for)")
	from := f.fs.String("from", "", "when it starts, RFC 3339 (default now)")
	author := f.fs.String("author", "", "who asks for it (required)")
	comment := f.fs.String("comment", "", "why")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	if strings.TrimSpace(*author) == "" {
		return usagef("--author: required: say who silences alerts")
	}
	req := engine.SilenceRequest{Matchers: match, CreatedBy: *author, Comment: *comment}
	var err error
	if req.StartsAt, err = timeFlag("from", *from, "2026-03-02T09:15:00Z"); err != nil {
		return err
	}
	if req.EndsAt, err = timeFlag("until", *until, "2026-03-02T09:15:00Z"); err != nil {
		return err
	}
	if *dur != 0 {
		req.Duration = dur.String()
	}
	sl, err := oncall.NewSilence(req, time.Now())
	if err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error { return oncall.AddSilence(ctx, st, sl, e.stdout) })
}

func silenceList(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("silence list", e)
	asJSON := f.fs.Bool("json", false, "print a JSON array of silences, each with its state")
	if help, err := f.parse(args, false); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error { return oncall.ListSilences(ctx, st, time.Now(), *asJSON, e.stdout) })
}

func silenceExpire(ctx context.Context, args []string, e env) error {
	f := newStoreFlags("silence expire", e)
	if help, err := f.parse(args, true); help || err != nil {
		return err
	}
	return f.withStore(ctx, e, func(st earshot.Store) error { return oncall.Expire(ctx, st, f.id, time.Now(), e.stdout) })
}
