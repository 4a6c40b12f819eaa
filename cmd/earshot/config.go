package main

import (
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
