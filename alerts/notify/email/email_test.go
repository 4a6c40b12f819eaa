package email

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

const (
	user     = "earshot"
	password = "Sm7p-Pa55w0rd-S3cret"
)

// smtpServer speaks enough SMTP for the notifier: EHLO, STARTTLS, AUTH
// PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type smtpServer struct {
	t        *testing.T
	addr     string
	tls      *tls.Config // offers STARTTLS when set
	auth     bool        // offers AUTH PLAIN
	rcptCode string      // reply to RCPT; default 250

	mu       sync.Mutex
	messages []string
	rcpts    []string
	from     string
	authed   string
	tlsUsed  bool
	wg       sync.WaitGroup
}

func startSMTP(t *testing.T, s *smtpServer) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.t, s.addr = t, ln.Addr().String()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.serve(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(c)
	reply := func(lines ...string) { tp.PrintfLine("%s", strings.Join(lines, "\r\n")) }
	reply("220 test.local ESMTP ready")
	secure := false
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ext := []string{"250-test.local"}
			if s.tls != nil && !secure {
				ext = append(ext, "250-STARTTLS")
			}
			if s.auth {
				ext = append(ext, "250-AUTH PLAIN")
			}
			ext = append(ext, "250 8BITMIME")
			reply(ext...)
		case "STARTTLS":
			reply("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, secure = tc, true
			s.mu.Lock()
			s.tlsUsed = true
			s.mu.Unlock()
			tp = textproto.NewConn(tc)
		case "AUTH":
			mech, cred, _ := strings.Cut(arg, " ")
			b, _ := base64.StdEncoding.DecodeString(cred)
			parts := strings.Split(string(b), "\x00")
			if mech != "PLAIN" || len(parts) != 3 || parts[1] != user || parts[2] != password {
				// A careless server that echoes the credentials.
				reply("535 5.7.8 authentication failed for " + cred + " " + string(b))
				continue
			}
			s.mu.Lock()
			s.authed = parts[1]
			s.mu.Unlock()
			reply("235 2.7.0 ok")
		case "MAIL":
			s.mu.Lock()
			s.from = arg
			s.mu.Unlock()
			reply("250 ok")
		case "RCPT":
			if s.rcptCode != "" {
				reply(s.rcptCode + " mailbox says no")
				continue
			}
			s.mu.Lock()
			s.rcpts = append(s.rcpts, arg)
			s.mu.Unlock()
			reply("250 ok")
		case "DATA":
			reply("354 end with .")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.messages = append(s.messages, string(b))
			s.mu.Unlock()
			reply("250 queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown")
		}
	}
}

var at = time.Date(2025, 3, 3, 12, 0, 30, 0, time.UTC)

func notification() earshot.Notification {
	return earshot.Notification{Receiver: "comms", GroupKey: `root:{kind="spike",watch="acme"}`, At: at,
		Alerts: []earshot.Alert{{
			ID: "a1", Kind: earshot.AlertSpike, Watch: "acme", Severity: "warning", Metric: earshot.MetricVolume,
			Summary: "Mentions 5× usual on acme\r\nBcc: victim@example.com", StartsAt: at.Add(-time.Hour),
			Why: earshot.Why{
				Terms:   []earshot.TermLift{{Term: "launch", Count: 80, Lift: 6}},
				Sources: []earshot.Count{{Name: "bluesky", Count: 90, Share: 0.9}},
				Posts: []earshot.Post{
					{Source: "bluesky", Author: earshot.Author{Handle: "ana"}, URL: "https://bsky.app/p/1", Text: "<script>alert('x')</script> love the new thing"},
					{Source: "rss", URL: "javascript:alert(1)", Text: "Ünïcödé ✓ fine"},
				},
			},
		}}}
}

