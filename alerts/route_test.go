package alerts

import (
	"strings"
	"testing"
	"time"
)

func TestParseMatcher(t *testing.T) {
	labels := map[string]string{"watch": "acme-eu", "kind": "spike", "severity": "warning"}
	tests := []struct {
		in      string
		want    bool
		wantErr bool
	}{
		{`watch="acme-eu"`, true, false},
		{`watch=acme-eu`, true, false},
		{`watch = "acme"`, false, false},
		{`watch!="acme"`, true, false},
		{`watch=~"acme.*"`, true, false},
		{`watch=~"acme"`, false, false}, // anchored
		{`watch!~"acme|acme-eu"`, false, false},
		{`incident=""`, true, false}, // a missing label is ""
		{`incident!=""`, false, false},
		{`severity=~"critical|warning"`, true, false},
		{`kind="a\"b"`, false, false},
		{`=x`, false, true},
		{`watch`, false, true},
		{`9w="x"`, false, true},
		{`watch=~"("`, false, true},
		{`watch="unterminated`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseMatcher(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && m.Matches(labels) != tt.want {
				t.Errorf("Matches = %v, want %v", !tt.want, tt.want)
			}
		})
	}
}

func routingConfig() Config {
	c := DefaultConfig()
	c.Receivers = []Receiver{{Name: "default"}, {Name: "oncall"}, {Name: "comms"}, {Name: "eu"}}
	zero := time.Duration(0)
	c.Route.Routes = []Route{
		{Name: "pager", Receiver: "oncall", Matchers: []string{`severity="critical"`}, GroupWait: &zero, Continue: true, GroupBy: []string{"watch"}},
		{Name: "eu", Receiver: "eu", Matchers: []string{`watch=~"acme-(eu|uk)"`}, Routes: []Route{
			{Name: "eu-unreported", Matchers: []string{`kind="unreported_incident"`}, GroupBy: []string{"..."}},
		}},
		{Name: "comms", Receiver: "comms", Matchers: []string{`watch=~"acme.*"`}},
	}
	return c
}

func TestRoutes(t *testing.T) {
	tests := []struct {
		name   string
		labels map[string]string
		want   []string // route receiver groupkey
	}{
		{"default route when no child matches",
			map[string]string{"watch": "globex", "kind": "spike"},
			[]string{`root default root:{kind="spike",watch="globex"}`}},
		{"first matching child wins",
			map[string]string{"watch": "acme", "kind": "spike", "severity": "warning"},
			[]string{`comms comms comms:{kind="spike",watch="acme"}`}},
		{"continue sends to the next match too",
			map[string]string{"watch": "acme", "kind": "spike", "severity": "critical"},
			[]string{`pager oncall pager:{watch="acme"}`, `comms comms comms:{kind="spike",watch="acme"}`}},
		{"without continue the first match stops the search",
			map[string]string{"watch": "acme-eu", "kind": "spike", "severity": "warning"},
			[]string{`eu eu eu:{kind="spike",watch="acme-eu"}`}},
		{"nested route inherits its receiver and groups by every label",
			map[string]string{"watch": "acme-uk", "kind": "unreported_incident", "severity": "warning"},
			[]string{`eu-unreported eu eu-unreported:{kind="unreported_incident",severity="warning",watch="acme-uk"}`}},
		{"continue then nested",
			map[string]string{"watch": "acme-uk", "kind": "unreported_incident", "severity": "critical"},
			[]string{`pager oncall pager:{watch="acme-uk"}`, `eu-unreported eu eu-unreported:{kind="unreported_incident",severity="critical",watch="acme-uk"}`}},
	}
	c := routingConfig()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := c.Routes(tt.labels)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.Route+" "+m.Receiver+" "+m.GroupKey)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestRouteInheritance(t *testing.T) {
	cc, err := compile(routingConfig())
	if err != nil {
		t.Fatal(err)
	}
	pager, eu := cc.root.children[0], cc.root.children[1]
	if pager.groupWait != 0 || pager.groupInterval != 5*time.Minute || pager.repeat != 4*time.Hour {
		t.Errorf("pager timings = %v %v %v", pager.groupWait, pager.groupInterval, pager.repeat)
	}
	if eu.groupWait != 30*time.Second || eu.children[0].receiver != "eu" {
		t.Errorf("eu: wait %v, child receiver %q", eu.groupWait, eu.children[0].receiver)
	}
	if eu.children[0].id != "eu-unreported" || cc.root.id != "root" {
		t.Errorf("ids %q %q", eu.children[0].id, cc.root.id)
	}
}

