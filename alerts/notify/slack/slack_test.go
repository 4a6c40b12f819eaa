package slack

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

const token = "T0001/B0002/Zx9SecretWebhookToken"

var at = time.Date(2025, 3, 3, 12, 0, 30, 0, time.UTC)

func spikeAlert() earshot.Alert {
	return earshot.Alert{
		ID: "spike-1", Kind: earshot.AlertSpike, Watch: "acme", Metric: earshot.MetricNegativeShare, Severity: "critical",
		Summary:    "Negative share 62% vs 12% expected on acme",
		IncidentID: "INC-42", Confidence: 0.87,
		Why: earshot.Why{
			Terms:   []earshot.TermLift{{Term: "login", Count: 40, Lift: 8.5}, {Term: "500", Count: 22, Lift: 12}},
			Reasons: []earshot.Count{{Name: "login", Count: 30, Share: 0.6}},
			Sources: []earshot.Count{{Name: "bluesky", Count: 50, Share: 0.7}},
			Posts: []earshot.Post{
				{Source: "bluesky", Author: earshot.Author{Handle: "ana"}, URL: "https://bsky.app/p/1", Text: "can't log in <!channel> & <https://evil.example|click here>"},
				{Source: "mastodon", Text: "> fake quote\nsecond line"},
				{Source: "rss", URL: "javascript:alert(1)", Text: "third"},
				{Source: "rss", Text: "fourth is left out"},
			},
			Link: "incident INC-42 began 5m after the spike; shared terms: login",
		},
		StartsAt: at.Add(-20 * time.Minute), At: at,
	}
}

func notification(alerts ...earshot.Alert) earshot.Notification {
	return earshot.Notification{Receiver: "comms", GroupKey: `root:{kind="spike",watch="acme"}`,
		Labels: map[string]string{"watch": "acme", "kind": "spike"}, Alerts: alerts, At: at}
}

type captured struct {
	body   []byte
	header http.Header
}

