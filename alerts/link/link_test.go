package link

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

func TestLink(t *testing.T) {
	resolvedShortlyBefore := apiIncident(t0.Add(-2 * time.Hour))
	resolvedShortlyBefore.ResolvedAt = t0.Add(-10 * time.Minute)
	aftermath := apiIncident(t0.Add(-3 * time.Hour))
	aftermath.ResolvedAt = t0.Add(-2 * time.Hour)
	resolvedLongBefore := apiIncident(t0.Add(-8 * time.Hour))
	resolvedLongBefore.ResolvedAt = t0.Add(-7 * time.Hour)
	tooLate := apiIncident(t0.Add(90 * time.Minute))
	otherBrand := apiIncident(t0.Add(5 * time.Minute))
	otherBrand.Watches = []string{"acme-pay"}
	ownBrand := apiIncident(t0.Add(5 * time.Minute))
	ownBrand.Watches = []string{"acme-pay", "acme"}
	openBefore := apiIncident(t0.Add(-25 * time.Minute))
	noServices := apiIncident(t0.Add(5 * time.Minute))
	noServices.Services = nil
	vague := earshot.Incident{ID: "manual:1", Title: "Investigating an issue with Acme Cloud", StartedAt: t0.Add(10 * time.Minute)}
	other := apiIncident(t0.Add(5 * time.Minute))
	other.ID, other.Title, other.Services, other.Updates = "statuspage:billing", "Invoices delayed", []string{"billing"}, nil

	tests := []struct {
		name      string
		incidents []earshot.Incident
		posts     []earshot.Post
		spike     earshot.Spike
		want      string  // incident ID, "" for none
		min, max  float64 // confidence bounds when linked
		reason    []string
	}{
		{
			name:      "linked within lead time",
			incidents: []earshot.Incident{apiIncident(t0.Add(18 * time.Minute))},
			want:      "statuspage:api", min: 0.85, max: 1,
			reason: []string{"incident 'Elevated API error rates and login failures' (api, login) was open from 14:18",
				"the spike began 18 min earlier", "of the spike's negative posts are about", "matching its services (api, login)"},
		},
		{
			name:      "open before the spike",
			incidents: []earshot.Incident{openBefore},
			want:      "statuspage:api", min: 0.9, max: 1,
			reason: []string{"was open from 13:35; the spike began 25 min later"},
		},
		{
			name:      "resolved shortly before",
			incidents: []earshot.Incident{resolvedShortlyBefore},
			want:      "statuspage:api", min: 0.6, max: 0.95,
			reason: []string{"the spike began 10 min after it was resolved"},
		},
		{
			name:      "aftermath: resolved 2 h before, the posts still about it",
			incidents: []earshot.Incident{aftermath},
			want:      "statuspage:api", min: 0.55, max: 1,
			reason: []string{"the spike began 2 h after it was resolved, in its aftermath"},
		},
		{
			name:      "aftermath: resolved 2 h before, people saying it is back",
			incidents: []earshot.Incident{aftermath},
			posts:     recoveryPosts(),
			spike:     doubledVolume(),
			want:      "statuspage:api", min: 0.55, max: 1,
			reason: []string{"8 of its 16 posts talk of an outage or say the service is back"},
		},
		{
			name:      "no aftermath of twice the usual chatter",
			incidents: []earshot.Incident{aftermath},
			posts:     posts(4000, 16, t0, 37*time.Second, chatter),
			spike:     doubledVolume(),
			reason:    []string{"none of its posts talks of an outage or says the service is back", "too little in the posts points at it"},
		},
		{
			name:      "no aftermath of a launch: the posts are not about the incident",
			incidents: []earshot.Incident{aftermath},
			posts:     launchPosts(),
			spike:     spikeOf(earshot.MetricVolume),
			reason:    []string{"too little in the posts points at it"},
		},
		{
			name:      "an incident naming other watches never explains this one's spike",
			incidents: []earshot.Incident{otherBrand},
			reason:    []string{"no known incident was open"},
		},
		{
			name:      "an incident naming this watch among others explains it",
			incidents: []earshot.Incident{ownBrand},
			want:      "statuspage:api", min: 0.85, max: 1,
		},
		{
			name:      "not linked when resolved long before",
			incidents: []earshot.Incident{resolvedLongBefore},
			reason:    []string{"no known incident was open from 30 min before to 1 h after the spike began (14:00)"},
		},
		{
			name:      "not linked when opened too late",
			incidents: []earshot.Incident{tooLate},
			reason:    []string{"no known incident was open"},
		},
		{
			name:      "an incident naming no service covers all",
			incidents: []earshot.Incident{noServices},
			want:      "statuspage:api", min: 0.8, max: 0.97,
			reason: []string{"it names no service, so it covers all"},
		},
		{
			name:      "two overlapping incidents: the better one wins",
			incidents: []earshot.Incident{dashIncident(), apiIncident(t0.Add(18 * time.Minute))},
			want:      "statuspage:api", min: 0.85, max: 1,
		},
		{
			name:      "the wrong incident alone is not linked",
			incidents: []earshot.Incident{dashIncident()},
			reason:    []string{"no incident explains it: the closest is incident 'Dashboard slow to load'", "too little in the posts points at it"},
		},
		{
			name:      "a vague incident open at the time is linked",
			incidents: []earshot.Incident{vague},
			want:      "manual:1", min: 0.55, max: 0.75,
		},
		{
			name:      "a billing incident does not explain an outage",
			incidents: []earshot.Incident{other},
			reason:    []string{"but its services differ from the watch's (api, login, dashboard)"},
		},
		{
			name:      "a launch is not explained by an outage",
			incidents: []earshot.Incident{apiIncident(t0.Add(5 * time.Minute))},
			posts:     launchPosts(),
			spike:     volumeSpike(),
			reason:    []string{"none of the spike's posts is negative"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := tt.posts
			if ps == nil {
				ps = outagePosts()
			}
			s := tt.spike
			if s.ID == "" {
				s = spikeOf(earshot.MetricNegativeShare)
			}
			l := newLinker(t, Deps{Incidents: incidentStore(t, tt.incidents...), Posts: postStore(t, world(ps)...)})
			m, err := l.Link(t.Context(), s)
			if err != nil {
				t.Fatal(err)
			}
			if m.Incident.ID != tt.want {
				t.Fatalf("linked %q, want %q (confidence %.2f, signals %+v)\nreason: %s", m.Incident.ID, tt.want, m.Confidence, m.Signals, m.Reason)
			}
			if tt.want != "" && (m.Confidence < tt.min || m.Confidence > tt.max) {
				t.Errorf("confidence %.2f, want in [%.2f, %.2f] (signals %+v)", m.Confidence, tt.min, tt.max, m.Signals)
			}
			if tt.want == "" && m.Confidence != 0 {
				t.Errorf("confidence %.2f without a link", m.Confidence)
			}
			for _, r := range tt.reason {
				if !strings.Contains(m.Reason, r) {
					t.Errorf("reason %q\nlacks %q", m.Reason, r)
				}
			}
		})
	}
}

