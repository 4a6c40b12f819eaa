package youtube_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/youtube"
)

func TestConfig(t *testing.T) {
	const base = "channel_id: UCacmeCloud0000000000001\napi_key: env:YT_KEY\n"
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", base, ""},
		{"oauth", "channel_id: UCacmeCloud0000000000001\naccess_token: env:YT_TOKEN", ""},
		{"everything", base + "brand_accounts: [UCacmeCloud0000000000001, UCpriyaShah0000000000099]\nbackfill: 72h\nrevisit: 168h\nmax_pages: 5\nmax_bytes: 65536\ntimeout: 5s\nbase_url: http://localhost:8080", ""},
		{"no channel", "api_key: env:YT_KEY", "collectors.youtube[c].channel_id: required"},
		{"handle for channel", "channel_id: '@acmecloud'\napi_key: env:YT_KEY", "collectors.youtube[c].channel_id: required: the channel's ID"},
		{"no credentials", "channel_id: UCacmeCloud0000000000001", "collectors.youtube[c].api_key: api_key or access_token required"},
		{"both credentials", base + "access_token: env:YT_TOKEN", "collectors.youtube[c].access_token: give api_key or access_token, not both"},
		{"bad brand account", base + "brand_accounts: ['@acme']", `collectors.youtube[c].brand_accounts: "@acme" is not a channel ID`},
		{"zero revisit", base + "revisit: 0s", "collectors.youtube[c].revisit: must be a positive duration"},
		{"zero max_pages", base + "max_pages: 0", "collectors.youtube[c].max_pages: must be positive"},
		{"relative base_url", base + "base_url: /youtube", "collectors.youtube[c].base_url: must be an absolute http(s) URL"},
		{"misspelt key", base + "channel: x", "collectors.youtube[c].channel: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New(youtube.Kind, "c", doc.Content[0], collectors.Deps{})
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
	d := youtube.DefaultConfig()
	if d.Backfill != 24*time.Hour || d.Revisit != 72*time.Hour || d.MaxPages != 20 || d.BaseURL != "https://www.googleapis.com" {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no channel, validated")
	}
}

// TestKeyUnresolved: a key whose variable is unset is an error naming the
// key and the variable, before any request.
func TestKeyUnresolved(t *testing.T) {
	cfg := youtube.DefaultConfig()
	cfg.ChannelID, cfg.APIKey = "UCacmeCloud0000000000001", "env:EARSHOT_TEST_UNSET_YT_KEY"
	cfg.BaseURL = "http://127.0.0.1:1"
	c, err := youtube.NewCollector("y", cfg, collectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	_, next, err := c.Collect(t.Context(), "")
	want := "collectors.youtube[y].api_key: environment variable EARSHOT_TEST_UNSET_YT_KEY is not set"
	if err == nil || !strings.Contains(err.Error(), want) || next != "" {
		t.Fatalf("error = %v, cursor %q, want an error containing %q", err, next, want)
	}
}
