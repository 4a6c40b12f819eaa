package link

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func TestRelink(t *testing.T) {
	// The night of an unreported outage: the spike opens at t0, and the
	// incident is opened 25 minutes later. An earlier launch spike in the
	// same hour stays unlinked.
	outageSpike := spikeOf(earshot.MetricNegativeShare)
	launchSpike := volumeSpike()
	launchSpike.ID = "watch:acme:volume:launch"
	launchSpike.Start, launchSpike.Peak = t0.Add(-40*time.Minute), t0.Add(-35*time.Minute)
	launchSpike.End = t0.Add(-20 * time.Minute)
	during := append(outagePosts(), posts(3000, 20, t0.Add(-40*time.Minute), time.Minute, launch)...)

	ps := &linkRecorder{Store: postStore(t, world(during)...)}
	incidents := incidentStore(t)
	spikes := spikeStore(t)
	l := newLinker(t, Deps{Incidents: incidents, Posts: ps, Spikes: spikes})

	// At first nothing explains the outage spike.
	x, err := l.Explain(t.Context(), outageSpike)
	if err != nil {
		t.Fatal(err)
	}
	if kinds(x.Alerts) != "spike,unreported_incident" {
		t.Fatalf("first alerts %s, want spike,unreported_incident", kinds(x.Alerts))
	}
	for _, s := range []earshot.Spike{x.Spike, launchSpike} {
		if err := spikes.SaveSpike(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}

	inc := apiIncident(t0.Add(25 * time.Minute))
	rs, err := l.Relink(t.Context(), inc) // not stored yet: Relink takes it as given
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Spike.ID != outageSpike.ID {
		t.Fatalf("relinked %+v, want the outage spike alone", rs)
	}
	r := rs[0]
	if r.Spike.IncidentID != inc.ID || r.Spike.LinkConfidence < 0.8 || r.Spike.LinkConfidence != r.Match.Confidence {
		t.Errorf("spike link %q %.2f", r.Spike.IncidentID, r.Spike.LinkConfidence)
	}
	a := r.Alert
	if a.Kind != earshot.AlertSpike || a.ID != x.Alerts[0].ID || a.IncidentID != inc.ID || a.Confidence != r.Spike.LinkConfidence {
		t.Errorf("alert %s %s incident %q %.2f, want the spike alert replaced, linked", a.Kind, a.ID, a.IncidentID, a.Confidence)
	}
	if !strings.HasPrefix(a.Why.Link, "incident 'Elevated API error rates and login failures' opened 25 min after the spike began; linked: ") {
		t.Errorf("link %q", a.Why.Link)
	}
	if !strings.Contains(a.Summary, "now linked to incident 'Elevated API error rates and login failures', opened 25 min after the spike began (confidence 0.") {
		t.Errorf("summary %q", a.Summary)
	}
	if a.Severity != Critical || a.Labels["incident"] != inc.ID || !a.At.Equal(inc.StartedAt) {
		t.Errorf("severity %s, labels %v, at %v", a.Severity, a.Labels, a.At)
	}
	// The spike's posts now carry the incident, up to when it was relinked.
	want := []linkCall{{earshot.PostQuery{From: t0, To: inc.StartedAt, Watch: "acme"}, inc.ID}}
	if !slices.Equal(ps.calls, want) {
		t.Errorf("LinkPosts calls %+v, want %+v", ps.calls, want)
	}
	for _, p := range allPosts(t, ps) {
		inSpike := !p.CreatedAt.Before(t0) && p.CreatedAt.Before(inc.StartedAt)
		if (p.IncidentID == inc.ID) != inSpike {
			t.Errorf("post %s at %v has incident %q", p.ID, p.CreatedAt, p.IncidentID)
		}
	}

	// Again, once saved: nothing changes.
	if err := spikes.SaveSpike(t.Context(), r.Spike); err != nil {
		t.Fatal(err)
	}
	if err := incidents.SaveIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	rs, err = l.Relink(t.Context(), inc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 0 {
		t.Errorf("second relink changed %d spikes", len(rs))
	}
}

func TestRelinkWindow(t *testing.T) {
	tests := []struct {
		name    string
		inc     earshot.Incident
		relinks bool
	}{
		{"opened within the lead", apiIncident(t0.Add(50 * time.Minute)), true},
		{"opened past the lead", apiIncident(t0.Add(70 * time.Minute)), false},
		{"posted late, started before the spike", func() earshot.Incident {
			inc := apiIncident(t0.Add(-time.Hour))
			inc.UpdatedAt = t0.Add(30 * time.Minute)
			return inc
		}(), true},
		{"open before the spike, unchanged since", apiIncident(t0.Add(-time.Hour)), false},
		{"resolved long before", func() earshot.Incident {
			inc := apiIncident(t0.Add(-3 * time.Hour))
			inc.ResolvedAt = t0.Add(-time.Hour)
			return inc
		}(), false},
		{"the wrong incident", func() earshot.Incident {
			inc := dashIncident()
			inc.StartedAt = t0.Add(10 * time.Minute)
			inc.ResolvedAt = time.Time{}
			return inc
		}(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := spikeOf(earshot.MetricNegativeShare)
			l := newLinker(t, Deps{Incidents: incidentStore(t), Posts: postStore(t, world(outagePosts())...),
				Spikes: spikeStore(t, s)})
			rs, err := l.Relink(t.Context(), tt.inc)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(rs) == 1; got != tt.relinks {
				t.Errorf("relinked %v, want %v", got, tt.relinks)
			}
		})
	}
}

func TestRelinkKeepsABetterLink(t *testing.T) {
	// The spike is linked to the API incident; a dashboard incident opened
	// later does not take it.
	s := spikeOf(earshot.MetricNegativeShare)
	api := apiIncident(t0.Add(5 * time.Minute))
	l := newLinker(t, Deps{Incidents: incidentStore(t, api), Posts: postStore(t, world(outagePosts())...), Spikes: spikeStore(t)})
	x, err := l.Explain(t.Context(), s)
	if err != nil || x.Spike.IncidentID != api.ID {
		t.Fatalf("spike linked to %q (%v)", x.Spike.IncidentID, err)
	}
	dash := dashIncident()
	dash.StartedAt, dash.ResolvedAt = t0.Add(15*time.Minute), time.Time{}
	dash.Services = nil
	l.deps.Spikes = spikeStore(t, x.Spike)
	rs, err := l.Relink(t.Context(), dash)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 0 {
		t.Errorf("relinked %+v", rs[0].Spike)
	}

	l.deps.Spikes = nil
	if _, err := l.Relink(t.Context(), dash); err == nil {
		t.Error("Relink without a spike store succeeded")
	}
}
