package link

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestBuild(t *testing.T) {
	// A volume spike whose posts are mostly negative, and 4 outage
	// complaints: one short of OutagePosts.
	few := append(posts(1000, 4, t0, time.Minute, outage), posts(1100, 2, t0, time.Minute, []text{
		{"Acme pricing page is confusing and I was charged twice.", -0.6, earshot.ReasonBilling, "twitter"},
	})...)
	// Complaints without outage language.
	billing := posts(1000, 20, t0, 50*time.Second, []text{
		{"Acme charged my card twice this month, refund please.", -0.6, earshot.ReasonBilling, "twitter"},
		{"Acme support has not answered my billing ticket in a week.", -0.5, earshot.ReasonSupport, "reddit"},
	})
	// Negated outage words only.
	fine := posts(1000, 20, t0, 50*time.Second, []text{
		{"Acme is not down, the problem is my awful wifi.", -0.4, earshot.ReasonOther, "twitter"},
		{"Acme isn't down for me, just hate the new colours. Ugly.", -0.3, earshot.ReasonOther, "reddit"},
		{"No errors on Acme, my deploy script is just terrible.", -0.5, earshot.ReasonOther, "twitter"},
	})

	tests := []struct {
		name      string
		spike     earshot.Spike
		posts     []earshot.Post
		incidents []earshot.Incident
		kinds     string
		severity  string
		summary   []string
	}{
		{
			name:  "unreported: outage language, negative share, no incident",
			spike: spikeOf(earshot.MetricNegativeShare), posts: outagePosts(),
			kinds: "spike,unreported_incident", severity: Critical,
			summary: []string{"acme: 62% negative vs 8% expected since 14:00; no incident explains it",
				"Possible unreported incident on acme: 24 of 24 negative posts (100%) report an outage"},
		},
		{
			name:  "unreported: a volume spike of mostly negative posts",
			spike: volumeSpike(), posts: outagePosts(),
			kinds: "spike,unreported_incident", severity: Critical,
			summary: []string{"acme: 8 posts per 5 min vs 1 expected since 14:00"},
		},
		{
			name:  "linked: no unreported alert",
			spike: spikeOf(earshot.MetricNegativeShare), posts: outagePosts(),
			incidents: []earshot.Incident{apiIncident(t0.Add(18 * time.Minute))},
			kinds:     "spike", severity: Critical,
			summary: []string{"linked to incident 'Elevated API error rates and login failures' (confidence 0."},
		},
		{
			name:  "never unreported: a positive launch volume spike",
			spike: volumeSpike(), posts: launchPosts(),
			kinds: "spike", severity: Info,
			summary: []string{"acme: 8 posts per 5 min vs 1 expected since 14:00; mostly positive"},
		},
		{
			name:  "never unreported: a launch scoring very high",
			spike: func() earshot.Spike { s := volumeSpike(); s.Score = 0.99; return s }(), posts: launchPosts(),
			kinds: "spike", severity: Info,
		},
		{
			name:  "not unreported: too few outage posts",
			spike: spikeOf(earshot.MetricNegativeShare), posts: few,
			kinds: "spike", severity: Warning,
		},
		{
			name:  "not unreported: complaints without outage language",
			spike: spikeOf(earshot.MetricNegativeShare), posts: billing,
			kinds: "spike", severity: Warning,
		},
		{
			name:  "not unreported: negated outage language",
			spike: spikeOf(earshot.MetricNegativeShare), posts: fine,
			kinds: "spike", severity: Warning,
		},
		{
			name:  "critical: a very high score",
			spike: func() earshot.Spike { s := spikeOf(earshot.MetricNegativeShare); s.Score = 0.97; return s }(), posts: billing,
			kinds: "spike", severity: Critical,
		},
		{
			name: "resolved: the spike closed",
			spike: func() earshot.Spike {
				s := spikeOf(earshot.MetricNegativeShare)
				s.End = t0.Add(45 * time.Minute)
				return s
			}(),
			posts:     outagePosts(),
			incidents: []earshot.Incident{apiIncident(t0.Add(18 * time.Minute))},
			kinds:     "resolved", severity: Critical,
			summary: []string{"Over: acme: 62% negative vs 8% expected, 14:00–14:45; linked to incident 'Elevated API error rates and login failures'"},
		},
		{
			name: "resolved: an unreported spike closed",
			spike: func() earshot.Spike {
				s := spikeOf(earshot.MetricNegativeShare)
				s.End = t0.Add(45 * time.Minute)
				return s
			}(),
			posts: outagePosts(),
			kinds: "resolved", severity: Critical,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLinker(t, Deps{Incidents: incidentStore(t, tt.incidents...), Posts: postStore(t, world(tt.posts)...)})
			x, err := l.Explain(t.Context(), tt.spike)
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(x.Alerts); got != tt.kinds {
				t.Fatalf("alerts %s, want %s\nlink: %s", got, tt.kinds, x.Match.Reason)
			}
			var summaries []string
			for _, a := range x.Alerts {
				summaries = append(summaries, a.Summary)
				if a.Severity != tt.severity || a.Labels["severity"] != tt.severity {
					t.Errorf("%s: severity %s (label %s), want %s", a.Kind, a.Severity, a.Labels["severity"], tt.severity)
				}
				if want := string(a.Kind) + ":" + tt.spike.ID; a.ID != want {
					t.Errorf("ID %q, want %q", a.ID, want)
				}
				if a.IncidentID != x.Spike.IncidentID || a.Confidence != x.Spike.LinkConfidence {
					t.Errorf("%s: incident %q %.2f, spike says %q %.2f", a.Kind, a.IncidentID, a.Confidence, x.Spike.IncidentID, x.Spike.LinkConfidence)
				}
				wantLabels := map[string]string{"kind": string(a.Kind), "severity": tt.severity, "metric": string(tt.spike.Metric),
					"scope": "watch", "watch": "acme"}
				if a.IncidentID != "" {
					wantLabels["incident"] = a.IncidentID
				}
				if !mapsEqual(a.Labels, wantLabels) {
					t.Errorf("labels %v, want %v", a.Labels, wantLabels)
				}
				if !a.StartsAt.Equal(tt.spike.Start) || !a.EndsAt.Equal(tt.spike.End) {
					t.Errorf("starts %v ends %v, want the spike's", a.StartsAt, a.EndsAt)
				}
				if a.Why.Link == "" || len(a.Why.Sources) == 0 {
					t.Errorf("%s: Why lacks link or sources: %+v", a.Kind, a.Why)
				}
			}
			all := strings.Join(summaries, "\n")
			for _, s := range tt.summary {
				if !strings.Contains(all, s) {
					t.Errorf("summaries\n%s\nlack %q", all, s)
				}
			}
			if x.Unreported != strings.Contains(tt.kinds, "unreported") && tt.spike.End.IsZero() {
				t.Errorf("Unreported %v", x.Unreported)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestBuildStableIDs(t *testing.T) {
	ps := postStore(t, world(outagePosts())...)
	l := newLinker(t, Deps{Incidents: incidentStore(t), Posts: ps})
	s := spikeOf(earshot.MetricNegativeShare)
	first, err := l.Build(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	// The spike grows: a new peak, more posts. Same spike, same IDs.
	s.Peak, s.Score = t0.Add(30*time.Minute), 0.93
	if err := ps.SavePosts(t.Context(), posts(5000, 10, t0.Add(20*time.Minute), time.Minute, outage)); err != nil {
		t.Fatal(err)
	}
	again, err := l.Build(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(as []earshot.Alert) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	want := []string{"spike:" + s.ID, "unreported_incident:" + s.ID}
	if !slices.Equal(ids(first), want) || !slices.Equal(ids(again), want) {
		t.Errorf("IDs %v then %v, want %v both times", ids(first), ids(again), want)
	}
	if !again[0].At.Equal(t0.Add(35 * time.Minute)) {
		t.Errorf("At %v, want the end of the peak bucket", again[0].At)
	}

	// Another spike of the same scope and metric has other IDs.
	other := spikeOf(earshot.MetricNegativeShare)
	other.ID = "watch:acme:negative_share:1"
	third, err := l.Build(t.Context(), other)
	if err != nil {
		t.Fatal(err)
	}
	if third[0].ID == first[0].ID {
		t.Errorf("two spikes share alert ID %q", third[0].ID)
	}
}

func TestBuildScopes(t *testing.T) {
	tests := []struct {
		scope  earshot.Scope
		labels map[string]string
		watch  string
		begins string
	}{
		{earshot.Scope{Kind: earshot.ScopeAll}, map[string]string{"scope": "all"}, "", "all posts: "},
		{earshot.Scope{Kind: earshot.ScopeSource, Value: "twitter"}, map[string]string{"scope": "source", "source": "twitter"}, "", "posts on twitter: "},
		{earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, map[string]string{"scope": "watch", "watch": "acme"}, "acme", "acme: "},
	}
	for _, tt := range tests {
		t.Run(string(tt.scope.Kind), func(t *testing.T) {
			l := newLinker(t, Deps{Incidents: incidentStore(t, apiIncident(t0.Add(5*time.Minute))), Posts: postStore(t, world(outagePosts())...)})
			s := spikeOf(earshot.MetricNegativeShare)
			s.Scope = tt.scope
			as, err := l.Build(t.Context(), s)
			if err != nil {
				t.Fatal(err)
			}
			a := as[0]
			for k, v := range tt.labels {
				if a.Labels[k] != v {
					t.Errorf("label %s = %q, want %q", k, a.Labels[k], v)
				}
			}
			if a.Watch != tt.watch || !strings.HasPrefix(a.Summary, tt.begins) {
				t.Errorf("watch %q summary %q", a.Watch, a.Summary)
			}
			// Every scope here is about acme, whose services the incident names.
			if a.IncidentID != "statuspage:api" || !strings.Contains(a.Why.Link, "matching its services") {
				t.Errorf("incident %q, link %q", a.IncidentID, a.Why.Link)
			}
		})
	}
}

func TestBuildMarksPosts(t *testing.T) {
	ps := &linkRecorder{Store: postStore(t, world(outagePosts())...)}
	l := newLinker(t, Deps{Incidents: incidentStore(t, apiIncident(t0.Add(5*time.Minute))), Posts: ps})
	s := spikeOf(earshot.MetricNegativeShare)
	if _, err := l.Build(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	want := []linkCall{{earshot.PostQuery{From: t0, To: t0.Add(20 * time.Minute), Watch: "acme"}, "statuspage:api"}}
	if !slices.Equal(ps.calls, want) {
		t.Errorf("LinkPosts calls %+v, want %+v", ps.calls, want)
	}

	// No link, no marking.
	ps.calls = nil
	l = newLinker(t, Deps{Incidents: incidentStore(t), Posts: ps})
	if _, err := l.Build(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if len(ps.calls) != 0 {
		t.Errorf("LinkPosts called without a link: %+v", ps.calls)
	}
}
