package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify/pagerduty"
	"github.com/earshot/earshot/alerts/notify/webhook"
	"github.com/earshot/earshot/store/memstore"
)

func TestNotifiersEndToEnd(t *testing.T) {
	// An incident day: a spike, linked, one grouped Slack message with the
	// reason, a webhook copy, then the resolve message.
	var (
		mu    sync.Mutex
		slack []map[string]any
		hooks int
		fails = 1
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/services/T/B/secret":
			var m map[string]any
			json.Unmarshal(b, &m)
			slack = append(slack, m)
		case "/hook":
			if fails > 0 { // the first webhook attempt fails, the retry succeeds
				fails--
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			hooks++
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	c := DefaultConfig()
	c.Receivers = []Receiver{{Name: "default"}, {Name: "comms",
		Slack:   []slackConfig{{URL: "env:SLACK_URL"}},
		Webhook: []webhook.Config{{URL: srv.URL + "/hook", Secret: "env:HOOK_SECRET"}},
	}}
	c.Route.Receiver = "comms"
	env := map[string]string{"SLACK_URL": srv.URL + "/services/T/B/secret", "HOOK_SECRET": "s"}
	store := memstore.New()
	var waits []time.Duration
	recv, err := c.Notifiers(NotifierOptions{
		Resolve: func(ref string) (string, error) {
			name, isEnv := strings.CutPrefix(ref, "env:")
			if !isEnv {
				return ref, nil
			}
			v, ok := env[name]
			if !ok {
				return "", errors.New("unset")
			}
			return v, nil
		},
		Client:     srv.Client(),
		Deliveries: store,
		Sleep:      func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	d := newDispatcher(t, c, Options{})
	a := alert("spike-1", "acme", earshot.AlertSpike, "critical", t0)
	a.IncidentID, a.Why.Link = "INC-9", "incident INC-9 covers login"
	d.Add(a, &earshot.Spike{Score: 0.99, Observed: 80, Expected: 10})
	a2 := alert("spike-2", "acme", earshot.AlertSpike, "warning", t0.Add(10*time.Second))
	d.Add(a2, nil)
	for _, n := range d.Flush(t0.Add(time.Minute)) {
		if _, err := recv.Notify(t.Context(), n); err != nil {
			t.Fatal(err)
		}
	}
	a.EndsAt, a.At = t0.Add(20*time.Minute), t0.Add(20*time.Minute)
	a2.EndsAt, a2.At = a.EndsAt, a.At
	d.Add(a, nil)
	d.Add(a2, nil)
	for _, n := range d.Flush(t0.Add(30 * time.Minute)) {
		if _, err := recv.Notify(t.Context(), n); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(slack) != 2 || hooks != 2 {
		t.Fatalf("slack %d, webhook %d", len(slack), hooks)
	}
	header := func(m map[string]any) string {
		return m["blocks"].([]any)[0].(map[string]any)["text"].(map[string]any)["text"].(string)
	}
	if h := header(slack[0]); !strings.Contains(h, "2 spike alerts · acme") {
		t.Errorf("first message header %q", h)
	}
	if body, _ := json.Marshal(slack[0]); !strings.Contains(string(body), "INC-9 (confidence") || !strings.Contains(string(body), "covers login") {
		t.Errorf("first message lacks the incident: %s", body)
	}
	if h := header(slack[1]); !strings.Contains(h, "Resolved: 2 spike alerts · acme") {
		t.Errorf("resolve message header %q", h)
	}
	// Every attempt is recorded: 2 Slack, 3 webhook (one failed).
	got, err := store.Deliveries(t.Context(), time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, dl := range got {
		if !dl.OK {
			failed++
			if !strings.Contains(dl.Error, "503") {
				t.Errorf("delivery error %q", dl.Error)
			}
		}
		if dl.Receiver != "comms" || len(dl.AlertIDs) != 2 {
			t.Errorf("delivery %+v", dl)
		}
	}
	if len(got) != 5 || failed != 1 || len(waits) != 1 || waits[0] != time.Second {
		t.Errorf("%d deliveries, %d failed, waits %v", len(got), failed, waits)
	}
	if wc := d.WeeklyCounts(t0); len(wc) != 1 || wc[0].Alerts != 2 || wc[0].Notifications != 2 || wc[0].Receiver != "comms" {
		t.Errorf("weekly counts %+v", wc)
	}
}

func TestNotifiersResolveErrors(t *testing.T) {
	c := DefaultConfig()
	c.Receivers = append(c.Receivers, Receiver{Name: "pd", PagerDuty: []pagerduty.Config{{RoutingKey: "env:PD_KEY"}}})
	_, err := c.Notifiers(NotifierOptions{Resolve: func(ref string) (string, error) {
		return "", errors.New("environment variable PD_KEY is not set")
	}})
	if err == nil || !strings.Contains(err.Error(), "alerting.receivers[1].pagerduty[0].routing_key: environment variable PD_KEY is not set") {
		t.Errorf("err = %v", err)
	}
	rs, err := DefaultConfig().Notifiers(NotifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if retry, err := rs.Notify(t.Context(), earshot.Notification{Receiver: "default"}); err != nil || retry {
		t.Errorf("empty receiver: %v, %v", retry, err)
	}
	if _, err := rs.Notify(t.Context(), earshot.Notification{Receiver: "nobody"}); err == nil {
		t.Error("unknown receiver accepted")
	}
}

// Notifiers built without a client refuse loopback addresses unless the
// integration sets allow_private_networks; the refusal is not retried.
func TestNotifiersRefusePrivateNetworks(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	for _, allow := range []bool{false, true} {
		c := DefaultConfig()
		c.Receivers = []Receiver{{Name: "comms",
			Slack:     []slackConfig{{URL: srv.URL + "/services/T/B/x", AllowPrivateNetworks: allow}},
			Webhook:   []webhook.Config{{URL: srv.URL + "/hook", AllowPrivateNetworks: allow}},
			PagerDuty: []pagerduty.Config{{RoutingKey: "k", URL: srv.URL + "/v2/enqueue", AllowPrivateNetworks: allow}},
		}}
		c.Route.Receiver = "comms"
		attempts := 0
		recv, err := c.Notifiers(NotifierOptions{Sleep: func(context.Context, time.Duration) error { attempts++; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		hits = 0
		_, err = recv.Notify(t.Context(), earshot.Notification{Receiver: "comms", At: t0,
			Alerts: []earshot.Alert{alert("spike-1", "acme", earshot.AlertSpike, "critical", t0)}})
		if !allow {
			if err == nil || !strings.Contains(err.Error(), "address not allowed") || hits != 0 || attempts != 0 {
				t.Errorf("guarded: err %v, %d requests reached the server, %d retries", err, hits, attempts)
			}
			continue
		}
		if hits != 3 {
			t.Errorf("allow_private_networks: %d of 3 integrations reached the server (err %v)", hits, err)
		}
	}
}
