package twitter_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/twitter"
)

func TestConfig(t *testing.T) {
	t.Setenv(tokenEnv, testToken)
	t.Setenv("EARSHOT_TEST_UNSET_TOKEN", "")
	secretFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(secretFile, []byte(testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const ok = "query: acme\nbearer_token: env:" + tokenEnv + "\n"
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", ok, ""},
		{"everything", ok + "backfill: 168h\nmax_pages: 3\nbase_url: http://proxy.internal/twitter/\nmax_bytes: 4096\ntimeout: 5s", ""},
		{"token from a file", "query: acme\nbearer_token: file:" + secretFile, ""},
		{"no query", "bearer_token: env:" + tokenEnv, "collectors.twitter[c].query: required"},
		{"blank query", "query: '  '\nbearer_token: x", "collectors.twitter[c].query: required"},
		{"no token", "query: acme", "collectors.twitter[c].bearer_token: required"},
		{"unset variable", "query: acme\nbearer_token: env:EARSHOT_TEST_UNSET_TOKEN", "collectors.twitter[c].bearer_token: resolving: environment variable EARSHOT_TEST_UNSET_TOKEN is not set"},
		{"missing file", "query: acme\nbearer_token: file:/nonexistent/earshot-token", "collectors.twitter[c].bearer_token: resolving: reading secret file"},
		{"backfill too long", ok + "backfill: 169h", "collectors.twitter[c].backfill: must be at most 168h"},
		{"negative backfill", ok + "backfill: -1h", "collectors.twitter[c].backfill: must be a positive duration"},
		{"zero max_pages", ok + "max_pages: 0", "collectors.twitter[c].max_pages: must be at least 1"},
		{"relative base_url", ok + "base_url: /proxy", "collectors.twitter[c].base_url: must be an absolute http(s) URL"},
		{"base_url with credentials", ok + "base_url: https://u:p@proxy.internal", "collectors.twitter[c].base_url: must be an absolute http(s) URL"},
		{"zero max_bytes", ok + "max_bytes: 0", "collectors.twitter[c].max_bytes: must be positive"},
		{"misspelt key", ok + "max_page: 3", "collectors.twitter[c].max_page: unknown key (known keys: query, bearer_token, backfill, max_pages, base_url, max_bytes, timeout)"},
		{"not a mapping", "- query", "collectors.twitter[c]: must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New("twitter", "c", doc.Content[0], collectors.Deps{})
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
			if strings.Contains(err.Error(), testToken) {
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
	d := twitter.DefaultConfig()
	if d.Backfill != 24*time.Hour || d.MaxPages != 10 || d.MaxBytes != 10<<20 || d.Timeout != 30*time.Second || d.BaseURL != "" {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no query, validated")
	}
}

// TestBaseURL: base_url sends go-twitter's requests, path and all, to a
// proxy; the token goes with them.
func TestBaseURL(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Write([]byte(`{"statuses":[],"search_metadata":{"count":100}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := twitter.NewCollector("c", withDefaults(twitter.Config{
		Query: "acme", BearerToken: testToken, BaseURL: srv.URL + "/twitter/",
	}), collectors.Deps{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Collect(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.URL.Path != "/twitter/1.1/search/tweets.json" || got.Header.Get("Authorization") != "Bearer "+testToken {
		t.Fatalf("request = %+v", got)
	}
}

// TestNoRedirect: a redirect is not followed, so the token cannot be
// carried to another host.
func TestNoRedirect(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the redirect was followed, Authorization %q", r.Header.Get("Authorization"))
	}))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c, err := twitter.NewCollector("c", withDefaults(twitter.Config{
		Query: "acme", BearerToken: testToken, BaseURL: srv.URL,
	}), collectors.Deps{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Collect(t.Context(), "")
	if err == nil || !strings.Contains(err.Error(), "unexpected status 302 Found") {
		t.Fatalf("err = %v, want the 302 as an error", err)
	}
}

func withDefaults(c twitter.Config) twitter.Config {
	d := twitter.DefaultConfig()
	d.Query, d.BearerToken, d.BaseURL = c.Query, c.BearerToken, c.BaseURL
	return d
}
