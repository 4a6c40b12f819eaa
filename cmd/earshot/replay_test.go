package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/engine/replay"
	"github.com/earshot/earshot/engine/synth"
	"github.com/earshot/earshot/internal/demo"
)

// writeReplayFiles writes posts and incidents to temporary files in the
// formats replay reads.
func writeReplayFiles(t testing.TB, posts []earshot.Post, incs []earshot.Incident) (postsPath, incPath string) {
	t.Helper()
	dir := t.TempDir()
	postsPath, incPath = filepath.Join(dir, "posts.jsonl"), filepath.Join(dir, "incidents.jsonl")
	f, err := os.Create(postsPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.WritePosts(f, posts); err != nil {
		t.Fatal(err)
	}
	f.Close()
	f, err = os.Create(incPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteIncidents(f, incs); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return postsPath, incPath
}

// replayed runs replay and returns its lines, decoded, and its raw output.
func replayed(t testing.TB, args ...string) ([]replay.Line, string) {
	t.Helper()
	e, out, errb := testEnv("")
	if code := run(t.Context(), append([]string{"replay"}, args...), e); code != 0 {
		t.Fatalf("replay exited %d: %s", code, errb)
	}
	t.Log(strings.TrimSpace(errb.String()))
	var lines []replay.Line
	sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l replay.Line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	return lines, out.String()
}

var replayDay0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday

// outageData is nine days of chatter at perHour mentions an hour with an
// outage starting at start on the ninth day, lasting 90 minutes; inc, when
// set, reports it.
func outageData(t testing.TB, seed uint64, perHour float64, start time.Time, inc *earshot.Incident) (posts, incidents string) {
	ps, incs := synth.Generate(synth.Options{Start: replayDay0, Days: 9, PerHour: perHour, Seed: seed,
		Outages: []synth.Outage{{Start: start, End: start.Add(90 * time.Minute), Rate: 2, Incident: inc}}})
	return writeReplayFiles(t, ps, incs)
}

func TestReplayContract(t *testing.T) {
	start := replayDay0.Add(8*24*time.Hour + 14*time.Hour)
	inc := &earshot.Incident{ID: "statuspage:x1", Title: "API errors and failed logins", Services: []string{"api", "login"},
		StartedAt: start.Add(20 * time.Minute), ResolvedAt: start.Add(2 * time.Hour)}
	pp, ip := outageData(t, 3, 300, start, inc)
	lines, out := replayed(t, "--posts", pp, "--incidents", ip)
	if len(lines) == 0 {
		t.Fatal("no notification for an outage")
	}
	kinds := map[string]int{}
	var prev time.Time
	for i, raw := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if got := strings.Join(keys, ","); got != "at,confidence,episode,incident,kind,metric,summary,update,watch" {
			t.Fatalf("line %d has keys %s: %s", i+1, got, raw)
		}
		l := lines[i]
		at, err := time.Parse(time.RFC3339, l.At)
		if err != nil || at.Before(prev) {
			t.Errorf("line %d: at %q is not RFC 3339 or goes back in time", i+1, l.At)
		}
		prev = at
		switch l.Kind {
		case "spike", "unreported_incident", "resolved":
		default:
			t.Errorf("line %d: kind %q", i+1, l.Kind)
		}
		if l.Watch != "all" || l.Metric == "" || l.Summary == "" || l.Confidence < 0 || l.Confidence > 1 {
			t.Errorf("line %d: %s", i+1, raw)
		}
		if (l.Incident == nil) != (m["incident"] == nil) || (l.Incident != nil && *l.Incident != inc.ID) {
			t.Errorf("line %d: incident %v", i+1, m["incident"])
		}
		kinds[l.Kind]++
	}
	if kinds["spike"] == 0 || kinds["resolved"] == 0 {
		t.Errorf("want spike and resolved lines, got %v", kinds)
	}
	linked := slices.ContainsFunc(lines, func(l replay.Line) bool { return l.Incident != nil && l.Confidence >= 0.55 })
	if !linked {
		t.Errorf("no line linked to %s:\n%s", inc.ID, out)
	}

	// The same input gives the same output.
	if _, again := replayed(t, "--posts", pp, "--incidents", ip); again != out {
		t.Errorf("a second replay differs:\n%s\nvs\n%s", out, again)
	}

	// Notifiers deliver only with --deliver.
	var mu sync.Mutex
	var got []earshot.Notification
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n earshot.Notification
		json.NewDecoder(r.Body).Decode(&n)
		mu.Lock()
		got = append(got, n)
		mu.Unlock()
	}))
	defer srv.Close()
	cfgPath := filepath.Join(t.TempDir(), "earshot.yaml")
	os.WriteFile(cfgPath, []byte("alerting:\n  route: {receiver: hook}\n  receivers:\n    - name: hook\n      webhook: [{url: '"+srv.URL+"', allow_private_networks: true}]\n"), 0o600)
	withCfg, _ := replayed(t, "--posts", pp, "--incidents", ip, "--config", cfgPath)
	if len(got) != 0 {
		t.Errorf("delivered %d notifications without --deliver", len(got))
	}
	if len(withCfg) != len(lines) {
		t.Errorf("a config with the default routing and no watch gives %d lines, want %d", len(withCfg), len(lines))
	}
	replayed(t, "--posts", pp, "--incidents", ip, "--config", cfgPath, "--deliver")
	if len(got) == 0 || len(got) != len(lines) {
		t.Errorf("--deliver sent %d messages; the output has %d lines", len(got), len(lines))
	}
	for i, n := range got {
		if i < len(lines) && (n.Episode != lines[i].Episode || n.Update != lines[i].Update || n.Seq < 1) {
			t.Errorf("message %d: episode %q seq %d update %v; the line says %q %v", i+1, n.Episode, n.Seq, n.Update, lines[i].Episode, lines[i].Update)
		}
	}
}

