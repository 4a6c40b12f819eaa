package linkedin_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/linkedin"
)

func TestConfig(t *testing.T) {
	const base = "organization_id: '2414183'\naccess_token: env:LI_TOKEN\n"
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", base, ""},
		{"everything", base + "api_version: '202601'\nbrand_accounts: ['2414183', 'urn:li:person:pRiYaSh99']\nbackfill: 72h\nrevisit: 168h\nmax_pages: 5\nmax_bytes: 65536\ntimeout: 5s\nbase_url: http://localhost:8080", ""},
		{"no organization", "access_token: env:LI_TOKEN", "collectors.linkedin[c].organization_id: required"},
		{"organization URN", "organization_id: 'urn:li:organization:1'\naccess_token: env:X", "collectors.linkedin[c].organization_id: required: the organization's numeric ID"},
		{"no token", "organization_id: '1'", "collectors.linkedin[c].access_token: required"},
		{"bad version", base + "api_version: '2025-05'", "collectors.linkedin[c].api_version: must be"},
		{"bad brand account", base + "brand_accounts: ['@acme']", `collectors.linkedin[c].brand_accounts: "@acme" is not`},
		{"zero revisit", base + "revisit: 0s", "collectors.linkedin[c].revisit: must be a positive duration"},
		{"zero max_pages", base + "max_pages: 0", "collectors.linkedin[c].max_pages: must be positive"},
		{"relative base_url", base + "base_url: /rest", "collectors.linkedin[c].base_url: must be an absolute http(s) URL"},
		{"misspelt key", base + "organization: x", "collectors.linkedin[c].organization: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New(linkedin.Kind, "c", doc.Content[0], collectors.Deps{})
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
	d := linkedin.DefaultConfig()
	if d.APIVersion != "202505" || d.Backfill != 24*time.Hour || d.Revisit != 72*time.Hour || d.MaxPages != 50 ||
		d.BaseURL != "https://api.linkedin.com" {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no organization, validated")
	}
}

// TestTokenUnresolved: a token whose variable is unset is an error naming
// the key and the variable, before any request.
func TestTokenUnresolved(t *testing.T) {
	cfg := linkedin.DefaultConfig()
	cfg.OrganizationID, cfg.AccessToken = "2414183", "env:EARSHOT_TEST_UNSET_LI_TOKEN"
	cfg.BaseURL = "http://127.0.0.1:1"
	c, err := linkedin.NewCollector("l", cfg, collectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	_, next, err := c.Collect(t.Context(), "")
	want := "collectors.linkedin[l].access_token: environment variable EARSHOT_TEST_UNSET_LI_TOKEN is not set"
	if err == nil || !strings.Contains(err.Error(), want) || next != "" {
		t.Fatalf("error = %v, cursor %q, want an error containing %q", err, next, want)
	}
}
