package appstore_test

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/appstore"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // empty: valid
	}{
		{"minimal", "app_id: '1500000001'", ""},
		{"everything", "app_id: '1500000001'\ncountries: [us, gb, de]\nbackfill: 720h\nmax_pages: 3\nmax_bytes: 65536\ntimeout: 5s\nbase_url: https://itunes.apple.com/", ""},
		{"no app", "countries: [us]", "collectors.appstore[c].app_id: required"},
		{"app with id prefix", "app_id: id1500000001", `collectors.appstore[c].app_id: "id1500000001" is not an app ID`},
		{"no countries", "app_id: '1'\ncountries: []", "collectors.appstore[c].countries: at least one"},
		{"bad country", "app_id: '1'\ncountries: [USA]", `collectors.appstore[c].countries: "USA" is not a two-letter country code`},
		{"country twice", "app_id: '1'\ncountries: [us, us]", `collectors.appstore[c].countries: "us" is listed twice`},
		{"too many pages", "app_id: '1'\nmax_pages: 11", "collectors.appstore[c].max_pages: must be between 1 and 10"},
		{"zero backfill", "app_id: '1'\nbackfill: 0s", "collectors.appstore[c].backfill: must be a positive duration"},
		{"misspelt key", "app_id: '1'\ncountry: [us]", "collectors.appstore[c].country: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			_, err := collectors.New(appstore.Kind, "c", doc.Content[0], collectors.Deps{})
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
