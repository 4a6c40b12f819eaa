package facebook_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/facebook"
)

func TestConfig(t *testing.T) {
	const base = "page_id: '104857600123'\naccess_token: env:FB_TOKEN\n"
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", base, ""},
		{"everything", base + "api_version: v22.0\nbrand_accounts: ['104857600123', '7099']\nbackfill: 72h\nrevisit: 168h\nmax_pages: 5\nusage_threshold: 95\nmax_bytes: 65536\ntimeout: 5s\nbase_url: http://localhost:8080", ""},
		{"no page_id", "access_token: env:FB_TOKEN", "collectors.facebook[c].page_id: required"},
		{"page name", "page_id: acmecloud\naccess_token: env:X", "collectors.facebook[c].page_id: required: the Page's numeric ID"},
		{"no token", "page_id: '1'", "collectors.facebook[c].access_token: required"},
		{"bad version", base + "api_version: '21'", "collectors.facebook[c].api_version: must be"},
		{"bad brand account", base + "brand_accounts: ['@acme']", `collectors.facebook[c].brand_accounts: "@acme" is not`},
		{"zero revisit", base + "revisit: 0s", "collectors.facebook[c].revisit: must be a positive duration"},
		{"zero max_pages", base + "max_pages: 0", "collectors.facebook[c].max_pages: must be positive"},
		{"threshold over 100", base + "usage_threshold: 120", "collectors.facebook[c].usage_threshold:"},
		{"relative base_url", base + "base_url: /graph", "collectors.facebook[c].base_url: must be an absolute http(s) URL"},
		{"misspelt key", base + "page: x", "collectors.facebook[c].page: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New(facebook.Kind, "c", doc.Content[0], collectors.Deps{})
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
			var ce *collectors.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%v is not a *collectors.ConfigError", err)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	d := facebook.DefaultConfig()
	if d.APIVersion != "v21.0" || d.Backfill != 24*time.Hour || d.Revisit != 72*time.Hour || d.MaxPages != 20 ||
		d.UsageThreshold != 80 || d.BaseURL != "https://graph.facebook.com" {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no page, validated")
	}
}

// TestTokenUnresolved: a token whose variable is unset is an error naming
// the key and the variable, before any request.
func TestTokenUnresolved(t *testing.T) {
	cfg := facebook.DefaultConfig()
	cfg.PageID, cfg.AccessToken = "104857600123", "env:EARSHOT_TEST_UNSET_FB_TOKEN"
	cfg.BaseURL = "http://127.0.0.1:1"
	c, err := facebook.NewCollector("f", cfg, collectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	_, next, err := c.Collect(t.Context(), "")
	want := "collectors.facebook[f].access_token: environment variable EARSHOT_TEST_UNSET_FB_TOKEN is not set"
	if err == nil || !strings.Contains(err.Error(), want) || next != "" {
		t.Fatalf("error = %v, cursor %q, want an error containing %q", err, next, want)
	}
}
