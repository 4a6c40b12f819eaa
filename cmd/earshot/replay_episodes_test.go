package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/engine/replay"
	"github.com/earshot/earshot/engine/synth"
)

// fortnight is the scenario: fourteen days of chatter at 300
// mentions an hour with a daytime outage whose incident is opened 12
// minutes after the first complaints, a night outage nobody reports until
// an incident is opened 50 minutes in, and a product launch.
type fortnight struct {
	day, night, launch time.Time
	dayInc, nightInc   earshot.Incident
	seed               uint64
}

func newFortnight() fortnight {
	return fortnightAt(replayDay0.Add(8*24*time.Hour+15*time.Hour), replayDay0.Add(10*24*time.Hour+3*time.Hour),
		replayDay0.Add(12*24*time.Hour+14*time.Hour), 13)
}

// heldOutFortnight is the same story at other times, on other posts: the
// episode rules were settled looking at newFortnight's messages. The
// negative share's count test and the rule on an incident already told
// were then checked on this one too, so the figures of fortnights nobody
// looked at are TestReplayFortnightSeeds'.
func heldOutFortnight() fortnight {
	return fortnightAt(replayDay0.Add(8*24*time.Hour+13*time.Hour), replayDay0.Add(9*24*time.Hour+2*time.Hour),
		replayDay0.Add(12*24*time.Hour+11*time.Hour), 29)
}

func fortnightAt(launch, night, day time.Time, seed uint64) fortnight {
	f := fortnight{launch: launch, night: night, day: day, seed: seed}
	f.dayInc = earshot.Incident{ID: "statuspage:day1", Title: "API errors and failed logins", Services: []string{"api", "login"},
		StartedAt: f.day.Add(12 * time.Minute), ResolvedAt: f.day.Add(2 * time.Hour)}
	f.nightInc = earshot.Incident{ID: "pagerduty:night1", Title: "Dashboard not loading", Services: []string{"dashboard"},
		StartedAt: f.night.Add(50 * time.Minute), ResolvedAt: f.night.Add(2 * time.Hour)}
	return f
}

func (f fortnight) files(t testing.TB) (posts, incidents string) {
	outs := []synth.Outage{
		{Start: f.day, End: f.day.Add(100 * time.Minute), Rate: 2, Incident: &f.dayInc},
		{Start: f.night, End: f.night.Add(100 * time.Minute), Rate: 2, Incident: &f.nightInc},
	}
	ps, incs := synth.Generate(synth.Options{Start: replayDay0, Days: 14, PerHour: 300, Seed: f.seed,
		Outages:  outs,
		Launches: []synth.Launch{{At: f.launch, Rate: 2}}})
	return writeReplayFiles(t, ps, incs)
}

