package bluesky_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/bluesky"
)

func TestConfig(t *testing.T) {
	t.Setenv("EARSHOT_TEST_BSKY_PASSWORD", "app-SECRET-from-env")
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", "query: acme cloud", ""},
		{"everything", "query: '#acmecloud'\nbase_url: https://public.api.bsky.app/\npds: https://bsky.social\nidentifier: acme-monitor.bsky.social\napp_password: env:EARSHOT_TEST_BSKY_PASSWORD\nbackfill: 48h\nmax_pages: 3\nmax_bytes: 1048576\ntimeout: 10s", ""},
		{"no query", "max_pages: 3", "collectors.bluesky[c].query: required"},
		{"relative base_url", "query: acme\nbase_url: public.api.bsky.app", "collectors.bluesky[c].base_url: must be an absolute http(s) URL"},
		{"identifier alone", "query: acme\nidentifier: acme-monitor.bsky.social", "collectors.bluesky[c].app_password: required with identifier"},
		{"password alone", "query: acme\napp_password: env:EARSHOT_TEST_BSKY_PASSWORD", "collectors.bluesky[c].identifier: required with app_password"},
		{"unset password variable", "query: acme\nidentifier: a.bsky.social\napp_password: env:EARSHOT_TEST_UNSET_VARIABLE", "collectors.bluesky[c].app_password: environment variable EARSHOT_TEST_UNSET_VARIABLE is not set"},
		{"zero backfill", "query: acme\nbackfill: 0s", "collectors.bluesky[c].backfill: must be a positive duration"},
		{"negative max_pages", "query: acme\nmax_pages: -1", "collectors.bluesky[c].max_pages: must be positive"},
		{"misspelt key", "query: acme\npassword: x", "collectors.bluesky[c].password: unknown key (known keys: query, base_url, pds, identifier, app_password, backfill, max_pages, max_bytes, timeout)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New("bluesky", "c", doc.Content[0], collectors.Deps{})
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
				t.Errorf("error %q leaks the password", err)
			}
			var ce *collectors.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%v is not a *collectors.ConfigError", err)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	d := bluesky.DefaultConfig()
	if d.BaseURL != "https://public.api.bsky.app" || d.PDS != "https://bsky.social" || d.Backfill != 24*time.Hour ||
		d.MaxPages != 10 || d.MaxBytes != 10<<20 || d.Timeout != 30*time.Second {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no query, validated")
	}
}
