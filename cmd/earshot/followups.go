package main

import (
	"fmt"
	"log/slog"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
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
	var tokens []string
	for i, t := range cfg.Web.APITokens {
		v, err := t.Resolve(getenv)
		if err != nil {
			return nil, usagef("web.api_tokens[%d]: %v", i, err)
		}
		tokens = append(tokens, v)
	}
	return tokens, nil
}
