package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"
	"time"

	"github.com/earshot/earshot/alerts/notify"
)

// Message is a message other than an alert notification (a digest): a
// plain-text and an HTML body, images the HTML shows inline (as
// cid:ContentID) and attachments.
type Message struct {
	Subject     string
	Text, HTML  string
	Inline      []Part
	Attachments []Part
}

// Part is an inline image or an attachment.
type Part struct {
	// Name is the file name shown to the reader.
	Name string
	// ContentType is its MIME type, such as image/png.
	ContentType string
	// ContentID names an inline part for the HTML's cid: URLs.
	ContentID string
	Data      []byte
}

// To returns the recipients.
func (e *Notifier) To() []string { return append([]string(nil), e.cfg.To...) }

// Send sends m to every recipient, as Notify does a notification: a 4xx
// reply or a network failure may be retried.
func (e *Notifier) Send(ctx context.Context, m Message) (bool, error) {
	msg, err := m.Bytes(e.cfg.From, e.cfg.To, e.now())
	if err != nil {
		return false, fmt.Errorf("email: building message: %w", err)
	}
	return e.send(ctx, msg)
}

// Bytes returns the whole message: multipart/mixed holding a
// multipart/related (the multipart/alternative text and HTML, then the
// inline parts) and the attachments, base64 encoded.
func (m Message) Bytes(from string, to []string, now time.Time) ([]byte, error) {
	var body bytes.Buffer
	mixed := multipart.NewWriter(&body)

	// multipart/related: alternative bodies first, then inline images.
	relHdr := textproto.MIMEHeader{}
	var rel bytes.Buffer
	related := multipart.NewWriter(&rel)
	relHdr.Set("Content-Type", `multipart/related; boundary="`+related.Boundary()+`"`)

	var alt bytes.Buffer
	altW := multipart.NewWriter(&alt)
	if err := writeAlternatives(altW, m.Text, m.HTML); err != nil {
		return nil, err
	}
	aw, err := related.CreatePart(textproto.MIMEHeader{"Content-Type": {`multipart/alternative; boundary="` + altW.Boundary() + `"`}})
	if err != nil {
		return nil, err
	}
	if _, err := aw.Write(alt.Bytes()); err != nil {
		return nil, err
	}
	for _, p := range m.Inline {
		if err := writeBinary(related, p, "inline"); err != nil {
			return nil, err
		}
	}
	if err := related.Close(); err != nil {
		return nil, err
	}
	rw, err := mixed.CreatePart(relHdr)
	if err != nil {
		return nil, err
	}
	if _, err := rw.Write(rel.Bytes()); err != nil {
		return nil, err
	}
	for _, p := range m.Attachments {
		if err := writeBinary(mixed, p, "attachment"); err != nil {
			return nil, err
		}
	}
	if err := mixed.Close(); err != nil {
		return nil, err
	}

	var hdr bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	writeHeader(&hdr, "From", from)
	writeHeader(&hdr, "To", strings.Join(to, ", "))
	writeHeader(&hdr, "Subject", mime.QEncoding.Encode("utf-8", notify.Truncate(headerSafe(m.Subject), 200)))
	writeHeader(&hdr, "Date", now.Format(time.RFC1123Z))
	writeHeader(&hdr, "Message-ID", "<"+hex.EncodeToString(id)+"@earshot>")
	writeHeader(&hdr, "MIME-Version", "1.0")
	writeHeader(&hdr, "Content-Type", `multipart/mixed; boundary="`+mixed.Boundary()+`"`)
	hdr.WriteString("\r\n")
	return append(hdr.Bytes(), body.Bytes()...), nil
}

// writeBinary writes p base64-encoded in lines of 76 characters.
func writeBinary(w *multipart.Writer, p Part, disposition string) error {
	h := textproto.MIMEHeader{
		"Content-Type":              {p.ContentType},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {mime.FormatMediaType(disposition, map[string]string{"filename": p.Name})},
	}
	if p.ContentID != "" {
		h.Set("Content-ID", "<"+headerSafe(p.ContentID)+">")
	}
	pw, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	enc := base64.StdEncoding.EncodeToString(p.Data)
	for len(enc) > 76 {
		if _, err := io.WriteString(pw, enc[:76]+"\r\n"); err != nil {
			return err
		}
		enc = enc[76:]
	}
	_, err = io.WriteString(pw, enc+"\r\n")
	return err
}
