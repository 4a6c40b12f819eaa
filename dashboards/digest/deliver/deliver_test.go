package deliver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/slack"
	"github.com/earshot/earshot/store/duckdb"
)

// smtpServer is an in-process SMTP server: each message accepted goes to
// messages; the first failData DATA commands get a 451 (try later).
type smtpServer struct {
	addr     string
	messages chan string
	mu       sync.Mutex
	failData int
}

func startSMTP(t *testing.T, failData int) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{addr: ln.Addr().String(), messages: make(chan string, 10), failData: failData}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(c) })
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			tp.PrintfLine("250-test\r\n250 8BITMIME")
		case "MAIL", "RCPT", "RSET", "NOOP":
			tp.PrintfLine("250 ok")
		case "DATA":
			s.mu.Lock()
			fail := s.failData > 0
			s.failData--
			s.mu.Unlock()
			if fail {
				tp.PrintfLine("451 4.3.0 try again later")
				continue
			}
			tp.PrintfLine("354 go on")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.messages <- string(b)
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 unknown")
		}
	}
}

// slackReceiver is an httptest incoming webhook: the first fail posts get
// a 503, then every message is decoded into messages.
func slackReceiver(t *testing.T, fail int) (*httptest.Server, chan slack.Message) {
	t.Helper()
	got := make(chan slack.Message, 10)
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		f := fail > 0
		fail--
		mu.Unlock()
		if f {
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
		var m slack.Message
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		got <- m
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// fakeClock is a clock tests move by hand: After registers a waiter that
// Advance wakes.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	waiting chan time.Duration
}

type waiter struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock(t time.Time) *fakeClock {
	return &fakeClock{now: t, waiting: make(chan time.Duration, 10)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	c.mu.Unlock()
	c.waiting <- d
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.c <- c.now
		} else {
			keep = append(keep, w)
		}
	}
	c.waiters = keep
}