// truth writes the scenario's true episodes for --truth.
func (f fortnight) truth(t testing.TB) string {
	p := filepath.Join(t.TempDir(), "truth.jsonl")
	line := func(start, end time.Time, kind string) string {
		return `{"start":"` + start.Format(time.RFC3339) + `","end":"` + end.Format(time.RFC3339) + `","kind":"` + kind + `"}` + "\n"
	}
	body := line(f.day, f.day.Add(100*time.Minute), "outage") + line(f.night, f.night.Add(100*time.Minute), "outage") +
		line(f.launch, f.launch.Add(4*time.Hour), "launch")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReplayFortnightEpisodes is the scenario: one conversation
// per outage, the day one linked, the night one raised as a possible
// unreported incident and linked once its incident opens, the launch never
// a crisis, at most 10 messages in the fortnight.
func TestReplayFortnightEpisodes(t *testing.T) {
	t.Run("in-sample", func(t *testing.T) { checkFortnight(t, newFortnight(), 15*time.Minute) })
	t.Run("held-out", func(t *testing.T) {
		if testing.Short() {
			t.Skip("a second fortnight is not short")
		}
		checkFortnight(t, heldOutFortnight(), 15*time.Minute)
	})
}

// checkFortnight replays f and checks the conditions, the first
// message of the day outage within dayLatency.
func checkFortnight(t *testing.T, f fortnight, dayLatency time.Duration) {
	pp, ip := f.files(t)
	lines, out := replayed(t, "--posts", pp, "--incidents", ip, "--truth", f.truth(t))
	t.Logf("\n%s", out)
	if len(lines) > 10 {
		t.Errorf("%d messages in 14 days, want at most 10", len(lines))
	}
	within := func(l replay.Line, from, to time.Time) bool {
		at, err := time.Parse(time.RFC3339, l.At)
		if err != nil {
			t.Fatalf("at %q: %v", l.At, err)
		}
		return !at.Before(from) && at.Before(to)
	}
	seq := map[string]int{}
	for _, l := range lines {
		if seq[l.Episode] > 0 != l.Update {
			t.Errorf("message %d of %s says update=%v", seq[l.Episode]+1, l.Episode, l.Update)
		}
		seq[l.Episode]++
	}
	for _, o := range []struct {
		name   string
		start  time.Time
		inc    earshot.Incident
		first  string
		latest time.Duration
	}{
		{"day", f.day, f.dayInc, "", dayLatency},
		{"night", f.night, f.nightInc, "unreported_incident", 15 * time.Minute},
	} {
		var news []replay.Line
		linked := false
		for _, l := range lines {
			if !within(l, o.start, o.start.Add(8*time.Hour)) {
				continue
			}
			if !l.Update {
				news = append(news, l)
			}
			if l.Incident != nil && *l.Incident == o.inc.ID {
				linked = true
			}
		}
		if len(news) != 1 {
			t.Errorf("%s outage: %d new conversations, want 1", o.name, len(news))
			continue
		}
		if !within(news[0], o.start, o.start.Add(o.latest)) {
			t.Errorf("%s outage: first message at %s, more than %s after the first complaints (%s)", o.name, news[0].At, o.latest, o.start)
		}
		if o.first != "" && news[0].Kind != o.first {
			t.Errorf("%s outage: first message is a %s, want %s", o.name, news[0].Kind, o.first)
		}
		if !linked {
			t.Errorf("%s outage: never linked to %s", o.name, o.inc.ID)
		}
	}
	for _, l := range lines {
		if within(l, f.launch, f.launch.Add(8*time.Hour)) && (l.Kind == "unreported_incident" || l.Incident != nil) {
			t.Errorf("the launch called a crisis: %+v", l)
		}
	}
}

// TestReplaySilences: a silence over a night outage (the one
// TestReplayFirstAlert sees alerted 7.5 min in) and its tail mutes every
// message while it lasts; the outage is told once it ends if it still
// goes on, never before.
func TestReplaySilences(t *testing.T) {
	night := replayDay0.Add(8*24*time.Hour + 3*time.Hour)
	pp, ip := outageData(t, 21, 300, night, nil)
	path := filepath.Join(t.TempDir(), "silences.jsonl")
	from, to := night.Add(-10*time.Minute), night.Add(6*time.Hour-10*time.Minute)
	line := `{"matchers":["watch=\"all\""],"starts_at":"` + from.Format(time.RFC3339) + `","duration":"6h","created_by":"ops","comment":"night maintenance"}` + "\n"
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	lines, out := replayed(t, "--posts", pp, "--incidents", ip, "--silences", path)
	for _, l := range lines {
		at, _ := time.Parse(time.RFC3339, l.At)
		if !at.Before(from) && at.Before(to) {
			t.Errorf("a message while the silence lasts: %+v\n%s", l, out)
		}
	}
}

// TestReplayIncidentScope: with two watches sharing services, an incident
// that names one watch never explains the other's outage.
func TestReplayIncidentScope(t *testing.T) {
	start := replayDay0.Add(8*24*time.Hour + 14*time.Hour)
	cfg := filepath.Join(t.TempDir(), "earshot.yaml")
	os.WriteFile(cfg, []byte(`watches:
  - name: acme
    terms: ["Acme", "Acme Cloud"]
    keywords: ["#acmedown"]
    handles: ["acmecloud"]
    services: [api, dashboard, login]
  - name: globex
    terms: ["Globex"]
    services: [api, login]
`), 0o600)
	// (An incident naming acme among others does explain it: see
	// alerts/link TestLink.)
	for _, tc := range []struct {
		watches []string
		linked  bool
	}{{[]string{"globex"}, false}} {
		inc := &earshot.Incident{ID: "statuspage:x1", Title: "API errors and failed logins", Services: []string{"api", "login"},
			Watches: tc.watches, StartedAt: start.Add(10 * time.Minute), ResolvedAt: start.Add(2 * time.Hour)}
		pp, ip := outageData(t, 3, 300, start, inc)
		lines, out := replayed(t, "--posts", pp, "--incidents", ip, "--config", cfg)
		linked := false
		for _, l := range lines {
			if l.Watch != "acme" {
				t.Errorf("a message about %s: %+v", l.Watch, l)
			}
			if l.Incident != nil {
				linked = true
			}
		}
		if len(lines) == 0 || linked != tc.linked {
			t.Errorf("incident for %v: linked %v, want %v:\n%s", tc.watches, linked, tc.linked, out)
		}
	}
}