func TestReplayBadUsage(t *testing.T) {
	dir := t.TempDir()
	posts := filepath.Join(dir, "p.jsonl")
	os.WriteFile(posts, []byte(`{"id":"1","source":"x","text":"Acme is down","created_at":"2026-03-01T00:00:00Z"}`+"\n"), 0o600)
	bad := filepath.Join(dir, "i.jsonl")
	os.WriteFile(bad, []byte(`{"id":"a","title":"t","started_at":"yesterday"}`+"\n"), 0o600)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{nil, "--posts FILE is required"},
		{[]string{"--posts", filepath.Join(dir, "none.jsonl")}, "cannot read"},
		{[]string{"--posts", posts, "--incidents", bad}, "i.jsonl:1: started_at"},
		{[]string{"--posts", posts, "--config", filepath.Join(dir, "none.yaml")}, "config"},
		{[]string{"--posts", posts, "--silences", bad}, "i.jsonl:1: not a silence"},
		{[]string{"--posts", posts, "--truth", bad}, "i.jsonl:1: not an episode"},
	} {
		e, _, errb := testEnv("")
		if code := run(t.Context(), append([]string{"replay"}, tt.args...), e); code != 2 || !strings.Contains(errb.String(), tt.msg) {
			t.Errorf("replay %v: exit %d, %q; want 2 and %q", tt.args, code, errb, tt.msg)
		}
	}
}

// TestReplayFirstAlert: at a few hundred mentions an hour, the first
// alert of an outage comes within 30 minutes of its start, data time.
func TestReplayFirstAlert(t *testing.T) {
	day := replayDay0.Add(8 * 24 * time.Hour)
	for _, tt := range []struct {
		name    string
		start   time.Time
		perHour float64
		inc     *earshot.Incident
	}{
		{"afternoon, incident opened 20 min late", day.Add(14 * time.Hour), 300, &earshot.Incident{ID: "manual:o1", Title: "API outage",
			Services: []string{"api"}, StartedAt: day.Add(14*time.Hour + 20*time.Minute), ResolvedAt: day.Add(16 * time.Hour)}},
		{"morning, incident already open", day.Add(9 * time.Hour), 200, &earshot.Incident{ID: "manual:o2", Title: "Login failures",
			Services: []string{"login"}, StartedAt: day.Add(9*time.Hour - 5*time.Minute), ResolvedAt: day.Add(11 * time.Hour)}},
		{"night, nobody reports it", day.Add(3 * time.Hour), 300, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inc := tt.inc
			pp, ip := outageData(t, 21, tt.perHour, tt.start, inc)
			lines, out := replayed(t, "--posts", pp, "--incidents", ip)
			for _, l := range lines {
				at, _ := time.Parse(time.RFC3339, l.At)
				if at.Before(tt.start) || l.Kind == "resolved" {
					continue
				}
				d := at.Sub(tt.start)
				t.Logf("first alert %s after the outage began (%s): %s", d, l.Kind, l.Summary)
				if d > 30*time.Minute {
					t.Errorf("first alert %s after the outage began", d)
				}
				return
			}
			t.Errorf("no alert for the outage:\n%s", out)
		})
	}
}

