package collectortest

import (
	"context"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

const configKind = "collectortest_config"

type configOnly struct{ name string }

func (c configOnly) Name() string { return c.name }

func (configOnly) Collect(context.Context, string) ([]earshot.Post, string, error) {
	return nil, "", nil
}

func init() {
	collectors.Register(configKind, func(name string, raw collectors.Decoder, _ collectors.Deps) (earshot.Collector, error) {
		var cfg struct {
			Query string `yaml:"query"`
		}
		if err := collectors.DecodeConfig(configKind, name, raw, &cfg); err != nil {
			return nil, err
		}
		if cfg.Query == "" {
			return nil, &collectors.ConfigError{Kind: configKind, Name: name, Key: "query", Problem: "required"}
		}
		return configOnly{name}, nil
	})
}

func TestRunConfigCases(t *testing.T) {
	RunConfigCases(t, configKind, []ConfigCase{
		{"valid", "query: acme", ""},
		{"no query", "{}", "collectors." + configKind + "[c].query: required"},
		{"misspelt key", "quer: acme", "collectors." + configKind + "[c].quer: unknown key"},
		{"not a mapping", "- query", "collectors." + configKind + "[c]: must be a mapping"},
	}, "hunter2")
}
