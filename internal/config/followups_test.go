package config

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/followup"
)

func TestFollowupsAndWeb(t *testing.T) {
	cfg := Default()
	if err := Parse([]byte(`
followups:
  interval: 1m
  strong_score: -0.7
  due: {p1: 2h, p2: 12h, p3: 48h, p4: 96h}
web:
  api_tokens: [env:EARSHOT_WEB_TOKEN]
`), &cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	f := cfg.Followups
	if f.Interval != time.Minute || f.StrongScore != -0.7 || f.Due.P1 != 2*time.Hour || f.Window != followup.DefaultConfig().Window || f.RepeatCount != 3 {
		t.Errorf("followups %+v (unset keys keep their defaults)", f)
	}
	if len(cfg.Web.APITokens) != 1 || string(cfg.Web.APITokens[0]) != "env:EARSHOT_WEB_TOKEN" {
		t.Errorf("web %+v", cfg.Web)
	}

	for _, tc := range []struct{ yaml, key string }{
		{"followups: {strong_score: 0.5}", "followups.strong_score: "},
		{"followups: {repeat_count: 1}", "followups.repeat_count: "},
		{"followups: {due: {p2: 1h}}", "followups.due.p2: "},
		{"web: {api_tokens: ['']}", "web.api_tokens[0]: is empty"},
	} {
		cfg := Default()
		if err := Parse([]byte(tc.yaml), &cfg); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s: err = %v, want %q", tc.yaml, err, tc.key)
		}
	}
}