func newNotifier(t *testing.T, cfg Config, log *slog.Logger) *Notifier {
	t.Helper()
	if cfg.From == "" {
		cfg.From = "Earshot <earshot@example.com>"
	}
	if cfg.To == nil {
		cfg.To = []string{"comms@example.com", "Ops <ops@example.com>"}
	}
	n, err := New(cfg, notify.Options{Logger: log, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMultipartMessage(t *testing.T) {
	srv := startSMTP(t, &smtpServer{auth: true})
	n := newNotifier(t, Config{AllowPrivateNetworks: true, Smarthost: srv.addr, Username: user, Password: password}, nil)
	if retry, err := n.Notify(t.Context(), notification()); err != nil {
		t.Fatalf("Notify = %v, %v", retry, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.authed != user || !strings.HasPrefix(srv.from, "FROM:<earshot@example.com>") || strings.Join(srv.rcpts, ",") != "TO:<comms@example.com>,TO:<ops@example.com>" {
		t.Errorf("auth %q from %q rcpts %v", srv.authed, srv.from, srv.rcpts)
	}
	if len(srv.messages) != 1 {
		t.Fatalf("%d messages", len(srv.messages))
	}
	msg, err := mail.ReadMessage(strings.NewReader(srv.messages[0]))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := msg.Header["Bcc"]; ok {
		t.Error("a header was injected")
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || !strings.Contains(subj, "[Earshot] Spike · acme: Mentions 5× usual on acme") {
		t.Errorf("subject %q (%v)", subj, err)
	}
	if msg.Header.Get("Date") == "" || msg.Header.Get("Message-Id") == "" || msg.Header.Get("Mime-Version") != "1.0" {
		t.Errorf("headers %v", msg.Header)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	parts := map[string]string{}
	var order []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // quoted-printable is decoded by the reader
		ct, ps, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if ps["charset"] != "utf-8" {
			t.Errorf("%s charset %q", ct, ps["charset"])
		}
		parts[ct] = string(b)
		order = append(order, ct)
	}
	if strings.Join(order, ",") != "text/plain,text/html" {
		t.Fatalf("parts %v", order)
	}
	plain, html := parts["text/plain"], parts["text/html"]
	for _, s := range []string{"Spike on acme", "Top terms: launch ×80 (6.0× usual)", "Reasons: none", "Sources: bluesky 90 (90%)",
		"Incident: none", "> <script>alert('x')</script> love the new thing", "— @ana on bluesky https://bsky.app/p/1", "Ünïcödé ✓ fine"} {
		if !strings.Contains(plain, s) {
			t.Errorf("plain text lacks %q:\n%s", s, plain)
		}
	}
	for _, s := range []string{"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; love the new thing", `<a href="https://bsky.app/p/1">link</a>`,
		"<th align=\"left\">Incident</th><td>none</td>", "Ünïcödé ✓ fine"} {
		if !strings.Contains(html, s) {
			t.Errorf("HTML lacks %q:\n%s", s, html)
		}
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, "javascript:") {
		t.Errorf("HTML is not escaped:\n%s", html)
	}
}

func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func TestStartTLSWhenOffered(t *testing.T) {
	serverTLS, roots := selfSigned(t)
	srv := startSMTP(t, &smtpServer{tls: serverTLS, auth: true})
	n := newNotifier(t, Config{AllowPrivateNetworks: true, Smarthost: srv.addr, Username: user, Password: password, TLSConfig: &tls.Config{RootCAs: roots}}, nil)
	if _, err := n.Notify(t.Context(), notification()); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if !srv.tlsUsed || len(srv.messages) != 1 || srv.authed != user {
		t.Errorf("tls %v, messages %d, authed %q", srv.tlsUsed, len(srv.messages), srv.authed)
	}
}

func TestTLSModes(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	// STARTTLS required but not offered: an error not worth retrying.
	retry, err := newNotifier(t, Config{AllowPrivateNetworks: true, Smarthost: srv.addr, TLS: TLSStartTLS}, nil).Notify(t.Context(), notification())
	if err == nil || retry || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("starttls: %v, %v", retry, err)
	}
	// An untrusted certificate is refused.
	serverTLS, _ := selfSigned(t)
	srv2 := startSMTP(t, &smtpServer{tls: serverTLS})
	retry, err = newNotifier(t, Config{AllowPrivateNetworks: true, Smarthost: srv2.addr}, nil).Notify(t.Context(), notification())
	if err == nil || retry {
		t.Errorf("untrusted: %v, %v", retry, err)
	}
	// tls: none never upgrades.
	if _, err := newNotifier(t, Config{AllowPrivateNetworks: true, Smarthost: srv2.addr, TLS: TLSNone}, nil).Notify(t.Context(), notification()); err != nil {
		t.Errorf("none: %v", err)
	}
}

func TestRetryCodes(t *testing.T) {
	tests := []struct {
		code      string
		wantRetry bool
	}{{"450", true}, {"451", true}, {"550", false}, {"553", false}}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			srv := startSMTP(t, &smtpServer{rcptCode: tt.code})
			retry, err := newNotifier(t, Config{AllowPrivateNetworks: true, Smarthost: srv.addr}, nil).Notify(t.Context(), notification())
			if err == nil || retry != tt.wantRetry || !strings.Contains(err.Error(), tt.code) {
				t.Errorf("Notify = %v, %v", retry, err)
			}
		})
	}
	// Nobody listening: a network error, retried.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if retry, err := newNotifier(t, Config{AllowPrivateNetworks: true, Smarthost: addr}, nil).Notify(t.Context(), notification()); err == nil || !retry {
		t.Errorf("refused: %v, %v", retry, err)
	}
}

func TestNoPasswordInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := startSMTP(t, &smtpServer{auth: true})
	// The server refuses the (wrong) password and echoes the credentials.
	wrong := password + "-wrong"
	cfg := Config{AllowPrivateNetworks: true, Smarthost: srv.addr, Username: user, Password: wrong}
	n := newNotifier(t, cfg, log)
	r := &notify.Retrier{Notifier: n, Attempts: 2, Logger: log, Sleep: func(context.Context, time.Duration) error { return nil }}
	retry, err := r.Notify(t.Context(), notification())
	if err == nil || retry {
		t.Fatalf("Notify = %v, %v", retry, err)
	}
	if !strings.Contains(err.Error(), "535") {
		t.Errorf("err = %v", err)
	}
	wire := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + wrong))
	all := logs.String() + err.Error() + cfg.String()
	for _, s := range []string{wrong, wire} {
		if strings.Contains(all, s) {
			t.Errorf("%q leaked:\n%s", s, all)
		}
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Smarthost: "nohost", From: "a@b.c", To: []string{"d@e.f"}}, "k.smarthost"},
		{Config{Smarthost: "h:25", From: "nope", To: []string{"d@e.f"}}, "k.from"},
		{Config{Smarthost: "h:25", From: "a@b.c"}, "k.to"},
		{Config{Smarthost: "h:25", From: "a@b.c", To: []string{"d@e.f"}, TLS: "maybe"}, "k.tls"},
		{Config{Smarthost: "h:25", From: "a@b.c", To: []string{"d@e.f"}, Password: "x"}, "k.username"},
	}
	for _, tt := range tests {
		if err := tt.cfg.Validate("k"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%v) = %v, want %s", tt.cfg, err, tt.want)
		}
	}
	c, err := Config{Password: "file:/run/secrets/smtp"}.ResolveSecrets("k", func(string) (string, error) { return "pw", nil })
	if err != nil || c.Password != "pw" {
		t.Errorf("ResolveSecrets = %v, %v", c.Password, err)
	}
}