// TestReplayQuietFortnight: two weeks of ordinary chatter with one product
// launch make at most a handful of notifications, and never a possible
// unreported incident.
func TestReplayQuietFortnight(t *testing.T) {
	launch := replayDay0.Add(9*24*time.Hour + 15*time.Hour)
	posts, _ := synth.Generate(synth.Options{Start: replayDay0, Days: 14, PerHour: 300, Seed: 2,
		Launches: []synth.Launch{{At: launch, Rate: 2}}})
	pp, _ := writeReplayFiles(t, posts, nil)
	lines, out := replayed(t, "--posts", pp)
	notes := map[string]bool{}
	for _, l := range lines {
		notes[l.At+l.Watch] = true
		if l.Kind == "unreported_incident" {
			t.Errorf("a launch is no incident: %s", l.Summary)
		}
	}
	t.Logf("%d notifications (%d lines) in a fortnight:\n%s", len(notes), len(lines), out)
	if len(notes) > 5 {
		t.Errorf("%d notifications in a quiet fortnight, want at most 5", len(notes))
	}
}

// TestReplayDemo: on the demo scenario's data, replay alerts on the outage
// and nowhere else.
func TestReplayDemo(t *testing.T) {
	sc := demo.Generate(demo.Options{})
	pp, ip := writeReplayFiles(t, sc.Posts, sc.Incidents)
	lines, out := replayed(t, "--posts", pp, "--incidents", ip)
	outage := sc.Outage()
	from, to := outage.StartedAt.Add(-time.Hour), outage.ResolvedAt.Add(6*time.Hour)
	linked := false
	for _, l := range lines {
		at, _ := time.Parse(time.RFC3339, l.At)
		if at.Before(from) || at.After(to) {
			t.Errorf("alert away from the outage (%s to %s): %+v", from, to, l)
		}
		if l.Incident != nil && *l.Incident == outage.ID {
			linked = true
		}
	}
	if len(lines) == 0 || !linked {
		t.Errorf("no alert linked to the outage %s:\n%s", outage.ID, out)
	}
	t.Logf("demo:\n%s", out)
}

// TestReplaySpeed replays EARSHOT_REPLAY_POSTS generated posts at 100,000
// a day (a month is 3,000,000) and reports the time taken; it is skipped
// unless the variable is set. docs/alerts.md has the figures.
func TestReplaySpeed(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("EARSHOT_REPLAY_POSTS"))
	if n <= 0 {
		t.Skip("set EARSHOT_REPLAY_POSTS=1000000 to measure replay's speed")
	}
	days := max(1, n/100_000)
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	posts, incs := synth.Generate(synth.Options{Start: start, Days: days, PerHour: float64(n) / float64(days) / 24, Seed: 5,
		Outages: []synth.Outage{{Start: start.Add(time.Duration(days)*24*time.Hour - 30*time.Hour), End: start.Add(time.Duration(days)*24*time.Hour - 28*time.Hour), Rate: 2,
			Incident: &earshot.Incident{ID: "manual:1", Title: "API errors", Services: []string{"api"},
				StartedAt: start.Add(time.Duration(days)*24*time.Hour - 29*time.Hour), ResolvedAt: start.Add(time.Duration(days)*24*time.Hour - 27*time.Hour)}}}})
	pp, ip := writeReplayFiles(t, posts, incs)
	posts = nil
	t0 := time.Now()
	lines, _ := replayed(t, "--posts", pp, "--incidents", ip)
	d := time.Since(t0)
	t.Logf("%d posts over %d days replayed in %.1fs (%.0f posts/s), %d lines", n, days, d.Seconds(), float64(n)/d.Seconds(), len(lines))
}
