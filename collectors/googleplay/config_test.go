package googleplay_test

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/googleplay"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", "package_name: com.acme.cloud\nservice_account: file:/run/sa.json", ""},
		{"everything", "package_name: com.acme.cloud_beta\nservice_account: env:SA\nbackfill: 24h\nmax_pages: 3\nmax_bytes: 65536\ntimeout: 5s\nbase_url: https://androidpublisher.googleapis.com/", ""},
		{"no package", "service_account: env:SA", "collectors.googleplay[c].package_name: required"},
		{"bad package", "package_name: acme\nservice_account: env:SA", `collectors.googleplay[c].package_name: "acme" is not a package name`},
		{"no account", "package_name: com.acme.cloud", "collectors.googleplay[c].service_account: required"},
		{"backfill past a week", "package_name: com.acme.cloud\nservice_account: env:SA\nbackfill: 200h", "collectors.googleplay[c].backfill: must be a positive duration of at most 168h"},
		{"zero max_pages", "package_name: com.acme.cloud\nservice_account: env:SA\nmax_pages: 0", "collectors.googleplay[c].max_pages: must be positive"},
		{"relative base_url", "package_name: com.acme.cloud\nservice_account: env:SA\nbase_url: /x", "collectors.googleplay[c].base_url: must be an absolute http(s) URL"},
		{"misspelt key", "package_name: com.acme.cloud\nservice_account: env:SA\npackage: x", "collectors.googleplay[c].package: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			_, err := collectors.New(googleplay.Kind, "c", doc.Content[0], collectors.Deps{})
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

// TestBadServiceAccount: a key file that is not a service account's is a
// configuration error naming the key, at the first run, and never quotes
// the file.
func TestBadServiceAccount(t *testing.T) {
	for _, tt := range []struct{ name, json, want string }{
		{"not JSON", "-----BEGIN PRIVATE KEY-----\nMIIEvQ", "not a service account's JSON key file"},
		{"user credentials", `{"type":"authorized_user","client_id":"x","refresh_token":"1//secretRefresh"}`, `type "authorized_user", want service_account`},
		{"no key", `{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com"}`, "no private_key"},
		{"key not PEM", `{"type":"service_account","client_email":"a@b","private_key":"secretNotPEM"}`, "private_key is not PEM"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("EARSHOT_TEST_BAD_SA", tt.json)
			c, err := googleplay.NewCollector("c", googleplay.Config{
				PackageName: "com.acme.cloud", ServiceAccount: "env:EARSHOT_TEST_BAD_SA",
				Backfill: 24 * 3600e9, MaxPages: 1, Limits: collectors.Limits{MaxBytes: 1 << 20, Timeout: 1e9}, BaseURL: "http://127.0.0.1:1",
			}, collectors.Deps{})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = c.Collect(t.Context(), "")
			var ce *collectors.ConfigError
			if err == nil || !errors.As(err, &ce) || !strings.Contains(err.Error(), "collectors.googleplay[c].service_account: "+tt.want) {
				t.Fatalf("error %v, want a config error %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "MIIEvQ") {
				t.Errorf("the error quotes the key file: %v", err)
			}
		})
	}
}
