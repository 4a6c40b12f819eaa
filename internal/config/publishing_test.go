package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/publish"
)

func TestPublishing(t *testing.T) {
	cfg, err := Load("../../earshot.example.yaml", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Publishing.Approval != publish.ApprovalNone || len(cfg.Publishing.Channels) != 0 || cfg.Publishing.ETA != "[ETA]" {
		t.Errorf("example publishing = %+v, want no channel, no approval", cfg.Publishing)
	}
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg, err = Load(write(`
publishing:
  approval: second_person
  channels:
    x: {token: env:X_TOKEN}
    slack: {channel: C1, token: env:SLACK_TOKEN, limit: 2000}
  templates:
    social: {resolved: "All good: {{.Title}}"}
`), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Publishing
	if p.Approval != publish.ApprovalSecondPerson || p.Channels["slack"].Limit != 2000 || p.Channels["x"].Token != "env:X_TOKEN" ||
		p.Templates["social"]["resolved"] != "All good: {{.Title}}" || p.ETA != "[ETA]" {
		t.Errorf("publishing = %+v", p)
	}
	for text, want := range map[string]string{
		"publishing: {approval: always}":                              "publishing.approval",
		"publishing: {channels: {myspace: {}}}":                       "publishing.channels.myspace",
		"publishing: {templates: {social: {resolved: \"{{.Title\"}}}": "publishing.templates.social.resolved",
	} {
		if _, err := Load(write(text), env(nil)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s", text, err, want)
		}
	}
}