// seed stores two days of posts about acme, the second mostly negative,
// and an incident.
func seed(t *testing.T, end time.Time) *duckdb.Store {
	t.Helper()
	st, err := duckdb.Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var posts []earshot.Post
	for i := range 48 {
		at := end.Add(-time.Duration(i+1) * time.Hour)
		label, score := earshot.Positive, 0.5
		if i < 20 && i%2 == 0 {
			label, score = earshot.Negative, -0.7
		}
		posts = append(posts, earshot.Post{
			ID: "twitter:" + at.Format("150405") + string(rune('a'+i%26)), Source: "twitter", Kind: earshot.KindPost,
			Author: earshot.Author{ID: "u1", Handle: "@pat"}, Text: "acme <b>is</b> " + string(label),
			CreatedAt: at, CollectedAt: at, Watches: []string{"acme"},
			Sentiment: earshot.Sentiment{Score: score, Label: label},
		})
	}
	if err := st.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	inc := earshot.Incident{ID: "inc-1", Source: "manual", Title: "API errors", Status: earshot.Resolved,
		Severity: "major", StartedAt: end.Add(-20 * time.Hour), ResolvedAt: end.Add(-10 * time.Hour)}
	if err := st.SaveIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDailyDigestOnSchedule: a daily digest configured for 08:00 arrives
// by email (with its charts inline as CID parts and the HTML attached) and
// on Slack when the fake clock reaches 08:00, after one retried failure
// at each, and is kept for /digests.
func TestDailyDigestOnSchedule(t *testing.T) {
	fire := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	st := seed(t, fire)
	smtp := startSMTP(t, 1)
	hook, slackGot := slackReceiver(t, 1)
	jobs, err := Jobs("digests", []Config{{
		Name: "daily-exec", Schedule: "0 8 * * *", Period: "24h", Watches: []string{"acme"},
		Link:  "https://earshot.example",
		Email: []email.Config{{Smarthost: smtp.addr, From: "earshot@acme.example", To: []string{"ceo@acme.example"}, TLS: email.TLSNone, AllowPrivateNetworks: true}},
		Slack: []slack.Config{{URL: hook.URL + "/services/T0/B0/secret", AllowPrivateNetworks: true}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock(fire.Add(-90 * time.Second))
	var slept []time.Duration
	var mu sync.Mutex
	sender := &Sender{Store: st, Digests: st, Options: notifyOptions(clock),
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			slept = append(slept, d)
			mu.Unlock()
			return nil
		}}
	sched := &Scheduler{Jobs: jobs, Now: clock.Now, After: clock.After,
		Send: func(ctx context.Context, j *Job, at time.Time) error { _, err := sender.Send(ctx, j, at); return err }}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { sched.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	if d := <-clock.waiting; d != 90*time.Second {
		t.Fatalf("the scheduler waits %s, want 1m30s to 08:00", d)
	}
	select {
	case <-smtp.messages:
		t.Fatal("a digest went out before 08:00")
	default:
	}
	clock.Advance(90 * time.Second)

	raw := <-smtp.messages
	msg := <-slackGot
	// Next: 08:00 tomorrow.
	if d := <-clock.waiting; d != 24*time.Hour {
		t.Errorf("after sending, the scheduler waits %s, want 24h", d)
	}
	checkEmail(t, raw)
	if !strings.Contains(msg.Text, "Reputation digest, acme: 8 Mar to 9 Mar 2026") {
		t.Errorf("Slack text = %q", msg.Text)
	}
	blob, _ := json.Marshal(msg)
	if !strings.Contains(string(blob), "https://earshot.example/digests/daily-exec.acme.20260309T0800Z") {
		t.Errorf("Slack message lacks the link to the digest: %s", blob)
	}
	if !strings.Contains(string(blob), `*Mentions*\n24`) {
		t.Errorf("Slack message lacks 24 mentions: %s", blob)
	}
	mu.Lock()
	if len(slept) != 2 {
		t.Errorf("retries waited %v, want one wait each for email and Slack", slept)
	}
	mu.Unlock()

	sent, err := st.SentDigests(t.Context(), 0)
	if err != nil || len(sent) != 1 {
		t.Fatalf("SentDigests: %v, %v; want one", sent, err)
	}
	sd := sent[0]
	if sd.ID != "daily-exec.acme.20260309T0800Z" || !sd.OK || !sd.To.Equal(fire) || !sd.From.Equal(fire.Add(-24*time.Hour)) ||
		!strings.Contains(sd.HTML, "data:image/png;base64,") || !strings.Contains(sd.Markdown, "# Reputation digest: acme") ||
		strings.Join(sd.Recipients, ",") != "ceo@acme.example,slack[0]" {
		t.Errorf("kept digest = %+v", sd)
	}
}

func notifyOptions(c *fakeClock) notify.Options { return notify.Options{Now: c.Now} }

// checkEmail parses the message: multipart/mixed of a multipart/related
// (text, HTML showing cid: charts, the PNG parts) and the HTML attachment.
func checkEmail(t *testing.T, raw string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subj != "Reputation digest, acme: 8 Mar to 9 Mar 2026" {
		t.Errorf("Subject = %q", subj)
	}
	parts := map[string][]byte{} // by Content-ID or file name or type
	var walk func(r io.Reader, ctype string)
	walk = func(r io.Reader, ctype string) {
		mt, params, err := mime.ParseMediaType(ctype)
		if err != nil {
			t.Fatalf("Content-Type %q: %v", ctype, err)
		}
		if !strings.HasPrefix(mt, "multipart/") {
			return
		}
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ct := p.Header.Get("Content-Type")
			body, _ := io.ReadAll(p)
			if strings.HasPrefix(ct, "multipart/") {
				walk(bytes.NewReader(body), ct)
				continue
			}
			switch p.Header.Get("Content-Transfer-Encoding") {
			case "base64":
				body, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.ReplaceAll(string(body), "\r\n", ""), "\n", ""))
				if err != nil {
					t.Fatalf("part %s: %v", ct, err)
				}
			}
			key := strings.Trim(p.Header.Get("Content-ID"), "<>")
			if key == "" {
				if _, ps, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition")); ps["filename"] != "" {
					key = ps["filename"]
				} else {
					key = strings.Split(ct, ";")[0]
				}
			}
			parts[key] = body
		}
	}
	walk(m.Body, m.Header.Get("Content-Type"))
	for _, name := range []string{"volume.png", "negative-share.png"} {
		img, err := png.Decode(bytes.NewReader(parts[name]))
		if err != nil {
			t.Errorf("inline chart %s: %v", name, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != 560 || b.Dy() != 140 {
			t.Errorf("chart %s is %v", name, b)
		}
	}
	html, ok := parts["text/html"]
	if !ok {
		t.Fatalf("no HTML part; parts: %v", keys(parts))
	}
	for _, want := range []string{`src="cid:volume.png"`, `src="cid:negative-share.png"`, "Reputational cost", "acme &lt;b&gt;is&lt;/b&gt; negative"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the HTML part lacks %s", want)
		}
	}
	if strings.Contains(string(html), "data:image") {
		t.Error("the mail's HTML embeds data: images rather than CID parts")
	}
	if _, ok := parts["digest-2026-03-09.html"]; !ok {
		t.Errorf("no HTML attachment; parts: %v", keys(parts))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestJobsValidate(t *testing.T) {
	ok := Config{Name: "weekly", Schedule: "0 8 * * MON", Slack: []slack.Config{{URL: "env:SLACK_URL"}}}
	tests := []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"ok", func(*Config) {}, ""},
		{"descriptor", func(c *Config) { c.Schedule = "@daily" }, ""},
		{"time zone", func(c *Config) { c.Schedule = "CRON_TZ=Europe/Paris 0 8 * * *" }, ""},
		{"bad schedule", func(c *Config) { c.Schedule = "every monday" }, "digests[0].schedule"},
		{"bad period", func(c *Config) { c.Period = "2w" }, "digests[0].period"},
		{"bad format", func(c *Config) { c.Format = "docx" }, "digests[0].format"},
		{"no recipients", func(c *Config) { c.Slack = nil }, "at least one recipient"},
		{"bad email", func(c *Config) { c.Email = []email.Config{{Smarthost: "mail"}} }, "digests[0].email[0].smarthost"},
		{"name with slash", func(c *Config) { c.Name = "a/b" }, "digests[0].name"},
		{"bad link", func(c *Config) { c.Link = "javascript:alert(1)" }, "digests[0].link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := Validate("digests", []Config{c})
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate: %v, want %q", err, tt.want)
			}
		})
	}
	if err := Validate("digests", []Config{ok, ok}); err == nil || !strings.Contains(err.Error(), "used twice") {
		t.Errorf("two digests named alike: %v", err)
	}
	jobs, _ := Jobs("digests", []Config{ok})
	if got := jobs[0].Next(time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("Next after Wednesday noon = %s, want Monday 08:00", got)
	}
	if jobs[0].Period() != 7*24*time.Hour || jobs[0].Format != FormatHTML {
		t.Errorf("defaults: period %s, format %q", jobs[0].Period(), jobs[0].Format)
	}
}

