package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

const botToken = "xoxb-1111-2222-SecretBotToken"

// fakeSlack answers chat.postMessage and chat.update as the Web API does
// (HTTP 200, {"ok":...}), and records each call.
type fakeSlack struct {
	mu     sync.Mutex
	calls  []apiCall
	nextTS int
	// failUpdate, when set, is the error chat.update answers.
	failUpdate string
}

type apiCall struct {
	method string
	auth   string
	msg    Message
}

func (f *fakeSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var m Message
	json.Unmarshal(b, &m)
	f.mu.Lock()
	defer f.mu.Unlock()
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	f.calls = append(f.calls, apiCall{method, r.Header.Get("Authorization"), m})
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Header.Get("Authorization") != "Bearer "+botToken:
		fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
	case m.Channel != "C0123ABCD":
		fmt.Fprint(w, `{"ok":false,"error":"channel_not_found"}`)
	case method == "chat.postMessage":
		f.nextTS++
		fmt.Fprintf(w, `{"ok":true,"channel":"C0123ABCD","ts":"1710000000.%06d","message":{"text":"x"}}`, f.nextTS)
	case method == "chat.update" && f.failUpdate != "":
		fmt.Fprintf(w, `{"ok":false,"error":%q}`, f.failUpdate)
	case method == "chat.update":
		fmt.Fprintf(w, `{"ok":true,"channel":"C0123ABCD","ts":%q,"text":"x"}`, m.TS)
	default:
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

func episodeNote(seq int) earshot.Notification {
	n := notification(spikeAlert())
	n.Episode, n.Seq, n.Update = "ep-acme-20250303T120030Z", seq, seq > 1
	return n
}

func TestBotUpdatesInPlaceOrInThread(t *testing.T) {
	for _, mode := range []string{"update", "thread"} {
		t.Run(mode, func(t *testing.T) {
			fake := &fakeSlack{}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			cfg := Config{Token: botToken, Channel: "C0123ABCD", Updates: mode, API: srv.URL + "/api"}
			if err := cfg.Validate("slack"); err != nil {
				t.Fatal(err)
			}
			n, err := New(cfg, notify.Options{Client: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			for seq := 1; seq <= 3; seq++ {
				if retry, err := n.Notify(t.Context(), episodeNote(seq)); err != nil {
					t.Fatalf("message %d: %v (retry %v)", seq, err, retry)
				}
			}
			// Another episode starts its own message.
			other := episodeNote(1)
			other.Episode = "ep-acme-20250304T090000Z"
			n.Notify(t.Context(), other)

			var got []string
			for _, c := range fake.calls {
				got = append(got, c.method+" ts="+c.msg.TS+" thread="+c.msg.ThreadTS)
			}
			first := "1710000000.000001"
			want := []string{"chat.postMessage ts= thread="}
			for range 2 {
				if mode == "update" {
					want = append(want, "chat.update ts="+first+" thread=")
				} else {
					want = append(want, "chat.postMessage ts= thread="+first)
				}
			}
			want = append(want, "chat.postMessage ts= thread=")
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("calls:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, c := range fake.calls {
				if c.auth != "Bearer "+botToken || c.msg.Channel != "C0123ABCD" || len(c.msg.Blocks) == 0 {
					t.Errorf("call %s: auth %q channel %q, %d blocks", c.method, c.auth, c.msg.Channel, len(c.msg.Blocks))
				}
			}
		})
	}
}

// TestBotFallsBackToThread: a message Slack will not edit any more is
// answered in its thread; a ts kept in the given ThreadStore is used.
func TestBotFallsBackToThread(t *testing.T) {
	fake := &fakeSlack{failUpdate: "message_not_found"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	threads := &memoryThreads{m: map[[2]string]string{}}
	threads.SaveThread(t.Context(), "ep-acme-20250303T120030Z", "comms", "1700000000.000042")
	n, err := New(Config{Token: botToken, Channel: "C0123ABCD", API: srv.URL + "/api"}, notify.Options{Client: srv.Client(), Threads: threads})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Notify(t.Context(), episodeNote(2)); err != nil {
		t.Fatal(err)
	}
	if len(fake.calls) != 2 || fake.calls[0].method != "chat.update" || fake.calls[0].msg.TS != "1700000000.000042" ||
		fake.calls[1].method != "chat.postMessage" || fake.calls[1].msg.ThreadTS != "1700000000.000042" {
		t.Errorf("calls %+v", fake.calls)
	}
}

// TestBotErrors: Web API errors come back as errors, retried only when
// that may help, and never show the token.
func TestBotErrors(t *testing.T) {
	fake := &fakeSlack{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, tc := range []struct {
		cfg   Config
		retry bool
		msg   string
	}{
		{Config{Token: "xoxb-wrong-SecretBotToken", Channel: "C0123ABCD"}, false, "invalid_auth"},
		{Config{Token: botToken, Channel: "C999"}, false, "channel_not_found"},
	} {
		tc.cfg.API = srv.URL + "/api"
		n, err := New(tc.cfg, notify.Options{Client: srv.Client()})
		if err != nil {
			t.Fatal(err)
		}
		retry, err := n.Notify(t.Context(), episodeNote(1))
		if err == nil || retry != tc.retry || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "SecretBotToken") {
			t.Errorf("%+v: retry %v, err %v", tc.cfg.Channel, retry, err)
		}
	}
	for _, tc := range []struct {
		cfg Config
		msg string
	}{
		{Config{}, "url: required, or token and channel"},
		{Config{Token: botToken}, "channel: required"},
		{Config{Token: botToken, URL: "https://hooks.slack.com/x", Channel: "C1"}, "not both"},
		{Config{Token: botToken, Channel: "C1", Updates: "edit"}, "updates"},
	} {
		if err := tc.cfg.Validate("slack"); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Validate(%v) = %v, want %q", tc.cfg, err, tc.msg)
		}
	}
	if s := (Config{Token: botToken, Channel: "C1"}).String(); strings.Contains(s, "Secret") {
		t.Errorf("String() shows the token: %s", s)
	}
}

// TestWebhookUpdateSaysSo: through an incoming webhook, which can neither
// edit nor thread, an update is a new message saying it is one.
func TestWebhookUpdateSaysSo(t *testing.T) {
	m := Render(episodeNote(2), 5)
	foot := m.Blocks[len(m.Blocks)-1].Elements[0].Text
	if !strings.HasPrefix(m.Text, "Update: ") || !strings.Contains(foot, "episode ep-acme-20250303T120030Z, message 2") {
		t.Errorf("text %q, footer %q", m.Text, foot)
	}
}
