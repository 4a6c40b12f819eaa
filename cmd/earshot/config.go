package main

import (
	"fmt"
	"log/slog"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/remote"
	"github.com/earshot/earshot/internal/config"
)

// loadConfig loads the configuration for a command: the file (if any),
// EARSHOT_* variables, then a -store flag over both.
func loadConfig(path, store string, e env) (config.Config, error) {
	cfg, err := config.Load(path, e.getenv)
	if err != nil {
		return cfg, usageError{err}
	}
	if store != "" {
		cfg.Store = store
		if err := cfg.Validate(); err != nil {
			return cfg, usageError{err}
		}
	}
	return cfg, nil
}

// newScorer builds the configured scorer: the local ensemble, or a remote
// model that falls back to it.
func newScorer(cfg config.Config, log *slog.Logger) (earshot.Scorer, error) {
	local, err := sentiment.New()
	if err != nil {
		return nil, fmt.Errorf("loading the sentiment model: %w", err)
	}
	if cfg.Sentiment.Scorer != "remote" {
		return local, nil
	}
	opts := []remote.Option{}
	if log != nil {
		opts = append(opts, remote.WithLogger(log.With("part", "remote-scorer")))
	}
	r, err := remote.New(cfg.Sentiment.Remote, local, opts...)
	if err != nil {
		return nil, usagef("sentiment.remote: %v", err)
	}
	return r, nil
}
