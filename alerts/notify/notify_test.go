package notify

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

type script struct {
	mu      sync.Mutex
	results []error
	retry   []bool
	calls   int
}

func (s *script) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.calls
	s.calls++
	return s.retry[i], s.results[i]
}

// deliveriesIn returns the deliveries st keeps, by attempt.
func deliveriesIn(t *testing.T, st earshot.AlertStore) []earshot.Delivery {
	t.Helper()
	all, err := st.Deliveries(t.Context(), time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(all, func(a, b earshot.Delivery) int { return a.Attempt - b.Attempt })
	return all
}

var note = earshot.Notification{Receiver: "comms", GroupKey: "root:{}", At: time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC),
	Alerts: []earshot.Alert{{ID: "a1"}, {ID: "a2"}}}

func TestRetrier(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		results   []error
		retry     []bool
		attempts  int
		wantRetry bool
		wantErr   bool
		wantWaits []time.Duration
		wantOK    []bool
	}{
		{"success first", []error{nil}, []bool{false}, 5, false, false, nil, []bool{true}},
		{"retries with doubling backoff", []error{boom, boom, nil}, []bool{true, true, false}, 5, false, false,
			[]time.Duration{time.Second, 2 * time.Second}, []bool{false, false, true}},
		{"permanent failure stops", []error{boom}, []bool{false}, 5, false, true, nil, []bool{false}},
		{"gives up after attempts", []error{boom, boom, boom}, []bool{true, true, true}, 3, true, true,
			[]time.Duration{time.Second, 2 * time.Second}, []bool{false, false, false}},
		{"honours Retry-After", []error{WithRetryAfter(boom, 7*time.Second), nil}, []bool{true, false}, 5, false, false,
			[]time.Duration{7 * time.Second}, []bool{false, true}},
		{"backoff wins over a shorter Retry-After", []error{boom, WithRetryAfter(boom, time.Second), nil}, []bool{true, true, false}, 5, false, false,
			[]time.Duration{time.Second, 2 * time.Second}, []bool{false, false, true}},
		{"Retry-After beyond the limit ends retries", []error{WithRetryAfter(boom, time.Hour)}, []bool{true}, 5, true, true, nil, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var waits []time.Duration
			rec := memstore.New()
			r := &Retrier{
				Notifier: &script{results: tt.results, retry: tt.retry}, Name: "slack", Attempts: tt.attempts,
				Sleep:      func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil },
				Now:        func() time.Time { return note.At },
				Deliveries: rec,
			}
			retry, err := r.Notify(t.Context(), note)
			if retry != tt.wantRetry || (err != nil) != tt.wantErr {
				t.Errorf("Notify = %v, %v", retry, err)
			}
			if !slices.Equal(waits, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
			// One stored delivery per attempt: a repeated ID would replace one.
			var oks []bool
			for i, d := range deliveriesIn(t, rec) {
				oks = append(oks, d.OK)
				if d.Attempt != i+1 || d.Receiver != "comms" || d.GroupKey != "root:{}" || !slices.Equal(d.AlertIDs, []string{"a1", "a2"}) {
					t.Errorf("delivery %d = %+v", i, d)
				}
				if !d.OK && d.Error == "" {
					t.Errorf("delivery %d has no error", i)
				}
			}
			if !slices.Equal(oks, tt.wantOK) {
				t.Errorf("deliveries ok = %v, want %v", oks, tt.wantOK)
			}
		})
	}
}

func TestRetrierStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	r := &Retrier{Notifier: &script{results: []error{errors.New("x"), nil}, retry: []bool{true, false}},
		Sleep: func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }}
	if retry, err := r.Notify(ctx, note); err == nil || retry {
		t.Errorf("Notify = %v, %v", retry, err)
	}
}

func TestFanout(t *testing.T) {
	ok := &script{results: []error{nil}, retry: []bool{false}}
	bad := &script{results: []error{errors.New("down")}, retry: []bool{true}}
	retry, err := Fanout{bad, ok}.Notify(t.Context(), note)
	if !retry || err == nil || ok.calls != 1 {
		t.Errorf("Fanout = %v, %v (ok called %d)", retry, err, ok.calls)
	}
	if retry, err := (Fanout{}).Notify(t.Context(), note); retry || err != nil {
		t.Errorf("empty Fanout = %v, %v", retry, err)
	}
}

