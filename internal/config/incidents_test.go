package config

import (
	"os"
	"strings"
	"testing"

	"github.com/earshot/earshot/collectors"
	_ "github.com/earshot/earshot/collectors/statusfeed"
	_ "github.com/earshot/earshot/collectors/statuspage"
)

func TestExampleIncidents(t *testing.T) {
	cfg, err := Load("../../earshot.example.yaml", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Incidents) != 2 {
		t.Fatalf("example documents %d incident collectors, want 2", len(cfg.Incidents))
	}
	for i, ic := range cfg.Incidents {
		opts := ic.Options
		if _, err := collectors.NewIncidents(ic.Type, ic.Name, &opts, collectors.Deps{}); err != nil {
			t.Errorf("incidents[%d]: %v", i, err)
		}
	}
	if cfg.Webhooks.PagerDuty.Enabled() || cfg.Webhooks.Opsgenie.Enabled() || len(cfg.IncidentAPI.Tokens) > 0 {
		t.Errorf("example turns on an endpoint that needs a secret: %+v %+v", cfg.Webhooks, cfg.IncidentAPI)
	}

	// The commented-out sections parse once uncommented.
	var commented strings.Builder
	for _, section := range []string{"webhooks:", "incident_api:"} {
		on := false
		for line := range strings.SplitSeq(exampleText(t), "\n") {
			if strings.HasPrefix(line, "# "+section) {
				on = true
			} else if on && !strings.HasPrefix(line, "#  ") {
				on = false
			}
			if on {
				commented.WriteString(strings.TrimPrefix(line, "# ") + "\n")
			}
		}
	}
	var got Config
	if err := Parse([]byte(commented.String()), &got); err != nil {
		t.Fatalf("commented sections: %v\n%s", err, commented.String())
	}
	if !got.Webhooks.PagerDuty.Enabled() || got.Webhooks.Opsgenie.Username != "opsgenie" || len(got.IncidentAPI.Tokens) != 1 {
		t.Errorf("commented sections parsed to %+v %+v", got.Webhooks, got.IncidentAPI)
	}
}

func exampleText(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../earshot.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestIncidentValidation(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"incidents:\n  - {name: x}", "incidents[0].type: is empty"},
		{"incidents:\n  - {type: statuspage}", "incidents[0].name: is empty"},
		{"collectors:\n  - {type: rss, name: acme}\nincidents:\n  - {type: statuspage, name: acme}", `incidents[0].name: "acme" is used twice`},
		{"incidents:\n  - {type: statuspage, name: a, interval: 10ms}", "incidents[0].interval: 10ms is too short"},
		{"webhooks:\n  pagerduty: {secret: env:X, max_bytes: -1}", "webhooks.pagerduty.max_bytes"},
		{"webhooks:\n  opsgenie: {password: env:X}", "webhooks.opsgenie.username"},
		{"webhooks:\n  opsgenie: {services: {tag: ''}}", "webhooks.opsgenie.services"},
		{"webhooks:\n  slack: {}", "field slack not found"},
		{"incident_api:\n  tokens: ['']", "incident_api.tokens[0]: is empty"},
		{"incident_api:\n  max_bytes: -5", "incident_api.max_bytes"},
		{"incidents:\n  - {type: statuspage, name: a, page: 'https://status.example.com', watches: [globex]}", `incidents[0].watches: "globex" is not a configured watch`},
		{"collectors:\n  - {type: rss, name: a, url: 'https://example.com/feed', watches: [acme]}", "collectors[0].watches: only incident sources take watches"},
		{"webhooks:\n  pagerduty: {secret: env:X, watches: [globex]}", `webhooks.pagerduty.watches: "globex" is not a configured watch`},
		{"webhooks:\n  opsgenie: {token: env:X, watches: [initech]}", `webhooks.opsgenie.watches: "initech" is not a configured watch`},
	}
	for _, tt := range tests {
		cfg := Default()
		err := Parse([]byte(tt.yaml), &cfg)
		if err == nil {
			err = cfg.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}

// TestIncidentSourceWatches: an incident source's watches are the entry's
// key, not the collector's (its factory never sees them), and name
// configured watches.
func TestIncidentSourceWatches(t *testing.T) {
	cfg := Default()
	err := Parse([]byte(`
watches:
  - {name: acme, keywords: [acme]}
  - {name: globex, keywords: [globex]}
incidents:
  - {type: statuspage, name: acme-status, page: "https://status.acme.example", watches: [acme]}
webhooks:
  pagerduty: {secret: env:PD, watches: [globex]}
`), &cfg)
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Incidents[0].Watches; len(got) != 1 || got[0] != "acme" {
		t.Errorf("incidents[0].watches = %v, want [acme]", got)
	}
	if got := cfg.Webhooks.PagerDuty.Watches; len(got) != 1 || got[0] != "globex" {
		t.Errorf("webhooks.pagerduty.watches = %v, want [globex]", got)
	}
	var own map[string]any
	if err := cfg.Incidents[0].Options.Decode(&own); err != nil {
		t.Fatal(err)
	}
	if _, ok := own["watches"]; ok || own["page"] != "https://status.acme.example" {
		t.Errorf("the collector's own keys = %v", own)
	}
}
