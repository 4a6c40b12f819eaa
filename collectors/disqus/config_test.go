package disqus_test

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/disqus"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", "forum: acmecloud\napi_key: env:K", ""},
		{"everything", "forum: acme-cloud\napi_key: file:/run/k\nbrand_authors: [acmecloud, '301122']\nbackfill: 72h\nreread: 6h\nmax_pages: 3\nmax_bytes: 65536\ntimeout: 5s\nbase_url: https://disqus.com/api/3.0/", ""},
		{"no forum", "api_key: env:K", "collectors.disqus[c].forum: required"},
		{"bad forum", "forum: acme cloud\napi_key: env:K", "collectors.disqus[c].forum: \"acme cloud\" is not a forum short name"},
		{"no key", "forum: acmecloud", "collectors.disqus[c].api_key: required"},
		{"zero backfill", "forum: a\napi_key: env:K\nbackfill: 0s", "collectors.disqus[c].backfill: must be a positive duration"},
		{"negative reread", "forum: a\napi_key: env:K\nreread: -1h", "collectors.disqus[c].reread: must be a duration"},
		{"zero max_pages", "forum: a\napi_key: env:K\nmax_pages: 0", "collectors.disqus[c].max_pages: must be positive"},
		{"relative base_url", "forum: a\napi_key: env:K\nbase_url: /api", "collectors.disqus[c].base_url: must be an absolute http(s) URL"},
		{"misspelt key", "forum: a\napi_key: env:K\napikey: x", "collectors.disqus[c].apikey: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			_, err := collectors.New(disqus.Kind, "c", doc.Content[0], collectors.Deps{})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
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
