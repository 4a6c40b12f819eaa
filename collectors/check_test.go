package collectors_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/earshot/earshot/collectors"
)

func TestChecks(t *testing.T) {
	bad := collectors.ConfigProblem("rss", "feed")
	digits := regexp.MustCompile(`^[0-9]+$`).MatchString
	for _, tt := range []struct {
		name   string
		checks []collectors.Check
		want   string
	}{
		{"all fine", []collectors.Check{collectors.BackfillCheck(time.Hour), collectors.MaxPagesCheck(1),
			collectors.MaxBytesCheck(1), collectors.TimeoutCheck(time.Second),
			collectors.BaseURLCheck("base_url", "https://example.com"),
			collectors.EveryCheck("ids", []string{"1", "2"}, digits, "is not an ID")}, ""},
		{"first that fails", []collectors.Check{collectors.MaxPagesCheck(1), collectors.MaxBytesCheck(0),
			collectors.TimeoutCheck(0)}, "collectors.rss[feed].max_bytes: must be positive"},
		{"backfill", []collectors.Check{collectors.BackfillCheck(0)},
			"collectors.rss[feed].backfill: must be a positive duration such as 24h"},
		{"timeout", []collectors.Check{collectors.TimeoutCheck(-time.Second)},
			"collectors.rss[feed].timeout: must be a positive duration such as 30s"},
		{"base URL", []collectors.Check{collectors.BaseURLCheck("api_url", "ftp://x")},
			"collectors.rss[feed].api_url: " + collectors.BaseURLProblem},
		{"every", []collectors.Check{collectors.EveryCheck("ids", []string{"1", "x", "y"}, digits, "is not an ID")},
			`collectors.rss[feed].ids: "x" is not an ID`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := collectors.Checks(bad, tt.checks...)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Checks = %v, want nil", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("Checks = %v, want %s", err, tt.want)
			}
			var ce *collectors.ConfigError
			if err != nil && !errors.As(err, &ce) {
				t.Errorf("Checks = %T, want a *ConfigError", err)
			}
		})
	}
}
