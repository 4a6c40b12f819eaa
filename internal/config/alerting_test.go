package config

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/alerts"
)

func TestExampleAlerting(t *testing.T) {
	cfg, err := Load("../../earshot.example.yaml", env(nil))
	if err != nil {
		t.Fatalf("earshot.example.yaml: %v", err)
	}
	a := cfg.Alerting
	if len(a.Route.Routes) != 2 || len(a.Receivers) != 3 || len(a.QuietHours) != 1 || len(a.InhibitRules) != 1 {
		t.Fatalf("alerting section not read whole: %+v", a)
	}
	if a.Route.GroupWait == nil || *a.Route.GroupWait != 30*time.Second || a.Noise.Cooldown != time.Hour {
		t.Errorf("timings = %v, cooldown %v", a.Route.GroupWait, a.Noise.Cooldown)
	}
	ms, err := a.Routes(map[string]string{"watch": "acme", "kind": "spike", "severity": "critical"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Receiver)
	}
	if strings.Join(got, ",") != "oncall,comms" {
		t.Errorf("a critical acme spike goes to %v, want oncall and comms", got)
	}
}

// TestExampleAlertingIntegrations uncomments the example's integrations,
// as a user would, and checks they parse and validate without resolving a
// secret.
func TestExampleAlertingIntegrations(t *testing.T) {
	b, err := os.ReadFile("../../earshot.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "  receivers:\n")
	end := strings.Index(text, "  inhibit_rules:")
	if start < 0 || end < start {
		t.Fatal("no alerting receivers in the example")
	}
	lines := strings.Split(text[start:end], "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "      # ") {
			lines[i] = "      " + strings.TrimPrefix(l, "      # ")
		}
	}
	cfg := Default()
	if err := Parse([]byte(text[:start]+strings.Join(lines, "\n")+text[end:]), &cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var comms, oncall alerts.Receiver
	for _, r := range cfg.Alerting.Receivers {
		switch r.Name {
		case "comms":
			comms = r
		case "oncall":
			oncall = r
		}
	}
	if len(comms.Slack) != 2 || comms.Slack[0].URL != "env:EARSHOT_SLACK_WEBHOOK_URL" ||
		comms.Slack[1].Token != "env:EARSHOT_SLACK_BOT_TOKEN" || comms.Slack[1].Channel != "C0123ABCD" || comms.Slack[1].Updates != "update" || len(comms.Email) != 1 ||
		comms.Email[0].Password != "env:EARSHOT_SMTP_PASSWORD" || len(comms.Webhook) != 1 || len(oncall.PagerDuty) != 1 {
		t.Errorf("integrations = %+v / %+v", comms, oncall)
	}
}

func TestAlertingValidateNamesTheKey(t *testing.T) {
	cfg := Default()
	if err := Parse([]byte("alerting: {route: {receiver: nobody}}"), &cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "alerting.route") {
		t.Errorf("Validate() = %v, want it to name alerting.route", err)
	}
}
