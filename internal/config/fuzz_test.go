package config

import (
	"os"
	"path/filepath"
	"strings"
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

// FuzzRedactDSN redacts arbitrary store addresses: none may panic, and
// the password of a URL with one never shows.
func FuzzRedactDSN(f *testing.F) {
	for _, s := range []string{"clickhouse://user:s3cret@host:9000/earshot", "duckdb:///var/lib/earshot.duckdb", "clickhouse://u:p@[::1", "://@@", "clickhouse://u:s3cret@h/db?cluster=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		out := RedactDSN(dsn)
		if i := strings.Index(dsn, "://"); i >= 0 {
			rest := dsn[i+3:]
			at := strings.LastIndex(rest, "@")
			colon := strings.Index(rest, ":")
			if at > 0 && colon >= 0 && colon < at {
				pass := rest[colon+1 : at]
				if len(pass) >= 6 && !strings.ContainsAny(pass, "@/:%?#[]") && strings.Contains(out, pass) {
					t.Errorf("RedactDSN(%q) = %q shows the password", dsn, out)
				}
			}
		}
	})
}