func TestServicesMismatchLowersConfidence(t *testing.T) {
	match := apiIncident(t0.Add(10 * time.Minute))
	mismatch := match
	mismatch.Services = []string{"billing"}
	l := newLinker(t, Deps{Incidents: incidentStore(t), Posts: postStore(t, world(outagePosts())...)})
	s := spikeOf(earshot.MetricNegativeShare)
	ev, err := l.gather(t.Context(), s, l.spikeTime(s))
	if err != nil {
		t.Fatal(err)
	}
	a, b := l.score(ev, match), l.score(ev, mismatch)
	if a.Signals.Services != 1 || b.Signals.Services != 0 {
		t.Errorf("services signals %v, %v; want 1, 0", a.Signals.Services, b.Signals.Services)
	}
	if b.Confidence >= a.Confidence {
		t.Errorf("mismatch confidence %.2f, want under the match's %.2f", b.Confidence, a.Confidence)
	}
	want := a.Confidence - DefaultConfig().Weights.Services
	if d := b.Confidence - want; d < -0.011 || d > 0.011 {
		t.Errorf("mismatch confidence %.2f, want %.2f (the services weight less)", b.Confidence, want)
	}
}

func TestTimeSignal(t *testing.T) {
	l := newLinker(t, Deps{Incidents: incidentStore(t), Posts: postStore(t)})
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name             string
		started, resolve int // minutes from the spike's start; resolve 0: open
		want             float64
	}{
		{"open at the start", -30, 0, 1},
		{"starts with the spike", 0, 0, 1},
		{"opens 30 min later", 30, 0, 0.8},
		{"opens 60 min later", 60, 0, 0.6},
		{"opens 61 min later", 61, 0, 0},
		{"resolved as the spike began", -60, -0, 1},
		{"resolved 15 min before", -60, -15, 0.7},
		{"resolved 30 min before", -60, -30, 0.4},
		{"resolved 31 min before: aftermath", -60, -31, 0.4},
		{"resolved 6 h before: aftermath", -420, -360, 0.4},
		{"resolved 6 h 1 min before", -420, -361, 0},
		{"resolved after the spike began", -60, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := earshot.Incident{ID: "x", StartedAt: at(tt.started)}
			if tt.resolve != 0 || strings.HasPrefix(tt.name, "resolved as") {
				inc.ResolvedAt = at(tt.resolve)
			}
			got, _ := l.timeSignal(t0, inc)
			if d := got - tt.want; d < -1e-9 || d > 1e-9 {
				t.Errorf("time signal %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLinkKeepsCurrentIncident(t *testing.T) {
	a := apiIncident(t0.Add(10 * time.Minute))
	b := a
	b.ID = "statuspage:api-2"
	b.StartedAt = t0.Add(5 * time.Minute)
	l := newLinker(t, Deps{Incidents: incidentStore(t, a, b), Posts: postStore(t, world(outagePosts())...)})
	s := spikeOf(earshot.MetricNegativeShare)
	m, err := l.Link(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	if m.Incident.ID != b.ID {
		t.Fatalf("unlinked spike went to %q, want the nearer %q", m.Incident.ID, b.ID)
	}
	s.IncidentID = a.ID
	if m, err = l.Link(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if m.Incident.ID != a.ID {
		t.Errorf("linked spike moved to %q, want it kept on %q", m.Incident.ID, a.ID)
	}
}

func TestLinkErrors(t *testing.T) {
	s := spikeOf(earshot.MetricNegativeShare)
	l := newLinker(t, Deps{Incidents: failing{memstore.New()}, Posts: postStore(t, world(outagePosts())...)})
	if _, err := l.Link(t.Context(), s); err == nil || !strings.Contains(err.Error(), "listing incidents") {
		t.Errorf("error %v, want one about listing incidents", err)
	}
	l = newLinker(t, Deps{Incidents: incidentStore(t), Posts: failing{memstore.New()}})
	if _, err := l.Build(t.Context(), s); err == nil || !strings.Contains(err.Error(), "listing the spike's posts") {
		t.Errorf("error %v, want one about listing posts", err)
	}
	if _, err := New(Deps{}, DefaultConfig()); err == nil {
		t.Error("New without stores succeeded")
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	tests := []struct {
		key    string
		change func(*Config)
	}{
		{"lead", func(c *Config) { c.Lead = -time.Minute }},
		{"weights", func(c *Config) { c.Weights = Weights{} }},
		{"weights", func(c *Config) { c.Weights.Terms = -1 }},
		{"min_confidence", func(c *Config) { c.MinConfidence = 0 }},
		{"min_evidence", func(c *Config) { c.MinEvidence = 2 }},
		{"outage_share", func(c *Config) { c.OutageShare = 1.5 }},
		{"outage_posts", func(c *Config) { c.OutagePosts = 0 }},
		{"min_lift", func(c *Config) { c.MinLift = 0.5 }},
		{"time_zone", func(c *Config) { c.TimeZone = "Mars/Olympus" }},
	}
	for _, tt := range tests {
		c := DefaultConfig()
		tt.change(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), "link."+tt.key+":") {
			t.Errorf("%s: error %v, want one naming link.%s", tt.key, err, tt.key)
		}
	}
}

// TestLinkKeptWhenLaterPostsSayLess: a spike linked at its start keeps its
// incident when its later posts no longer point at it, while the incident
// is still near enough in time; a spike never linked is not.
func TestLinkKeptWhenLaterPostsSayLess(t *testing.T) {
	inc := apiIncident(t0.Add(5 * time.Minute))
	l := newLinker(t, Deps{Incidents: incidentStore(t, inc), Posts: postStore(t, world(launchPosts())...)})
	s := spikeOf(earshot.MetricNegativeShare)
	m, err := l.Link(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	if m.Linked() {
		t.Fatalf("launch posts linked to %s (%.2f): %s", m.Incident.ID, m.Confidence, m.Reason)
	}
	s.IncidentID, s.LinkConfidence = inc.ID, 0.8
	if m, err = l.Link(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if m.Incident.ID != inc.ID || m.Confidence != 0.8 || !strings.Contains(m.Reason, "kept") {
		t.Errorf("linked spike lost its incident: %+v", m)
	}
	// An incident that started too late to explain the spike is not kept.
	late := apiIncident(t0.Add(3 * time.Hour))
	l = newLinker(t, Deps{Incidents: incidentStore(t, late), Posts: postStore(t, world(launchPosts())...)})
	s.IncidentID = late.ID
	if m, err = l.Link(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if m.Linked() {
		t.Errorf("kept a link to an incident opened three hours after the spike: %+v", m)
	}
}
