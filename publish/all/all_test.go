package all

import (
	"net/http"
	"strings"
	"testing"

	"github.com/earshot/earshot/publish"
)

func TestOpenEveryChannel(t *testing.T) {
	cfg := publish.DefaultConfig()
	cfg.Channels = map[string]publish.ChannelConfig{
		"slack":      {Channel: "C1", Token: "env:SLACK_TOKEN"},
		"x":          {Token: "env:X_TOKEN", Limit: 25000},
		"bluesky":    {Identifier: "acme.example", Password: "env:BSKY_PASSWORD"},
		"mastodon":   {BaseURL: "https://social.example", Token: "env:MASTODON_TOKEN", AllowPrivateNetworks: true},
		"statuspage": {PageID: "pg1", Token: "env:STATUSPAGE_KEY"},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string { return "secret-of-" + k }
	guarded, open := &http.Client{}, &http.Client{}
	var asked []bool
	chans, err := publish.Open(cfg, publish.Deps{Getenv: env}, func(allow bool) *http.Client {
		asked = append(asked, allow)
		if allow {
			return open
		}
		return guarded
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range chans {
		names = append(names, c.Name())
	}
	if strings.Join(names, ",") != "statuspage,mastodon,bluesky,x,slack" {
		t.Errorf("channels %v, want them in ChannelOrder", names)
	}
	if max, unit := chans[3].Limit(); max != 25000 || unit != publish.Weighted {
		t.Errorf("x's limit = %d %s, want the configured 25000 weighted", max, unit)
	}
	if len(asked) != 5 || !asked[1] || asked[0] {
		t.Errorf("clients asked %v: want the open one for mastodon only", asked)
	}

	missing := func(string) string { return "" }
	if _, err := publish.Open(cfg, publish.Deps{Getenv: missing}, nil); err == nil || !strings.Contains(err.Error(), "publishing.channels.") {
		t.Errorf("an unset secret: %v, want an error naming the channel", err)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		cfg  publish.Config
		want string
	}{
		{publish.Config{Approval: "maybe"}, "publishing.approval"},
		{publish.Config{Channels: map[string]publish.ChannelConfig{"fax": {}}}, "publishing.channels.fax"},
		{publish.Config{Channels: map[string]publish.ChannelConfig{"x": {Limit: -1}}}, "publishing.channels.x.limit"},
		{publish.Config{Templates: map[string]map[string]string{"email": {}}}, "publishing.templates.email"},
		{publish.Config{Templates: map[string]map[string]string{"social": {"later": "x"}}}, "publishing.templates.social.later"},
		{publish.Config{Templates: map[string]map[string]string{"social": {"resolved": "{{if}}"}}}, "publishing.templates.social.resolved"},
	} {
		if err := c.cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(%+v) = %v, want an error naming %s", c.cfg, err, c.want)
		}
	}
}
