package main

import (
	"fmt"
	"log/slog"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/internal/config"
)

// demoToken is the write token of `earshot demo`'s dashboard, printed at
// startup: the demo holds nothing worth protecting.
const demoToken = "earshot-demo"

// newFlagger returns the follow-up flagger over st, configured by cfg's
// followups key.
func newFlagger(st earshot.Store, fc followup.Config, log *slog.Logger) (*followup.Flagger, error) {
	fs, ok := st.(followup.Store)
	if !ok {
		return nil, fmt.Errorf("the store cannot list posts, which flagging follow-ups needs")
	}
	f, err := followup.New(fs, fc, followup.Options{Log: log})
	if err != nil {
		return nil, usageError{err}
	}
	return f, nil
}

// webTokens resolves web.api_tokens, the dashboard's write tokens.
func webTokens(cfg config.Config, getenv func(string) string) ([]string, error) {
	return resolveTokens("web.api_tokens", cfg.Web.APITokens, getenv)
}

// resolveTokens resolves the secrets of the list at key; an error names
// the entry (key[i]) and is a usage error.
func resolveTokens(key string, secrets []collectors.Secret, getenv func(string) string) ([]string, error) {
	var tokens []string
	for i, t := range secrets {
		v, err := t.Resolve(getenv)
		if err != nil {
			return nil, usagef("%s[%d]: %v", key, i, err)
		}
		tokens = append(tokens, v)
	}
	return tokens, nil
}