func TestValidate(t *testing.T) {
	neg := -time.Second
	tests := []struct {
		name string
		edit func(*Config)
		want string // "" for valid
	}{
		{"default", func(*Config) {}, ""},
		{"routing example", func(c *Config) { *c = routingConfig() }, ""},
		{"no root receiver", func(c *Config) { c.Route.Receiver = "" }, "alerting.route.receiver: required"},
		{"unknown receiver", func(c *Config) {
			c.Route.Routes = []Route{{Receiver: "nobody"}}
		}, `alerting.route.routes[0].receiver: no receiver is named "nobody"`},
		{"root matchers", func(c *Config) { c.Route.Matchers = []string{`a="b"`} }, "alerting.route.matchers"},
		{"bad matcher", func(c *Config) {
			c.Route.Routes = []Route{{Matchers: []string{`watch=~"("`}}}
		}, "alerting.route.routes[0].matchers[0]"},
		{"bad group_by", func(c *Config) { c.Route.GroupBy = []string{"no-dash"} }, "alerting.route.group_by[0]"},
		{"negative wait", func(c *Config) { c.Route.GroupWait = &neg }, "alerting.route.group_wait"},
		{"negative interval", func(c *Config) { c.Route.Routes = []Route{{GroupInterval: -1}} }, "alerting.route.routes[0].group_interval"},
		{"duplicate receiver", func(c *Config) { c.Receivers = append(c.Receivers, Receiver{Name: "default"}) }, "alerting.receivers[1].name"},
		{"duplicate route name", func(c *Config) { c.Route.Routes = []Route{{Name: "x"}, {Name: "x"}} }, "alerting.route.routes[1].name"},
		{"unknown quiet hours", func(c *Config) { c.Route.QuietHours = []string{"nights"} }, `alerting.route.quiet_hours[0]: no quiet_hours window is named "nights"`},
		{"bad time zone", func(c *Config) {
			c.QuietHours = []QuietHours{{Name: "n", TimeZone: "Mars/Olympus", Start: "22:00", End: "07:00"}}
		}, "alerting.quiet_hours[0].time_zone"},
		{"bad start", func(c *Config) { c.QuietHours = []QuietHours{{Name: "n", Start: "25:00", End: "07:00"}} }, "alerting.quiet_hours[0].start"},
		{"bad weekday", func(c *Config) {
			c.QuietHours = []QuietHours{{Name: "n", Start: "22:00", End: "07:00", Weekdays: []string{"funday"}}}
		}, "alerting.quiet_hours[0].weekdays[0]"},
		{"bad action", func(c *Config) {
			c.QuietHours = []QuietHours{{Name: "n", Start: "22:00", End: "07:00", Action: "snooze"}}
		}, "alerting.quiet_hours[0].action"},
		{"inhibit without target", func(c *Config) { c.InhibitRules = []InhibitRule{{Source: []string{`a="b"`}}} }, "alerting.inhibit_rules[0].target_matchers"},
		{"min score", func(c *Config) { c.Noise.MinScore = 2 }, "alerting.noise.min_score"},
		{"watch min score", func(c *Config) {
			bad := -0.5
			c.Noise.Watches = map[string]NoiseOverride{"acme": {MinScore: &bad}}
		}, "alerting.noise.watches.acme.min_score"},
		{"slack without url", func(c *Config) {
			c.Receivers = append(c.Receivers, Receiver{Name: "s", Slack: make([]slackConfig, 1)})
		}, "alerting.receivers[1].slack[0].url"},
		{"email bad to", func(c *Config) {
			c.Receivers = append(c.Receivers, Receiver{Name: "e", Email: []emailConfig{{Smarthost: "h:25", From: "a@b.c", To: []string{"nope"}}}})
		}, "alerting.receivers[1].email[0].to[0]"},
		{"retry", func(c *Config) { c.Retry.MaxBackoff = time.Millisecond }, "alerting.retry.max_backoff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestQuietWindow(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	w, err := compileQuiet("q", QuietHours{Name: "nights", TimeZone: "America/New_York", Weekdays: []string{"fri"}, Start: "22:00", End: "07:00"})
	if err != nil {
		t.Fatal(err)
	}
	day, err := compileQuiet("q", QuietHours{Name: "lunch", Start: "12:00", End: "13:00"})
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string, loc *time.Location) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		w      *quietWindow
		t      time.Time
		active bool
		until  time.Time
	}{
		// 2025-03-07 is a Friday.
		{w, at("2025-03-07 21:59", ny), false, time.Time{}},
		{w, at("2025-03-07 22:00", ny), true, at("2025-03-08 07:00", ny)},
		{w, at("2025-03-08 06:59", ny), true, at("2025-03-08 07:00", ny)},
		{w, at("2025-03-08 07:00", ny), false, time.Time{}},
		{w, at("2025-03-08 23:00", ny), false, time.Time{}}, // Saturday night is not Friday night
		{w, at("2025-03-07 03:30", ny).UTC(), false, time.Time{}},
		{w, at("2025-03-08 03:00", time.UTC), true, at("2025-03-08 07:00", ny)}, // 22:00 Friday in New York
		{day, at("2025-03-09 12:30", time.UTC), true, at("2025-03-09 13:00", time.UTC)},
		{day, at("2025-03-09 13:00", time.UTC), false, time.Time{}},
	}
	for _, tt := range tests {
		active, until := tt.w.at(tt.t)
		if active != tt.active || !until.Equal(tt.until) {
			t.Errorf("%s at %v = %v until %v, want %v until %v", tt.w.name, tt.t, active, until, tt.active, tt.until)
		}
	}
}