func server(t *testing.T, status int, hdr map[string]string, reply string, got *[]captured) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if got != nil {
			*got = append(*got, captured{b, r.Header.Clone()})
		}
		if r.URL.Path != "/services/"+token {
			http.Error(w, "no_service", http.StatusNotFound)
			return
		}
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newNotifier(t *testing.T, srv *httptest.Server) *Notifier {
	t.Helper()
	n, err := New(Config{URL: srv.URL + "/services/" + token}, notify.Options{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBlockKitMessage(t *testing.T) {
	var got []captured
	srv := server(t, 200, nil, "ok", &got)
	other := spikeAlert()
	other.ID, other.Severity, other.IncidentID, other.Why = "spike-2", "warning", "", earshot.Why{}
	if _, err := newNotifier(t, srv).Notify(t.Context(), notification(spikeAlert(), other)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0].header.Get("Content-Type"), "application/json") {
		t.Fatalf("requests: %d", len(got))
	}
	var msg struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text *struct {
				Type, Text string
			} `json:"text"`
			Fields []struct {
				Type, Text string
			} `json:"fields"`
			Elements []struct {
				Type, Text string
			} `json:"elements"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(got[0].body, &msg); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, b := range msg.Blocks {
		types = append(types, b.Type)
	}
	want := "header section section context section divider section section context"
	if strings.Join(types, " ") != want {
		t.Fatalf("blocks: %s\nwant:   %s", strings.Join(types, " "), want)
	}
	h := msg.Blocks[0].Text
	if h.Type != "plain_text" || !strings.Contains(h.Text, "2 spike alerts · acme") || len([]rune(h.Text)) > 150 {
		t.Errorf("header = %+v", h)
	}
	if msg.Text == "" {
		t.Error("no fallback text")
	}
	first := msg.Blocks[1].Text
	if first.Type != "mrkdwn" || !strings.Contains(first.Text, "*Spike* on *acme*") || !strings.Contains(first.Text, "Negative share 62%") ||
		!strings.Contains(first.Text, "Severity: critical") {
		t.Errorf("summary section = %q", first.Text)
	}
	var fields []string
	for _, f := range msg.Blocks[2].Fields {
		if f.Type != "mrkdwn" {
			t.Errorf("field type %q", f.Type)
		}
		fields = append(fields, f.Text)
	}
	joined := strings.Join(fields, "|")
	for _, s := range []string{"*Top terms*\n`login` ×40 (8.5× usual)", "*Reasons*\nlogin 30 (60%)", "*Sources*\nbluesky 50 (70%)", "*Incident*\nINC-42 (confidence 0.87)"} {
		if !strings.Contains(joined, s) {
			t.Errorf("fields lack %q: %q", s, joined)
		}
	}
	if !strings.Contains(msg.Blocks[3].Elements[0].Text, "began 5m after the spike") {
		t.Errorf("link context = %+v", msg.Blocks[3])
	}
	posts := msg.Blocks[4].Text.Text
	for _, s := range []string{
		"&lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt;", // escaped: no ping, no link
		"— @ana on bluesky · <https://bsky.app/p/1|link>",
		"&gt; fake quote second line",
		"third",
	} {
		if !strings.Contains(posts, s) {
			t.Errorf("posts lack %q:\n%s", s, posts)
		}
	}
	if strings.Contains(posts, "<!channel>") || strings.Contains(posts, "javascript") || strings.Contains(posts, "fourth") {
		t.Errorf("posts unsafe or too many:\n%s", posts)
	}
	// The second alert has no incident: it says so.
	if f := msg.Blocks[7].Fields; len(f) != 4 || !strings.Contains(f[3].Text, "none") || !strings.Contains(f[0].Text, "none") {
		t.Errorf("second alert fields = %+v", f)
	}
}

func TestResolveMessage(t *testing.T) {
	a := spikeAlert()
	a.EndsAt = at.Add(-time.Minute)
	m := Render(notification(a), 5)
	if h := m.Blocks[0].Text.Text; !strings.Contains(h, "Resolved: Spike · acme") || !strings.HasPrefix(h, ":white_check_mark:") {
		t.Errorf("header = %q", h)
	}
	if s := m.Blocks[1].Text.Text; !strings.HasPrefix(s, "*Resolved* at 2025-03-03 11:59 UTC") {
		t.Errorf("section = %q", s)
	}
}

func TestMaxAlerts(t *testing.T) {
	var as []earshot.Alert
	for i := range 30 {
		a := spikeAlert()
		a.ID = string(rune('a' + i))
		as = append(as, a)
	}
	m := Render(notification(as...), 10)
	if len(m.Blocks) > 50 {
		t.Errorf("%d blocks", len(m.Blocks))
	}
	if !strings.Contains(m.Blocks[len(m.Blocks)-2].Elements[0].Text, "more alerts in this group") {
		t.Errorf("no overflow note: %+v", m.Blocks[len(m.Blocks)-2])
	}
}

func TestRetryCodes(t *testing.T) {
	tests := []struct {
		status     int
		hdr        map[string]string
		reply      string
		wantRetry  bool
		retryAfter time.Duration
	}{
		{500, nil, "rollup_error", true, 0},
		{400, nil, "invalid_payload", false, 0},
		{403, nil, "invalid_token", false, 0},
		{410, nil, "channel_is_archived", false, 0},
		{429, map[string]string{"Retry-After": "30"}, "rate_limited", true, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			retry, err := newNotifier(t, server(t, tt.status, tt.hdr, tt.reply, nil)).Notify(t.Context(), notification(spikeAlert()))
			if err == nil || retry != tt.wantRetry {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			if d, ok := notify.RetryAfter(err); tt.retryAfter != 0 && (!ok || d != tt.retryAfter) {
				t.Errorf("RetryAfter = %v, %v", d, ok)
			}
		})
	}
}

func TestRetrierHonoursRetryAfter(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "12")
			http.Error(w, "rate_limited", http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	n, _ := New(Config{URL: srv.URL + "/services/" + token}, notify.Options{Client: srv.Client()})
	var waits []time.Duration
	r := &notify.Retrier{Notifier: n, Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	if _, err := r.Notify(t.Context(), notification(spikeAlert())); err != nil || calls != 2 || len(waits) != 1 || waits[0] != 12*time.Second {
		t.Errorf("err %v, calls %d, waits %v", err, calls, waits)
	}
}

func TestNoSecretInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A server that echoes what it got.
		http.Error(w, "bad hook "+r.URL.Path, http.StatusInternalServerError)
	}))
	url := srv.URL + "/services/" + token
	n, _ := New(Config{URL: url}, notify.Options{Client: srv.Client(), Logger: log})
	r := &notify.Retrier{Notifier: n, Attempts: 2, Logger: log, Sleep: func(context.Context, time.Duration) error { return nil }}
	_, err1 := r.Notify(t.Context(), notification(spikeAlert()))
	srv.Close()
	_, err2 := r.Notify(t.Context(), notification(spikeAlert())) // connection refused
	cfg := Config{URL: url}
	all := logs.String() + err1.Error() + err2.Error() + cfg.String()
	if _, err := New(Config{URL: "ftp://x/" + token}, notify.Options{}); err != nil {
		all += err.Error()
	}
	for _, secret := range []string{token, "Zx9SecretWebhookToken", "/services/"} {
		if strings.Contains(all, secret) {
			t.Errorf("%q leaked:\n%s", secret, all)
		}
	}
	if !strings.Contains(err1.Error(), "[redacted]") {
		t.Errorf("err = %v", err1)
	}
}

func TestConfig(t *testing.T) {
	if err := (Config{}).Validate("alerting.receivers[0].slack[0]"); err == nil || !strings.Contains(err.Error(), "alerting.receivers[0].slack[0].url") {
		t.Errorf("Validate = %v", err)
	}
	c, err := Config{URL: "env:SLACK"}.ResolveSecrets("k", func(ref string) (string, error) { return "https://hooks.slack.com/services/" + token, nil })
	if err != nil || !strings.HasSuffix(c.URL, token) {
		t.Errorf("ResolveSecrets = %v, %v", c.URL, err)
	}
}