// TestEpisodeThreading: the messages of one episode form one thread
// (Message-ID, In-Reply-To, References); another episode another.
func TestEpisodeThreading(t *testing.T) {
	headers := func(n earshot.Notification) mail.Header {
		t.Helper()
		raw, err := Build(n, "earshot@example.com", []string{"comms@example.com"}, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		return msg.Header
	}
	first := notification()
	first.Episode, first.Seq = "ep-acme-20260302T100030Z", 1
	update := first
	update.Seq, update.Update = 2, true
	other := first
	other.Episode = "ep-acme-20260303T100030Z"

	h1, h2, h3 := headers(first), headers(update), headers(other)
	root := h1.Get("Message-Id")
	if root == "" || h1.Get("In-Reply-To") != "" || h1.Get("X-Earshot-Episode") != first.Episode {
		t.Errorf("first message headers %v", h1)
	}
	if h2.Get("Message-Id") == root || h2.Get("In-Reply-To") != root || h2.Get("References") != root {
		t.Errorf("update: Message-ID %q, In-Reply-To %q, References %q; want a reply to %q",
			h2.Get("Message-Id"), h2.Get("In-Reply-To"), h2.Get("References"), root)
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(h2.Get("Subject")); !strings.HasPrefix(subj, "Re: [Earshot]") {
		t.Errorf("update subject %q", subj)
	}
	if headers(first).Get("Message-Id") != root {
		t.Error("the first message's ID is not the same on every run")
	}
	if h3.Get("Message-Id") == root {
		t.Error("two episodes share a thread")
	}
}

// A smarthost on a loopback address is refused without
// allow_private_networks, before anything is sent, and not retried.
func TestRefusesPrivateSmarthost(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	retry, err := newNotifier(t, Config{Smarthost: ln.Addr().String()}, nil).Notify(t.Context(), notification())
	if err == nil || retry || !strings.Contains(err.Error(), "address not allowed") {
		t.Fatalf("Notify = %v, %v; want a refusal not retried", retry, err)
	}
	ln.Close()
	select {
	case <-accepted:
		t.Error("the smarthost was connected to")
	default:
	}
}
