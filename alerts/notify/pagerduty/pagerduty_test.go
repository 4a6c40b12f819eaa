package pagerduty

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

const routingKey = "R0UT1NGKEY0123456789abcdefABCDEF"

var at = time.Date(2025, 3, 3, 12, 0, 30, 0, time.UTC)

func notification(alerts ...earshot.Alert) earshot.Notification {
	return earshot.Notification{Receiver: "oncall", GroupKey: `pager:{watch="acme"}`, Labels: map[string]string{"watch": "acme"}, Alerts: alerts, At: at}
}

func alert(id, sev string) earshot.Alert {
	return earshot.Alert{ID: id, Kind: earshot.AlertUnreported, Watch: "acme", Metric: earshot.MetricNegativeShare, Severity: sev,
		Summary: "Outage language on acme, no incident", StartsAt: at.Add(-15 * time.Minute), At: at,
		Why: earshot.Why{Terms: []earshot.TermLift{{Term: "down", Count: 30, Lift: 9}}, Reasons: []earshot.Count{{Name: "availability", Count: 25, Share: 0.8}},
			Sources: []earshot.Count{{Name: "bluesky", Count: 40, Share: 1}}, Posts: []earshot.Post{{Text: "is acme down?"}}}}
}

type event struct {
	RoutingKey  string `json:"routing_key"`
	EventAction string `json:"event_action"`
	DedupKey    string `json:"dedup_key"`
	Client      string `json:"client"`
	Payload     *struct {
		Summary, Source, Severity, Timestamp, Class, Group, Component string
		CustomDetails                                                 struct {
			Receiver string
			Firing   int
			Resolved int
			Alerts   []map[string]any
		} `json:"custom_details"`
	} `json:"payload"`
}

func capture(t *testing.T, status int, reply string) (*httptest.Server, *[]event) {
	var got []event
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v2/enqueue" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "wrong request", http.StatusNotFound)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var e event
		if err := json.Unmarshal(b, &e); err != nil {
			t.Errorf("body: %v", err)
		}
		got = append(got, e)
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestTriggerThenResolve(t *testing.T) {
	srv, got := capture(t, http.StatusAccepted, `{"status":"success","message":"Event processed","dedup_key":"x"}`)
	n, err := New(Config{RoutingKey: routingKey, URL: srv.URL + "/v2/enqueue", ClientURL: "https://earshot.example.com"}, notify.Options{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	a, b := alert("a", "warning"), alert("b", "critical")
	if _, err := n.Notify(t.Context(), notification(a, b)); err != nil {
		t.Fatal(err)
	}
	a.EndsAt, b.EndsAt = at, at
	if _, err := n.Notify(t.Context(), notification(a, b)); err != nil {
		t.Fatal(err)
	}
	if len(*got) != 2 {
		t.Fatalf("%d events", len(*got))
	}
	trig, res := (*got)[0], (*got)[1]
	if trig.RoutingKey != routingKey || trig.EventAction != "trigger" || trig.DedupKey == "" || len(trig.DedupKey) > 255 || trig.Client != "Earshot" {
		t.Errorf("trigger = %+v", trig)
	}
	p := trig.Payload
	if p == nil || p.Severity != "critical" || p.Source != "earshot" || p.Timestamp != "2025-03-03T11:45:30Z" ||
		!strings.Contains(p.Summary, "2 possible unreported incident alerts · acme") || p.Class != "unreported_incident" || p.Group != "acme" {
		t.Fatalf("payload = %+v", p)
	}
	cd := p.CustomDetails
	if cd.Receiver != "oncall" || cd.Firing != 2 || len(cd.Alerts) != 2 || cd.Alerts[0]["incident"] != "none" ||
		cd.Alerts[0]["top_terms"].([]any)[0] != "down ×30 (9.0× usual)" || cd.Alerts[1]["posts"].([]any)[0] != "is acme down?" {
		t.Errorf("custom_details = %+v", cd)
	}
	if res.EventAction != "resolve" || res.DedupKey != trig.DedupKey || res.Payload != nil || res.RoutingKey != routingKey {
		t.Errorf("resolve = %+v", res)
	}
}

func TestSingleAlertSummaryAndSeverity(t *testing.T) {
	n, _ := New(Config{RoutingKey: routingKey}, notify.Options{})
	a := alert("a", "info")
	a.Kind, a.IncidentID, a.Confidence = earshot.AlertSpike, "INC-1", 0.9
	ev := n.Build(notification(a))
	if ev.Payload.Summary != "Spike · acme: Outage language on acme, no incident" || ev.Payload.Severity != "info" ||
		ev.Payload.CustomDetails.Alerts[0].Incident != "INC-1 (confidence 0.90)" {
		t.Errorf("payload = %+v", ev.Payload)
	}
	a.Severity = "weird"
	if s := n.Build(notification(a)).Payload.Severity; s != "error" {
		t.Errorf("unknown severity maps to %q", s)
	}
	other := notification(a)
	other.GroupKey = "other"
	if DedupKey(other) == DedupKey(notification(a)) {
		t.Error("dedup key ignores the group")
	}
	// With episodes, one dedup key per episode whatever the group: the
	// first message triggers, updates update, the last resolves one alert.
	first, update := notification(a), other
	first.Episode, first.Seq = "ep-acme-1", 1
	update.Episode, update.Seq, update.Update = "ep-acme-1", 2, true
	if DedupKey(first) != DedupKey(update) {
		t.Error("two messages of one episode have two dedup keys")
	}
	next := first
	next.Episode = "ep-acme-2"
	if DedupKey(next) == DedupKey(first) {
		t.Error("two episodes share a dedup key")
	}
}

func TestRetryCodes(t *testing.T) {
	tests := []struct {
		status    int
		wantRetry bool
	}{{400, false}, {403, false}, {429, true}, {500, true}, {503, true}}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv, _ := capture(t, tt.status, `{"status":"invalid event","message":"Event object is invalid","errors":["'routing_key' `+routingKey+` is invalid"]}`)
			n, _ := New(Config{RoutingKey: routingKey, URL: srv.URL + "/v2/enqueue"}, notify.Options{Client: srv.Client()})
			retry, err := n.Notify(t.Context(), notification(alert("a", "critical")))
			if err == nil || retry != tt.wantRetry {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			if strings.Contains(err.Error(), routingKey) {
				t.Errorf("routing key in %v", err)
			}
		})
	}
}

func TestNoSecretInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, _ := capture(t, 500, "internal error for key "+routingKey)
	cfg := Config{RoutingKey: routingKey, URL: srv.URL + "/v2/enqueue"}
	n, _ := New(cfg, notify.Options{Client: srv.Client(), Logger: log})
	r := &notify.Retrier{Notifier: n, Attempts: 3, Logger: log, Sleep: func(context.Context, time.Duration) error { return nil }}
	_, err1 := r.Notify(t.Context(), notification(alert("a", "critical")))
	srv.Close()
	_, err2 := r.Notify(t.Context(), notification(alert("a", "critical")))
	all := logs.String() + err1.Error() + err2.Error() + cfg.String()
	if strings.Contains(all, routingKey) || !strings.Contains(logs.String(), "attempt=3") {
		t.Errorf("leak or no logs:\n%s", all)
	}
	if err := (Config{}).Validate("k"); err == nil || !strings.Contains(err.Error(), "k.routing_key") {
		t.Errorf("Validate = %v", err)
	}
}
