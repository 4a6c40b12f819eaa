package reddit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/reddit"
)

func TestConfig(t *testing.T) {
	const creds = "client_id: env:RID\nclient_secret: env:RSECRET\n"
	const ua = "user_agent: 'linux:earshot:v0.1 (by /u/acme_comms)'\n"
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"query", creds + ua + "query: acme cloud", ""},
		{"subreddits", creds + ua + "subreddits: [acmecloud, r/Acme_Cloud]", ""},
		{"everything", creds + ua + "query: '\"acme cloud\"'\nsubreddits: [acmecloud]\nsearch_subreddits: [sysadmin]\nbackfill: 72h\nmax_pages: 3\nmax_bytes: 65536\ntimeout: 5s\nauth_url: http://localhost:1/token\napi_url: http://localhost:2/", ""},
		{"agent with contact", creds + "user_agent: 'web:com.acme.earshot:1.2.0 (by /u/acme_comms, comms@acme.example)'\nquery: a", ""},
		{"no client_id", "client_secret: env:S\n" + ua + "query: a", "collectors.reddit[c].client_id: required"},
		{"no client_secret", "client_id: env:I\n" + ua + "query: a", "collectors.reddit[c].client_secret: required"},
		{"no user_agent", creds + "query: a", "collectors.reddit[c].user_agent: required"},
		{"generic user_agent", creds + "user_agent: Go-http-client/1.1\nquery: a", `collectors.reddit[c].user_agent: "Go-http-client/1.1" is too generic`},
		{"browser user_agent", creds + "user_agent: 'Mozilla/5.0 (X11; Linux x86_64)'\nquery: a", "collectors.reddit[c].user_agent:"},
		{"no username", creds + "user_agent: 'linux:earshot:v0.1'\nquery: a", "collectors.reddit[c].user_agent:"},
		{"nothing to collect", creds + ua + "backfill: 1h", "collectors.reddit[c].query: query or subreddits required"},
		{"search_subreddits alone", creds + ua + "subreddits: [a1]\nsearch_subreddits: [sysadmin]", "collectors.reddit[c].search_subreddits: needs query"},
		{"bad subreddit", creds + ua + "subreddits: ['/r/acme cloud']", `collectors.reddit[c].subreddits: "/r/acme cloud" is not a subreddit name`},
		{"zero backfill", creds + ua + "query: a\nbackfill: 0s", "collectors.reddit[c].backfill: must be a positive duration"},
		{"zero max_pages", creds + ua + "query: a\nmax_pages: 0", "collectors.reddit[c].max_pages: must be positive"},
		{"zero max_bytes", creds + ua + "query: a\nmax_bytes: 0", "collectors.reddit[c].max_bytes: must be positive"},
		{"zero timeout", creds + ua + "query: a\ntimeout: 0s", "collectors.reddit[c].timeout: must be a positive duration"},
		{"relative auth_url", creds + ua + "query: a\nauth_url: /token", "collectors.reddit[c].auth_url: must be an absolute http(s) URL"},
		{"api_url with password", creds + ua + "query: a\napi_url: 'https://u:p@oauth.reddit.com'", "collectors.reddit[c].api_url: must be an absolute http(s) URL"},
		{"misspelt key", creds + ua + "query: a\nsubreddit: [x]", "collectors.reddit[c].subreddit: unknown key"},
		{"not a mapping", "- query", "collectors.reddit[c]: must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New(reddit.Kind, "c", doc.Content[0], collectors.Deps{})
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
	d := reddit.DefaultConfig()
	if d.Backfill != 24*time.Hour || d.MaxPages != 10 || d.MaxBytes != collectors.DefaultMaxBytes ||
		d.Timeout != 30*time.Second || d.AuthURL != "https://www.reddit.com/api/v1/access_token" ||
		d.APIURL != "https://oauth.reddit.com" {
		t.Errorf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate("x"); err == nil {
		t.Error("the default config, which has no credentials, validated")
	}
}

// TestSecretUnresolved: a credential whose variable is unset is an error
// naming the key and the variable, before any request, and never the other
// credential's value.
func TestSecretUnresolved(t *testing.T) {
	t.Setenv("EARSHOT_TEST_REDDIT_ID", clientID)
	cfg := reddit.DefaultConfig()
	cfg.ClientID, cfg.ClientSecret = "env:EARSHOT_TEST_REDDIT_ID", "env:EARSHOT_TEST_UNSET_SECRET"
	cfg.UserAgent, cfg.Query = userAgent, "acme"
	cfg.AuthURL, cfg.APIURL = "http://127.0.0.1:1/token", "http://127.0.0.1:1"
	c, err := reddit.NewCollector("r", cfg, collectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Collect(t.Context(), "")
	want := "collectors.reddit[r].client_secret: environment variable EARSHOT_TEST_UNSET_SECRET is not set"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want one containing %q", err, want)
	}
	if strings.Contains(err.Error(), clientID) {
		t.Errorf("error %q leaks the client ID", err)
	}
	var ce *collectors.ConfigError
	if !errors.As(err, &ce) || ce.Key != "client_secret" {
		t.Errorf("%v is not a *collectors.ConfigError for client_secret", err)
	}
}
