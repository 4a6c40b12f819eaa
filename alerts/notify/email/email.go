// Package email sends Earshot notifications by email over SMTP (net/smtp):
// one message per notification, multipart/alternative with a plain-text
// and an HTML part (escaped with html/template: post text is hostile
// input). It upgrades the connection with STARTTLS when the server offers
// it (or insists on it, or uses implicit TLS, as configured) and
// authenticates with PLAIN when a username is set.
//
// The password never appears in errors or logs.
package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/internal/netguard"
)

// TLS modes.
const (
	// TLSOpportunistic upgrades with STARTTLS when the server offers it.
	TLSOpportunistic = "opportunistic"
	// TLSStartTLS requires STARTTLS; a server without it is an error.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465).
	TLSImplicit = "implicit"
	// TLSNone never uses TLS.
	TLSNone = "none"
)

// Config configures one email destination.
type Config struct {
	// Smarthost is the SMTP server, host:port.
	Smarthost string `yaml:"smarthost"`
	// From is the sender address.
	From string `yaml:"from"`
	// To are the recipients.
	To []string `yaml:"to"`
	// Username turns on SMTP AUTH PLAIN (over TLS, or to localhost).
	Username string `yaml:"username"`
	// Password is a secret: write it as env:NAME or file:PATH.
	Password string `yaml:"password"`
	// Hello is the name sent with EHLO; empty means "localhost".
	Hello string `yaml:"hello"`
	// TLS is opportunistic (default: STARTTLS when offered), starttls
	// (required), implicit (TLS from the start) or none.
	TLS string `yaml:"tls"`
	// Timeout bounds one whole SMTP conversation; 0 means 30s.
	Timeout time.Duration `yaml:"timeout"`
	// AllowPrivateNetworks lets this integration reach a smarthost on a
	// loopback, private or link-local address (a relay on the LAN), which
	// is refused by default.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// TLSConfig overrides the TLS settings (roots, server name); set in
	// code, not in the file.
	TLSConfig *tls.Config `yaml:"-"`
}

// String hides the password.
func (c Config) String() string {
	pw := ""
	if c.Password != "" {
		pw = ", password: [redacted]"
	}
	return fmt.Sprintf("email{smarthost: %s, from: %s, to: %v, username: %s%s}", c.Smarthost, c.From, c.To, c.Username, pw)
}

// Validate checks c without resolving secrets; key prefixes the keys it
// names.
func (c Config) Validate(key string) error {
	host, port, err := net.SplitHostPort(c.Smarthost)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("%s.smarthost: want host:port, got %q", key, c.Smarthost)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("%s.from: %v", key, err)
	}
	if len(c.To) == 0 {
		return fmt.Errorf("%s.to: at least one recipient is required", key)
	}
	for i, to := range c.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return fmt.Errorf("%s.to[%d]: %v", key, i, err)
		}
	}
	switch c.TLS {
	case "", TLSOpportunistic, TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("%s.tls: want opportunistic, starttls, implicit or none, got %q", key, c.TLS)
	}
	if c.Password != "" && c.Username == "" {
		return fmt.Errorf("%s.username: required when a password is set", key)
	}
	return notify.CheckTimeout(key, c.Timeout)
}

// ResolveSecrets returns c with its password resolved by resolve.
func (c Config) ResolveSecrets(key string, resolve notify.ResolveFunc) (Config, error) {
	var err error
	c.Password, err = resolve.Resolve(key+".password", c.Password)
	return c, err
}

// Notifier sends mail through one SMTP server.
type Notifier struct {
	cfg  Config
	host string
	now  func() time.Time
}

var _ earshot.Notifier = (*Notifier)(nil)

// New returns a notifier for cfg, whose password must be resolved.
func New(cfg Config, opts notify.Options) (*Notifier, error) {
	if err := cfg.Validate("email"); err != nil {
		return nil, err
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSOpportunistic
	}
	if cfg.Hello == "" {
		cfg.Hello = "localhost"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	host, _, _ := net.SplitHostPort(cfg.Smarthost)
	return &Notifier{cfg: cfg, host: host, now: opts.Clock()}, nil
}

// secrets are what must never show: the password and the AUTH PLAIN
// credentials as sent on the wire.
func (e *Notifier) secrets() []string {
	if e.cfg.Password == "" {
		return nil
	}
	wire := base64.StdEncoding.EncodeToString([]byte("\x00" + e.cfg.Username + "\x00" + e.cfg.Password))
	return []string{e.cfg.Password, wire}
}

// Notify sends n as one message to every recipient. A 4xx SMTP reply or a
// network failure may be retried; a 5xx reply, a refused TLS or AUTH may
// not.
func (e *Notifier) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	msg, err := Build(n, e.cfg.From, e.cfg.To, e.now())
	if err != nil {
		return false, fmt.Errorf("email: building message: %w", err)
	}
	return e.send(ctx, msg)
}

