package mastodon_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/mastodon"
)

func TestConfig(t *testing.T) {
	t.Setenv("EARSHOT_TEST_MASTODON_TOKEN", "mstdn-SECRET-from-env")
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"hashtags", "instance: https://mastodon.social\nhashtags: [acmecloud, '#acme']", ""},
		{"everything", "instance: https://mastodon.social/\nhashtags: [acme]\nquery: acme cloud\naccess_token: env:EARSHOT_TEST_MASTODON_TOKEN\nbackfill: 48h\nmax_pages: 3\nmax_bytes: 1048576\ntimeout: 10s", ""},
		{"no instance", "hashtags: [acme]", "collectors.mastodon[c].instance: required"},
		{"relative instance", "instance: mastodon.social\nhashtags: [acme]", "collectors.mastodon[c].instance: must be an absolute http(s) URL"},
		{"nothing to follow", "instance: https://mastodon.social", "collectors.mastodon[c].hashtags: hashtags or query required"},
		{"bad hashtag", "instance: https://mastodon.social\nhashtags: [acme, 'acme cloud']", `collectors.mastodon[c].hashtags[1]: "acme cloud" is not a hashtag`},
		{"zero backfill", "instance: https://mastodon.social\nquery: acme\nbackfill: 0s", "collectors.mastodon[c].backfill: must be a positive duration"},
		{"zero max_pages", "instance: https://mastodon.social\nquery: acme\nmax_pages: 0", "collectors.mastodon[c].max_pages: must be positive"},
		{"unset token variable", "instance: https://mastodon.social\nquery: acme\naccess_token: env:EARSHOT_TEST_UNSET_VARIABLE", "collectors.mastodon[c].access_token: environment variable EARSHOT_TEST_UNSET_VARIABLE is not set"},
		{"misspelt key", "instance: https://mastodon.social\nhashtag: [acme]", "collectors.mastodon[c].hashtag: unknown key (known keys: instance, hashtags, query, access_token, backfill, max_pages, max_bytes, timeout)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New("mastodon", "c", doc.Content[0], collectors.Deps{})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if c.Name() != "c" {
					t.Errorf("Name() = %q", c.Name())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q leaks the token", err)
			}
			var ce *collectors.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%v is not a *collectors.ConfigError", err)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	d := mastodon.DefaultConfig()
	if d.Backfill != 24*time.Hour || d.MaxPages != 10 || d.MaxBytes != 10<<20 || d.Timeout != 30*time.Second {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no instance, validated")
	}
}
