package engine

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/slack"
	"github.com/earshot/earshot/alerts/notify/webhook"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/engine/synth"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/store/clickhouse"
	"github.com/earshot/earshot/store/clickhouse/chtest"
	"github.com/earshot/earshot/store/duckdb"
	"github.com/earshot/earshot/store/memstore"
)

// stores are the backends the end-to-end tests run on: DuckDB always,
// ClickHouse when EARSHOT_TEST_CLICKHOUSE names a server.
var stores = []struct {
	name string
	open func(t *testing.T) earshot.Store
}{
	{"duckdb", func(t *testing.T) earshot.Store {
		st, err := duckdb.Open(t.Context(), ":memory:")
		if err != nil {
			t.Fatalf("opening DuckDB: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
	{"clickhouse", func(t *testing.T) earshot.Store {
		addr, db := chtest.Fresh(t, "earshot_engine")
		cfg := clickhouse.DefaultConfig()
		cfg.Addr, cfg.Database = []string{addr}, db
		st, err := clickhouse.Open(t.Context(), cfg)
		if err != nil {
			t.Fatalf("opening ClickHouse: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

// load scores and stores posts through the pipeline, as collectors' posts
// are.
func load(t *testing.T, st earshot.Store, posts []earshot.Post) {
	t.Helper()
	scorer, err := sentiment.New()
	if err != nil {
		t.Fatal(err)
	}
	p := ingest.NewPipeline(st, scorer, synth.Watches(), ingest.PipelineOptions{BatchSize: 5000})
	for i := range posts {
		posts[i].CollectedAt = posts[i].CreatedAt
	}
	if err := p.Add(t.Context(), posts...); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// drive steps e every 5 minutes from from to to, as replay does: each
// incident is saved and reported open at its start and resolved at its
// resolution. It returns every notification, in order.
func drive(t *testing.T, e *Engine, st earshot.Store, incs []earshot.Incident, from, to time.Time) []earshot.Notification {
	t.Helper()
	type change struct {
		at  time.Time
		inc earshot.Incident
	}
	var changes []change
	for _, inc := range incs {
		open := inc
		open.Status, open.ResolvedAt, open.UpdatedAt = earshot.Investigating, time.Time{}, inc.StartedAt
		changes = append(changes, change{inc.StartedAt, open})
		if !inc.ResolvedAt.IsZero() {
			done := inc
			done.Status, done.UpdatedAt = earshot.Resolved, inc.ResolvedAt
			changes = append(changes, change{inc.ResolvedAt, done})
		}
	}
	var out []earshot.Notification
	for now := from; !now.After(to); now = now.Add(5 * time.Minute) {
		for len(changes) > 0 && !changes[0].at.After(now) {
			if err := st.SaveIncident(t.Context(), changes[0].inc); err != nil {
				t.Fatal(err)
			}
			changes = changes[1:]
		}
		notes, err := e.Step(t.Context(), now)
		if err != nil {
			t.Fatalf("Step(%s): %v", now, err)
		}
		out = append(out, notes...)
	}
	return out
}

// receiver is an httptest server that keeps the bodies posted to it.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		r.mu.Unlock()
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...)
}

var (
	day0     = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	outageIn = day0.Add(8 * 24 * time.Hour)                // the next Tuesday
)

func duration(d time.Duration) *time.Duration { return &d }

func split(n earshot.Notification) (firing, resolved []earshot.Alert) {
	for _, a := range n.Alerts {
		if notify.Resolved(a, n.At) {
			resolved = append(resolved, a)
		} else {
			firing = append(firing, a)
		}
	}
	return firing, resolved
}

func titleOf(t *testing.T, msg []byte) string {
	var m slack.Message
	if err := json.Unmarshal(msg, &m); err != nil {
		t.Fatal(err)
	}
	return m.Text
}

// TestIncidentDay: customers complain during an incident that is already
// open; the spike is linked to it, comms get one grouped message that
// says why, then a resolve message.
func TestIncidentDay(t *testing.T) {
	for _, sb := range stores {
		t.Run(sb.name, func(t *testing.T) {
			st := sb.open(t)
			inc := earshot.Incident{ID: "statuspage:api-1", Source: "statuspage", Title: "Elevated API error rates and login failures",
				Severity: "major", Services: []string{"api", "login"},
				StartedAt: outageIn.Add(14*time.Hour - 5*time.Minute), ResolvedAt: outageIn.Add(16*time.Hour + 10*time.Minute)}
			posts, incs := synth.Generate(synth.Options{Start: day0, Days: 9, PerHour: 300, Seed: 7,
				Outages: []synth.Outage{{Start: outageIn.Add(14 * time.Hour), End: outageIn.Add(16 * time.Hour), Rate: 2, Incident: &inc}}})
			load(t, st, posts)

			slackSrv := newReceiver(t)
			smtp := startSMTP(t)
			cfg := alerts.DefaultConfig()
			cfg.Route.Receiver = "comms"
			cfg.Route.GroupBy = []string{"watch"}
			cfg.Route.GroupWait = duration(10 * time.Minute)
			cfg.Receivers = []alerts.Receiver{{Name: "comms",
				Slack: []slack.Config{{AllowPrivateNetworks: true, URL: slackSrv.URL + "/services/T0/B0/secret"}},
				Email: []email.Config{{AllowPrivateNetworks: true, Smarthost: smtp.addr, From: "earshot@example.com", To: []string{"comms@example.com"}, TLS: "none"}},
			}}
			mem := memstore.New()
			receivers, err := cfg.Notifiers(alerts.NotifierOptions{Deliveries: mem})
			if err != nil {
				t.Fatal(err)
			}
			e, err := New(Config{Store: st, Watches: synth.Watches(), Alerting: &cfg, Alerts: mem, Deliver: receivers})
			if err != nil {
				t.Fatal(err)
			}
			// The detectors learn a week, then the outage day is stepped.
			start := outageIn.Add(2 * time.Minute)
			notes := drive(t, e, st, incs, start, outageIn.Add(24*time.Hour))

			msgs := slackSrv.got()
			if len(msgs) != len(notes) {
				t.Fatalf("Slack got %d messages for %d notifications", len(msgs), len(notes))
			}
			// The notifications about the outage, and their messages; the
			// detectors may also see small bumps elsewhere in the day.
			from, to := outageIn.Add(13*time.Hour+30*time.Minute), outageIn.Add(17*time.Hour)
			var about []int
			for i, n := range notes {
				for _, a := range n.Alerts {
					if !a.StartsAt.Before(from) && a.StartsAt.Before(to) {
						about = append(about, i)
						break
					}
				}
			}
			if len(about) < 2 {
				t.Fatalf("%d notifications about the outage, want a spike and its resolution: %+v", len(about), notes)
			}
			first := notes[about[0]]
			if f, r := split(first); len(f) == 0 || len(r) > 0 || !regexp.MustCompile(`^(Spike|[0-9]+ spike alerts) · acme$`).MatchString(titleOf(t, msgs[about[0]])) {
				t.Errorf("first message is not one grouped spike message: %s", msgs[about[0]])
			}
			text := string(msgs[about[0]])
			for _, want := range []string{"Elevated API error rates and login failures", "linked to incident", "0 resolved"} {
				if !strings.Contains(text, want) {
					t.Errorf("first Slack message lacks %q: %s", want, text)
				}
			}
			if first.At.Sub(outageIn.Add(14*time.Hour)) > 30*time.Minute {
				t.Errorf("first message at %s, more than 30 min after the complaints began", first.At)
			}
			// Every later message resolves something: no second alarm.
			for _, i := range about[1:] {
				if _, r := split(notes[i]); len(r) == 0 {
					t.Errorf("message %d about the outage is not a resolution: %s", i, msgs[i])
				}
			}
			if f, _ := split(notes[about[len(about)-1]]); len(f) > 0 {
				t.Errorf("last message about the outage still has alerts firing: %s", msgs[about[len(about)-1]])
			}
			if got := len(smtp.messages()); got != len(msgs) {
				t.Errorf("email got %d messages, Slack %d", got, len(msgs))
			}
			if m := smtp.messages()[about[0]]; !strings.Contains(m, "Elevated API error rates") {
				t.Errorf("first email about the outage lacks the incident: %s", m)
			}

			// Spikes, alerts and deliveries are kept.
			spikes, err := st.Spikes(t.Context(), outageIn.Add(13*time.Hour), outageIn.Add(17*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			linked := 0
			for _, s := range spikes {
				if s.Scope.Kind == earshot.ScopeWatch && s.IncidentID == inc.ID {
					linked++
				}
			}
			if linked == 0 {
				t.Errorf("no spike of watch acme linked to %s: %+v", inc.ID, spikes)
			}
			if pl, ok := st.(earshot.PostLister); ok {
				if _, ok := st.(earshot.PostLinker); ok {
					ps, err := pl.Posts(t.Context(), earshot.PostQuery{From: outageIn.Add(14 * time.Hour), To: outageIn.Add(15 * time.Hour), Watch: "acme", Limit: 1000})
					if err != nil {
						t.Fatal(err)
					}
					marked := 0
					for _, p := range ps {
						if p.IncidentID == inc.ID {
							marked++
						}
					}
					if marked == 0 {
						t.Errorf("none of the %d posts of the linked spike carries %s", len(ps), inc.ID)
					}
				}
			}
			as, _ := mem.Alerts(t.Context(), day0, outageIn.Add(48*time.Hour))
			ds, _ := mem.Deliveries(t.Context(), time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
			if len(as) == 0 || len(ds) != 2*len(msgs) {
				t.Errorf("kept %d alerts and %d deliveries for %d messages to two integrations", len(as), len(ds), len(msgs))
			}
			for _, a := range as {
				if a.Kind == earshot.AlertUnreported {
					t.Errorf("an incident was open, yet: %s", a.Summary)
				}
			}
		})
	}
}

// TestUnreportedNight: customers complain at night before anyone opens an
// incident: one "possible unreported incident", then, once the incident
// is opened, the spike is linked to it and the alert says so.
func TestUnreportedNight(t *testing.T) {
	for _, sb := range stores {
		t.Run(sb.name, func(t *testing.T) {
			st := sb.open(t)
			night := outageIn.Add(2 * time.Hour)
			inc := earshot.Incident{ID: "pagerduty:P42", Source: "pagerduty", Title: "API down, logins failing",
				Severity: "critical", Services: []string{"api", "login"},
				StartedAt: night.Add(40 * time.Minute), ResolvedAt: night.Add(2 * time.Hour)}
			posts, incs := synth.Generate(synth.Options{Start: day0, Days: 9, PerHour: 300, Seed: 11,
				Outages: []synth.Outage{{Start: night, End: night.Add(90 * time.Minute), Rate: 3, Incident: &inc}}})
			load(t, st, posts)

			hook := newReceiver(t)
			cfg := alerts.DefaultConfig()
			cfg.Route.Receiver = "oncall"
			cfg.Receivers = []alerts.Receiver{{Name: "oncall", Webhook: []webhook.Config{{URL: hook.URL, AllowPrivateNetworks: true}}}}
			receivers, err := cfg.Notifiers(alerts.NotifierOptions{})
			if err != nil {
				t.Fatal(err)
			}
			e, err := New(Config{Store: st, Watches: synth.Watches(), Alerting: &cfg, Deliver: receivers})
			if err != nil {
				t.Fatal(err)
			}
			drive(t, e, st, incs, outageIn.Add(2*time.Minute), outageIn.Add(12*time.Hour))

			var linkedAfter int
			var sawUnreported bool
			unreported := map[string]bool{}
			for _, b := range hook.got() {
				var n earshot.Notification
				if err := json.Unmarshal(b, &n); err != nil {
					t.Fatal(err)
				}
				for _, a := range n.Alerts {
					switch {
					case a.Kind == earshot.AlertUnreported && a.EndsAt.IsZero():
						if a.IncidentID != "" {
							t.Errorf("unreported alert carries an incident: %+v", a)
						}
						unreported[a.ID] = true
						sawUnreported = true
					case a.Kind == earshot.AlertSpike && a.IncidentID == inc.ID && sawUnreported && strings.Contains(a.Summary, "now linked"):
						linkedAfter++
					}
				}
			}
			if len(unreported) != 1 {
				t.Errorf("want one possible unreported incident, got %d: %v", len(unreported), unreported)
			}
			if linkedAfter == 0 {
				t.Errorf("the spike was never linked to %s once it was opened", inc.ID)
			}
			if s := e.Stats(); s.Relinked == 0 {
				t.Errorf("no relink: %+v", s)
			}
			checkEpisode(t, e, st, hook, inc.ID)
		})
	}
}

// checkEpisode: the night is one episode, stored in the store and served
// at /api/alerts/episodes, whose messages the webhook got numbered, the
// first new and the others updates.
func checkEpisode(t *testing.T, e *Engine, st earshot.Store, hook *receiver, incident string) {
	t.Helper()
	if _, ok := st.(earshot.EpisodeStore); !ok || e.Episodes() != st.(earshot.EpisodeStore) {
		t.Fatalf("the engine keeps episodes in %T, not the store", e.Episodes())
	}
	seq := 0
	var episode string
	for _, b := range hook.got() {
		var n earshot.Notification
		if err := json.Unmarshal(b, &n); err != nil {
			t.Fatal(err)
		}
		seq++
		if episode == "" {
			episode = n.Episode
		}
		if n.Episode != episode || n.Seq != seq || n.Update != (seq > 1) {
			t.Errorf("message %d: episode %q seq %d update %v; want %q, %d", seq, n.Episode, n.Seq, n.Update, episode, seq)
		}
	}
	h := Handler(APIOptions{Alerts: e.Alerts(), Episodes: e.Episodes(), Dispatcher: e.Dispatcher(), Now: func() time.Time { return outageIn.Add(13 * time.Hour) }})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/alerts/episodes", nil))
	var eps []earshot.Episode
	if err := json.Unmarshal(rec.Body.Bytes(), &eps); err != nil || rec.Code != 200 {
		t.Fatalf("GET /api/alerts/episodes: %d %s", rec.Code, rec.Body)
	}
	if len(eps) != 1 || eps[0].ID != episode || eps[0].Messages != seq || eps[0].IncidentID != incident ||
		eps[0].Kind != earshot.AlertUnreported || eps[0].ResolvedAt.IsZero() {
		t.Errorf("episodes served: %+v; want one, %s, %d messages, linked to %s, resolved", eps, episode, seq, incident)
	}
}
