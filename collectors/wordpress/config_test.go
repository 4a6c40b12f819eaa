package wordpress_test

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/wordpress"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", "site: https://blog.acme.example", ""},
		{"in a folder", "site: https://acme.example/blog/", ""},
		{"everything", "site: https://blog.acme.example\nusername: earshot\napp_password: env:WP_APP_PASSWORD\nstatus: all\nbrand_authors: [3, 7]\nbackfill: 72h\nreread: 12h\nmax_pages: 3\nmax_bytes: 65536\ntimeout: 5s", ""},
		{"no site", "backfill: 1h", "collectors.wordpress[c].site: required"},
		{"relative site", "site: blog.acme.example", "collectors.wordpress[c].site: must be an absolute http(s) URL"},
		{"site with query", "site: https://blog.acme.example/?p=1", "collectors.wordpress[c].site: must be an absolute http(s) URL"},
		{"site with user", "site: https://me:pw@blog.acme.example", "collectors.wordpress[c].site: must be an absolute http(s) URL"},
		{"password without user", "site: https://b.example\napp_password: env:X", "collectors.wordpress[c].app_password: username and app_password go together"},
		{"user without password", "site: https://b.example\nusername: earshot", "collectors.wordpress[c].app_password: username and app_password go together"},
		{"bad status", "site: https://b.example\nstatus: hold", `collectors.wordpress[c].status: must be "approve" or "all"`},
		{"all without credentials", "site: https://b.example\nstatus: all", `collectors.wordpress[c].status: "all" needs username and app_password`},
		{"bad brand author", "site: https://b.example\nbrand_authors: [0]", "collectors.wordpress[c].brand_authors: user IDs are positive"},
		{"zero backfill", "site: https://b.example\nbackfill: 0s", "collectors.wordpress[c].backfill: must be a positive duration"},
		{"negative reread", "site: https://b.example\nreread: -1h", "collectors.wordpress[c].reread: must be a duration"},
		{"zero max_pages", "site: https://b.example\nmax_pages: 0", "collectors.wordpress[c].max_pages: must be positive"},
		{"zero timeout", "site: https://b.example\ntimeout: 0s", "collectors.wordpress[c].timeout: must be a positive duration"},
		{"misspelt key", "site: https://b.example\nbrand_author: [3]", "collectors.wordpress[c].brand_author: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New(wordpress.Kind, "c", doc.Content[0], collectors.Deps{})
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
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			var ce *collectors.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%T is not a *collectors.ConfigError", err)
			}
		})
	}
}
