package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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

const (
	secret = "whsec-Very-Secret-Key"
	token  = "tok3n-in-the-query-string"
)

var note = earshot.Notification{
	Receiver: "ops", GroupKey: `root:{watch="acme"}`, Labels: map[string]string{"watch": "acme"},
	At: time.Date(2025, 3, 3, 12, 0, 30, 0, time.UTC),
	Alerts: []earshot.Alert{{ID: "a1", Kind: earshot.AlertUnreported, Watch: "acme", Severity: "critical",
		Summary: "Possible outage <b>", Why: earshot.Why{Terms: []earshot.TermLift{{Term: "down", Count: 9, Lift: 4}}}}},
}

func TestSignedJSON(t *testing.T) {
	var body []byte
	var hdr http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		hdr = r.Header.Clone()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	n, err := New(Config{URL: srv.URL + "/hook?token=" + token, Secret: secret}, notify.Options{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if retry, err := n.Notify(t.Context(), note); err != nil || retry {
		t.Fatalf("Notify = %v, %v", retry, err)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if got := hdr.Get("X-Earshot-Signature"); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("signature = %q, want %q", got, want)
	}
	if hdr.Get("Content-Type") != "application/json" {
		t.Errorf("content type %q", hdr.Get("Content-Type"))
	}
	var got earshot.Notification
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Receiver != "ops" || got.GroupKey != note.GroupKey || len(got.Alerts) != 1 || got.Alerts[0].Why.Terms[0].Term != "down" ||
		!got.At.Equal(note.At) || got.Labels["watch"] != "acme" || got.Alerts[0].Summary != "Possible outage <b>" {
		t.Errorf("body = %s", body)
	}
}

func TestUnsigned(t *testing.T) {
	var hdr http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hdr = r.Header.Clone() }))
	defer srv.Close()
	n, _ := New(Config{URL: srv.URL}, notify.Options{Client: srv.Client()})
	if _, err := n.Notify(t.Context(), note); err != nil {
		t.Fatal(err)
	}
	if _, ok := hdr["X-Earshot-Signature"]; ok {
		t.Error("signed without a secret")
	}
}

func TestRetryCodes(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter string
		wantRetry  bool
	}{
		{500, "", true}, {502, "", true}, {429, "5", true}, {400, "", false}, {401, "", false}, {404, "", false},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			n, _ := New(Config{URL: srv.URL, Secret: secret}, notify.Options{Client: srv.Client()})
			retry, err := n.Notify(t.Context(), note)
			if err == nil || retry != tt.wantRetry {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			if d, ok := notify.RetryAfter(err); tt.retryAfter != "" && (!ok || d != 5*time.Second) {
				t.Errorf("RetryAfter = %v %v", d, ok)
			}
		})
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	n, _ := New(Config{URL: srv.URL + "/?token=" + token, Timeout: 20 * time.Millisecond}, notify.Options{Client: srv.Client()})
	retry, err := n.Notify(t.Context(), note)
	if err == nil || !retry || strings.Contains(err.Error(), token) {
		t.Errorf("Notify = %v, %v", retry, err)
	}
}

func TestNoSecretInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "rejected "+r.URL.RawQuery+" signed "+r.Header.Get("X-Earshot-Signature")+" key "+secret, http.StatusBadGateway)
	}))
	cfg := Config{URL: srv.URL + "/hook?token=" + token, Secret: secret}
	n, _ := New(cfg, notify.Options{Client: srv.Client(), Logger: log})
	r := &notify.Retrier{Notifier: n, Attempts: 3, Logger: log, Sleep: func(context.Context, time.Duration) error { return nil }}
	_, err1 := r.Notify(t.Context(), note)
	srv.Close()
	_, err2 := r.Notify(t.Context(), note)
	all := logs.String() + err1.Error() + err2.Error() + cfg.String()
	for _, s := range []string{secret, token} {
		if strings.Contains(all, s) {
			t.Errorf("%q leaked:\n%s", s, all)
		}
	}
}

func TestConfig(t *testing.T) {
	if err := (Config{}).Validate("k"); err == nil || !strings.Contains(err.Error(), "k.url") {
		t.Errorf("Validate = %v", err)
	}
	resolve := notify.ResolveFunc(func(ref string) (string, error) { return strings.TrimPrefix(ref, "env:") + "-value", nil })
	c, err := Config{URL: "env:URL", Secret: "env:SECRET"}.ResolveSecrets("k", resolve)
	if err != nil || c.URL != "URL-value" || c.Secret != "SECRET-value" {
		t.Errorf("ResolveSecrets = %+v, %v", c, err)
	}
	if _, err := New(Config{URL: "not a url"}, notify.Options{}); err == nil {
		t.Error("New accepted a bad URL")
	}
}

// TestEpisodeFields: the payload carries the episode, the message's
// sequence number and whether it updates an earlier one.
func TestEpisodeFields(t *testing.T) {
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	n, err := New(Config{URL: srv.URL}, notify.Options{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	upd := note
	upd.Episode, upd.Seq, upd.Update = "ep-acme-20250303T120030Z", 3, true
	if _, err := n.Notify(t.Context(), upd); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got["episode"] != upd.Episode || got["seq"] != float64(3) || got["update"] != true {
		t.Errorf("payload episode fields: episode %v seq %v update %v", got["episode"], got["seq"], got["update"])
	}
}