func (e *Notifier) send(ctx context.Context, msg []byte) (retry bool, err error) {
	fail := func(step string, err error) (bool, error) {
		return retryable(err), notify.Errorf(e.secrets(), "email: %s %s: %v", step, e.cfg.Smarthost, err)
	}
	d := netguard.Policy{AllowPrivate: e.cfg.AllowPrivateNetworks}.Dialer(e.cfg.Timeout)
	var conn net.Conn
	if e.cfg.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: d, Config: e.tlsConfig()}).DialContext(ctx, "tcp", e.cfg.Smarthost)
	} else {
		conn, err = d.DialContext(ctx, "tcp", e.cfg.Smarthost)
	}
	if err != nil {
		if ctx.Err() != nil {
			return false, notify.Errorf(e.secrets(), "email: connecting to %s: %v", e.cfg.Smarthost, ctx.Err())
		}
		// A refused address stays refused: retrying will not help.
		return !errors.Is(err, netguard.ErrBlocked), notify.Errorf(e.secrets(), "email: connecting to %s: %v", e.cfg.Smarthost, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(e.cfg.Timeout))
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		return fail("greeting from", err)
	}
	defer c.Close()
	if err := c.Hello(e.cfg.Hello); err != nil {
		return fail("EHLO to", err)
	}
	if e.cfg.TLS == TLSOpportunistic || e.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(e.tlsConfig()); err != nil {
				return fail("STARTTLS with", err)
			}
		} else if e.cfg.TLS == TLSStartTLS {
			return false, fmt.Errorf("email: %s does not offer STARTTLS, which tls: starttls requires", e.cfg.Smarthost)
		}
	}
	if e.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return false, fmt.Errorf("email: %s offers no AUTH, but a username is set", e.cfg.Smarthost)
		}
		if err := c.Auth(smtp.PlainAuth("", e.cfg.Username, e.cfg.Password, e.host)); err != nil {
			return fail("AUTH with", err)
		}
	}
	from, _ := mail.ParseAddress(e.cfg.From)
	if err := c.Mail(from.Address); err != nil {
		return fail("MAIL FROM at", err)
	}
	for _, to := range e.cfg.To {
		a, _ := mail.ParseAddress(to)
		if err := c.Rcpt(a.Address); err != nil {
			return fail("RCPT TO at", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fail("DATA at", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail("writing message to", err)
	}
	if err := w.Close(); err != nil {
		return fail("ending message at", err)
	}
	// The message is accepted; a failed QUIT changes nothing.
	_ = c.Quit()
	return false, nil
}

func (e *Notifier) tlsConfig() *tls.Config {
	if e.cfg.TLSConfig != nil {
		c := e.cfg.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = e.host
		}
		return c
	}
	return &tls.Config{ServerName: e.host, MinVersion: tls.VersionTLS12}
}

// retryable: a 4xx reply or a network failure may pass later; a 5xx
// reply, a TLS or an AUTH refusal will not.
func retryable(err error) bool {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 400 && te.Code < 500
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// Build returns the whole message for n: headers and a multipart/
// alternative body with text/plain and text/html parts, both
// quoted-printable UTF-8.
func Build(n earshot.Notification, from string, to []string, now time.Time) ([]byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	var hdr bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	writeHeader(&hdr, "From", from)
	writeHeader(&hdr, "To", strings.Join(to, ", "))
	writeHeader(&hdr, "Subject", mime.QEncoding.Encode("utf-8", subject(n)))
	writeHeader(&hdr, "Date", now.Format(time.RFC1123Z))
	if n.Episode != "" {
		// One thread per episode and receiver: the first message's ID
		// is derived from them, and every update answers it.
		root := episodeMessageID(n, 1)
		writeHeader(&hdr, "Message-ID", episodeMessageID(n, n.Seq))
		if n.Seq > 1 {
			writeHeader(&hdr, "In-Reply-To", root)
			writeHeader(&hdr, "References", root)
		}
		writeHeader(&hdr, "X-Earshot-Episode", headerSafe(notify.Truncate(n.Episode, 200)))
	} else {
		writeHeader(&hdr, "Message-ID", "<"+hex.EncodeToString(id)+"@earshot>")
	}
	writeHeader(&hdr, "MIME-Version", "1.0")
	writeHeader(&hdr, "Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	writeHeader(&hdr, "X-Earshot-Group-Key", headerSafe(notify.Truncate(n.GroupKey, 200)))
	hdr.WriteString("\r\n")

	html, err := renderHTML(n)
	if err != nil {
		return nil, err
	}
	if err := writeAlternatives(mw, renderText(n), html); err != nil {
		return nil, err
	}
	return append(hdr.Bytes(), body.Bytes()...), nil
}

func writeHeader(b *bytes.Buffer, k, v string) {
	b.WriteString(k + ": " + headerSafe(v) + "\r\n")
}

// headerSafe keeps a header value on one line.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// episodeMessageID is the Message-ID of message seq of n's episode to n's
// receiver: the same on every run, so updates can answer the first
// without storing it.
func episodeMessageID(n earshot.Notification, seq int) string {
	sum := sha256.Sum256([]byte(n.Receiver + "\x00" + n.Episode))
	return fmt.Sprintf("<%s.%d@earshot>", hex.EncodeToString(sum[:12]), seq)
}

func subject(n earshot.Notification) string {
	firing, _ := notify.Split(n)
	s := "[Earshot] " + notify.Title(n)
	if n.Update {
		s = "Re: " + s
	}
	if len(firing) == 1 && firing[0].Summary != "" {
		s += ": " + notify.OneLine(firing[0].Summary)
	}
	return notify.Truncate(headerSafe(s), 200)
}

// writeAlternatives writes the text/plain and text/html parts, both
// quoted-printable UTF-8, of a multipart/alternative body, and closes w.
func writeAlternatives(w *multipart.Writer, text, html string) error {
	for _, part := range []struct{ typ, text string }{
		{"text/plain; charset=utf-8", text},
		{"text/html; charset=utf-8", html},
	} {
		pw, err := w.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := io.WriteString(qp, part.text); err != nil {
			return err
		}
		if err := qp.Close(); err != nil {
			return err
		}
	}
	return w.Close()
}
