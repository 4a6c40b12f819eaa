package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse parses arbitrary configuration files and validates them: no
// file may panic (a broken YAML file is an error naming the problem).
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "earshot.example.yaml")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"", "store: duckdb://:memory:\n", "collectors: [{type: rss, name: a, url: 'http://x', allow_private_networks: true}]",
		"server: {write_rate: 1e308, write_burst: -1}", "web: {read_tokens: [''], public_paths: [x]}", "watches: [{name: a}]", "&a [*a]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg := Default()
		if err := Parse(b, &cfg); err != nil {
			return
		}
		_ = cfg.Validate()
	})
}
