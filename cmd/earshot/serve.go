package main

import (
	"context"
	"log/slog"
	"net"

	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/config"
)

func runServe(ctx context.Context, args []string, e env) error {
	fs := newFlags("serve", e.stderr)
	path := fs.String("config", "", "configuration file (see earshot.example.yaml); without it, defaults and EARSHOT_* variables")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	cfg, err := config.Load(*path, e.getenv)
	if err != nil {
		return usageError{err}
	}
	s, err := app.NewServer(cfg, newLogger(e, cfg.LogLevel), e.getenv, version)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return usagef("listen: cannot listen on %s: %v", cfg.Listen, err)
	}
	defer ln.Close()
	return s.Serve(ctx, ln)
}

func newLogger(e env, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: l}))
}