// TestFailedDeliveryIsKept: an SMTP server that refuses for good (5xx)
// is not retried, the digest is kept with the error, and Slack still gets it.
func TestFailedDeliveryIsKept(t *testing.T) {
	end := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	st := seed(t, end)
	hook, slackGot := slackReceiver(t, 0)
	jobs, err := Jobs("digests", []Config{{Name: "d", Schedule: "@daily", Period: "24h",
		Email: []email.Config{{Smarthost: "127.0.0.1:1", From: "a@b.example", To: []string{"c@d.example"}, TLS: email.TLSNone, AllowPrivateNetworks: true}},
		Slack: []slack.Config{{URL: hook.URL, AllowPrivateNetworks: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []bool
	s := &Sender{Store: st, Digests: st, Attempts: 2, Sleep: func(context.Context, time.Duration) error { return nil },
		Observe: func(_ string, ok bool) { outcomes = append(outcomes, ok) }}
	sent, err := s.Send(t.Context(), jobs[0], end)
	if err == nil || !strings.Contains(err.Error(), "email[0]") {
		t.Fatalf("Send: %v, want the email's failure", err)
	}
	<-slackGot
	if len(sent) != 1 || sent[0].OK || !strings.Contains(sent[0].Error, "email[0]") || len(outcomes) != 1 || outcomes[0] {
		t.Errorf("sent %+v, outcomes %v", sent, outcomes)
	}
	kept, err := st.SentDigest(t.Context(), sent[0].ID)
	if err != nil || kept.OK || kept.Error == "" {
		t.Errorf("kept %+v, %v", kept, err)
	}
}

// TestPDF prints a digest with headless Chromium when it is installed.
func TestPDF(t *testing.T) {
	if Chromium() == "" {
		t.Skip("no chromium on PATH: the PDF format is not checked (apt-get install chromium)")
	}
	pdf, err := ChromiumPDF(t.Context(), []byte("<!doctype html><title>t</title><p>Reputation digest</p>"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
}

func TestHandler(t *testing.T) {
	end := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	st := seed(t, end)
	sd := earshot.SentDigest{ID: "weekly.acme.20260309T0800Z", Name: "weekly", From: end.Add(-7 * 24 * time.Hour), To: end, SentAt: end,
		Subject: "Reputation <digest>", HTML: "<!doctype html><p>the digest</p>", Markdown: "# the digest", OK: true}
	if err := st.SaveDigest(t.Context(), sd); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler{Store: st})
	defer srv.Close()
	get := func(path string) (int, string, http.Header) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	code, body, _ := get("/digests")
	if code != 200 || !strings.Contains(body, `href="/digests/weekly.acme.20260309T0800Z"`) || !strings.Contains(body, "Reputation &lt;digest&gt;") {
		t.Errorf("list: %d %s", code, body)
	}
	code, body, h := get("/digests/weekly.acme.20260309T0800Z")
	if code != 200 || body != sd.HTML || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("one: %d %q %v", code, body, h)
	}
	if code, body, _ = get("/digests/weekly.acme.20260309T0800Z?format=md"); code != 200 || body != sd.Markdown {
		t.Errorf("markdown: %d %q", code, body)
	}
	if code, _, _ = get("/digests/nope"); code != 404 {
		t.Errorf("unknown digest: %d, want 404", code)
	}
}

func TestIDIsPathSafe(t *testing.T) {
	at := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ name, watch, want string }{
		{"weekly", "", "weekly.20260309T0800Z"},
		{"weekly", "acme cloud/ü?", "weekly.acme-cloud---.20260309T0800Z"},
	} {
		if got := ID(tt.name, tt.watch, at); got != tt.want {
			t.Errorf("ID(%q, %q) = %q, want %q", tt.name, tt.watch, got, tt.want)
		}
	}
}
