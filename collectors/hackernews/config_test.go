package hackernews_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/hackernews"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", "query: acme cloud", ""},
		{"everything", "query: '\"acme cloud\"'\nbackfill: 72h\nmax_pages: 3\nmax_bytes: 65536\ntimeout: 5s\nbase_url: http://localhost:8080/api/v1/", ""},
		{"no query", "backfill: 1h", "collectors.hackernews[c].query: required"},
		{"blank query", "query: '  '", "collectors.hackernews[c].query: required"},
		{"zero backfill", "query: a\nbackfill: 0s", "collectors.hackernews[c].backfill: must be a positive duration"},
		{"zero max_pages", "query: a\nmax_pages: 0", "collectors.hackernews[c].max_pages: must be positive"},
		{"negative max_bytes", "query: a\nmax_bytes: -1", "collectors.hackernews[c].max_bytes: must be positive"},
		{"zero timeout", "query: a\ntimeout: 0s", "collectors.hackernews[c].timeout: must be a positive duration"},
		{"relative base_url", "query: a\nbase_url: /api/v1", "collectors.hackernews[c].base_url: must be an absolute http(s) URL"},
		{"base_url with query", "query: a\nbase_url: https://hn.algolia.com/api/v1?x=1", "collectors.hackernews[c].base_url: must be an absolute http(s) URL"},
		{"misspelt key", "query: a\nmax_page: 3", "collectors.hackernews[c].max_page: unknown key"},
		{"not a mapping", "- query", "collectors.hackernews[c]: must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New(hackernews.Kind, "c", doc.Content[0], collectors.Deps{})
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
	d := hackernews.DefaultConfig()
	if d.Backfill != 24*time.Hour || d.MaxPages != 10 || d.MaxBytes != collectors.DefaultMaxBytes ||
		d.Timeout != 30*time.Second || d.BaseURL != "https://hn.algolia.com/api/v1" {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no query, validated")
	}
}