func TestPostClassifies(t *testing.T) {
	const token = "T000/B000/s3cr3tT0k3n"
	tests := []struct {
		status     int
		header     string
		body       string
		wantRetry  bool
		wantErr    bool
		retryAfter time.Duration
	}{
		{200, "", "ok", false, false, 0},
		{202, "", "", false, false, 0},
		{400, "", "invalid_payload", false, true, 0},
		{403, "", "invalid_token " + token, false, true, 0},
		{404, "", "no_service", false, true, 0},
		{408, "", "", true, true, 0},
		{429, "3", "rate limited", true, true, 3 * time.Second},
		{500, "", "rollup_error", true, true, 0},
		{503, "Wed, 21 Oct 2015 07:28:10 GMT", "", true, true, 10 * time.Second},
	}
	now := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			_, retry, err := Post(t.Context(), srv.Client(), func() time.Time { return now },
				Request{Name: "slack", URL: srv.URL + "/services/" + token, Body: []byte("{}")})
			if retry != tt.wantRetry || (err != nil) != tt.wantErr {
				t.Fatalf("Post = %v, %v", retry, err)
			}
			if err == nil {
				return
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "/services") {
				t.Errorf("error leaks the token: %v", err)
			}
			if !strings.Contains(err.Error(), "slack: ") || !strings.Contains(err.Error(), "[redacted]") {
				t.Errorf("error = %v", err)
			}
			ra, ok := RetryAfter(err)
			if tt.retryAfter != 0 && (!ok || ra != tt.retryAfter) {
				t.Errorf("RetryAfter = %v %v, want %v", ra, ok, tt.retryAfter)
			}
		})
	}
}

func TestPostNetworkErrors(t *testing.T) {
	const secret = "hunter2"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond)
	}))
	url := srv.URL + "/hook?token=" + secret
	// A timeout may be retried.
	_, retry, err := Post(t.Context(), srv.Client(), nil, Request{Name: "webhook", URL: url, Timeout: 20 * time.Millisecond})
	if !retry || err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("timeout: %v, %v", retry, err)
	}
	srv.Close()
	// So may a refused connection.
	_, retry, err = Post(t.Context(), http.DefaultClient, nil, Request{Name: "webhook", URL: url})
	if !retry || err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("refused: %v, %v", retry, err)
	}
	// The caller giving up is not retried.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, retry, err = Post(ctx, http.DefaultClient, nil, Request{Name: "webhook", URL: url})
	if retry || err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("canceled: %v, %v", retry, err)
	}
	// A malformed URL is not quoted.
	_, _, err = Post(t.Context(), http.DefaultClient, nil, Request{Name: "webhook", URL: "http://x/\x7f" + secret})
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("bad URL: %v", err)
	}
}

func TestRetrierLogsNoSecret(t *testing.T) {
	const secret = "xoxb-very-secret"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad token "+secret, http.StatusInternalServerError)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	rec := memstore.New()
	n := notifierFunc(func(ctx context.Context, n earshot.Notification) (bool, error) {
		_, retry, err := Post(ctx, srv.Client(), nil, Request{Name: "x", URL: srv.URL + "/" + secret, Secrets: []string{secret}})
		return retry, err
	})
	r := &Retrier{Notifier: n, Attempts: 2, Sleep: func(context.Context, time.Duration) error { return nil },
		Deliveries: rec, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	_, err := r.Notify(t.Context(), note)
	if err == nil {
		t.Fatal("no error")
	}
	all := logs.String() + err.Error()
	for _, d := range deliveriesIn(t, rec) {
		all += d.Error
	}
	if strings.Contains(all, secret) || !strings.Contains(logs.String(), "delivery attempt failed") {
		t.Errorf("secret leaked or nothing logged:\n%s", all)
	}
}

type notifierFunc func(ctx context.Context, n earshot.Notification) (bool, error)

func (f notifierFunc) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	return f(ctx, n)
}

func TestHelpers(t *testing.T) {
	if got := RedactURL("https://hooks.slack.com/services/T/B/X"); got != "https://hooks.slack.com/[redacted]" {
		t.Errorf("RedactURL = %q", got)
	}
	if got := RedactURL("https://user:pw@example.com"); got != "https://example.com/[redacted]" {
		t.Errorf("RedactURL = %q", got)
	}
	if got := RedactURL("env:SLACK_URL"); got != "[redacted URL]" {
		t.Errorf("RedactURL = %q", got)
	}
	if got := Truncate("héllo wörld", 5); got != "héll…" {
		t.Errorf("Truncate = %q", got)
	}
	at := note.At
	n := earshot.Notification{At: at, Alerts: []earshot.Alert{
		{ID: "a", Kind: earshot.AlertSpike, Watch: "acme"},
		{ID: "b", Kind: earshot.AlertSpike, Watch: "acme", EndsAt: at},
	}}
	if got := Title(n); got != "2 spike alerts · acme (1 resolved)" {
		t.Errorf("Title = %q", got)
	}
	n.Alerts = n.Alerts[1:]
	if got := Title(n); got != "Resolved: Spike · acme" || Status(n) != "resolved" {
		t.Errorf("Title = %q, Status = %q", got, Status(n))
	}
}
