package deliver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/slack"
	"github.com/earshot/earshot/dashboards/digest"
)

// Sender builds, renders and sends digests. Store is required; every other
// field has a working zero value.
type Sender struct {
	Store earshot.Store
	// Digests keeps each digest sent; nil keeps none.
	Digests earshot.DigestStore
	// Deliveries records each delivery attempt (as alerts' are); nil
	// records none.
	Deliveries notify.DeliveryRecorder
	// Options give the notifiers their HTTP client, logger and clock.
	Options notify.Options
	// Attempts, MinBackoff, MaxBackoff and Sleep tune the retries, as
	// notify.Retrier's fields (0: 5 attempts from 1s to 1m).
	Attempts               int
	MinBackoff, MaxBackoff time.Duration
	Sleep                  func(ctx context.Context, d time.Duration) error
	// PDF prints HTML to PDF for format pdf; nil means ChromiumPDF.
	PDF func(ctx context.Context, html []byte) ([]byte, error)
	// Observe is told of each digest sent (or not), for metrics.
	Observe func(name string, ok bool)
	// Quiet recommends the quiet period after incidents (see
	// digest.Options.Quiet); nil judges it from their cost.
	Quiet earshot.QuietAdvisor
}

// Send builds the digests of j for the period ending at end (one per
// watch, or one over every post), sends each to every recipient with
// retries, and keeps a record of each. It returns the records and the
// delivery failures joined; a digest that cannot be built is an error too.
func (s *Sender) Send(ctx context.Context, j *Job, end time.Time) ([]earshot.SentDigest, error) {
	end = end.UTC().Truncate(time.Minute)
	watches := j.Watches
	if len(watches) == 0 {
		watches = []string{""}
	}
	var (
		out  []earshot.SentDigest
		errs []error
	)
	for _, w := range watches {
		sd, err := s.sendOne(ctx, j, strings.TrimSpace(w), end)
		if sd.ID != "" {
			out = append(out, sd)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// ID is a sent digest's ID: stable per digest, watch and period end, and
// safe in a URL path as it is (letters, digits, '.', '_' and '-').
func ID(name, watch string, end time.Time) string {
	id := name
	if watch != "" {
		id += "." + watch
	}
	safe := strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-') {
			return r
		}
		return '-'
	}, id)
	return safe + "." + end.UTC().Format("20060102T1504Z")
}

func (s *Sender) log() *slog.Logger { return s.Options.Log() }

func (s *Sender) sendOne(ctx context.Context, j *Job, watch string, end time.Time) (earshot.SentDigest, error) {
	d, err := digest.Build(ctx, s.Store, digest.Options{Period: j.Period(), End: end, Watch: watch, Quiet: s.Quiet})
	if err != nil {
		s.observe(j.Name, false)
		return earshot.SentDigest{}, fmt.Errorf("digest %s: building: %w", j.Name, err)
	}
	r, err := s.render(ctx, j, d)
	if err != nil {
		s.observe(j.Name, false)
		return earshot.SentDigest{}, fmt.Errorf("digest %s: %w", j.Name, err)
	}
	sd := earshot.SentDigest{
		ID: ID(j.Name, watch, end), Name: j.Name, From: d.From, To: d.To, Format: j.Format,
		Subject: r.subject, HTML: r.page, Markdown: r.markdown,
	}
	n := earshot.Notification{Receiver: "digest:" + j.Name, GroupKey: sd.ID, At: end}
	var errs []error
	for i, ec := range j.Email {
		en, err := email.New(ec, s.Options)
		if err == nil {
			sd.Recipients = append(sd.Recipients, en.To()...)
			err = s.retry(ctx, "email", n, func(ctx context.Context) (bool, error) { return en.Send(ctx, r.mail) })
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("email[%d]: %w", i, err))
		}
	}
	msg := slackMessage(j, d, sd)
	for i, sc := range j.Slack {
		sn, err := slack.New(sc, s.Options)
		if err == nil {
			sd.Recipients = append(sd.Recipients, fmt.Sprintf("slack[%d]", i))
			err = s.retry(ctx, "slack", n, func(ctx context.Context) (bool, error) { return sn.Post(ctx, msg) })
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("slack[%d]: %w", i, err))
		}
	}
	err = errors.Join(errs...)
	sd.OK, sd.SentAt = err == nil, s.Options.Clock()().UTC()
	if err != nil {
		sd.Error = err.Error()
		err = fmt.Errorf("digest %s: %w", j.Name, err)
	}
	if s.Digests != nil {
		if serr := s.Digests.SaveDigest(context.WithoutCancel(ctx), sd); serr != nil {
			err = errors.Join(err, fmt.Errorf("digest %s: keeping it: %w", j.Name, serr))
		}
	}
	s.observe(j.Name, sd.OK)
	return sd, err
}

func (s *Sender) observe(name string, ok bool) {
	if s.Observe != nil {
		s.Observe(name, ok)
	}
}

// sendFunc is one recipient's send as an earshot.Notifier, so that
// notify.Retrier retries it and records its attempts.
type sendFunc func(ctx context.Context) (bool, error)

func (f sendFunc) Notify(ctx context.Context, _ earshot.Notification) (bool, error) { return f(ctx) }

func (s *Sender) retry(ctx context.Context, name string, n earshot.Notification, f sendFunc) error {
	r := &notify.Retrier{
		Notifier: f, Name: name, Attempts: s.Attempts, MinBackoff: s.MinBackoff, MaxBackoff: s.MaxBackoff,
		Sleep: s.Sleep, Now: s.Options.Clock(), Deliveries: s.Deliveries, Logger: s.log(),
	}
	_, err := r.Notify(ctx, n)
	return err
}

// rendered is a digest in every form it is sent and kept in.
type rendered struct {
	subject  string
	page     string // HTML with data: charts, for /digests and the attachment
	markdown string
	mail     email.Message
}

func (s *Sender) render(ctx context.Context, j *Job, d digest.Digest) (rendered, error) {
	charts, err := digest.Charts(d)
	if err != nil {
		return rendered{}, err
	}
	var page, mailHTML, md bytes.Buffer
	if err := digest.HTML(&page, d); err != nil {
		return rendered{}, fmt.Errorf("rendering HTML: %w", err)
	}
	if err := digest.HTMLWithCharts(&mailHTML, d, charts, func(c digest.Chart) string { return "cid:" + c.Name }); err != nil {
		return rendered{}, fmt.Errorf("rendering HTML: %w", err)
	}
	if err := digest.Markdown(&md, d); err != nil {
		return rendered{}, fmt.Errorf("rendering Markdown: %w", err)
	}
	r := rendered{subject: Subject(d), page: page.String(), markdown: md.String()}
	r.mail = email.Message{Subject: r.subject, Text: r.markdown, HTML: mailHTML.String()}
	for _, c := range charts {
		r.mail.Inline = append(r.mail.Inline, email.Part{Name: c.Name, ContentType: "image/png", ContentID: c.Name, Data: c.PNG})
	}
	file := "digest-" + d.To.Format("2006-01-02")
	switch j.Format {
	case FormatHTML:
		r.mail.Attachments = []email.Part{{Name: file + ".html", ContentType: "text/html; charset=utf-8", Data: page.Bytes()}}
	case FormatMD:
		r.mail.Attachments = []email.Part{{Name: file + ".md", ContentType: "text/markdown; charset=utf-8", Data: md.Bytes()}}
	case FormatPDF:
		print := s.PDF
		if print == nil {
			print = ChromiumPDF
		}
		pdf, err := print(ctx, page.Bytes())
		if err != nil {
			return rendered{}, fmt.Errorf("printing the PDF: %w", err)
		}
		r.mail.Attachments = []email.Part{{Name: file + ".pdf", ContentType: "application/pdf", Data: pdf}}
	}
	return r, nil
}

// Subject is the digest's email subject.
func Subject(d digest.Digest) string {
	what := "all mentions"
	if d.Watch != "" {
		what = d.Watch
	}
	return fmt.Sprintf("Reputation digest, %s: %s to %s", what, d.From.Format("2 Jan"), d.To.Add(-time.Nanosecond).Format("2 Jan 2006"))
}

// slackMessage is the digest for Slack: the summary, the key numbers, the
// top recommendations and a link to the full digest.
func slackMessage(j *Job, d digest.Digest, sd earshot.SentDigest) slack.Message {
	mrk := func(s string) *slack.Text { return &slack.Text{Type: "mrkdwn", Text: s} }
	head := notify.Truncate(sd.Subject, 150)
	m := slack.Message{Text: head, Blocks: []slack.Block{
		{Type: "header", Text: &slack.Text{Type: "plain_text", Text: head}},
		{Type: "section", Text: mrk(slack.Escape(notify.Truncate(d.Summary, 2900)))},
	}}
	neg := "not scored"
	if d.Current.Scored > 0 {
		neg = fmt.Sprintf("%.0f%%", 100*d.Current.NegativeShare)
	}
	m.Blocks = append(m.Blocks, slack.Block{Type: "section", Fields: []slack.Text{
		{Type: "mrkdwn", Text: fmt.Sprintf("*Mentions*\n%d", d.Current.Posts)},
		{Type: "mrkdwn", Text: "*Negative*\n" + neg},
		{Type: "mrkdwn", Text: fmt.Sprintf("*Incidents*\n%d", len(d.Incidents))},
		{Type: "mrkdwn", Text: fmt.Sprintf("*Follow-ups open*\n%d", d.FollowUps.Open)},
	}})
	if len(d.Recommendations) > 0 {
		var b strings.Builder
		b.WriteString("*Recommendations*")
		for _, r := range d.Recommendations[:min(3, len(d.Recommendations))] {
			fmt.Fprintf(&b, "\n• %s _%s_", slack.Escape(notify.OneLine(r.Action)), slack.Escape(notify.Truncate(notify.OneLine(r.Evidence), 300)))
		}
		m.Blocks = append(m.Blocks, slack.Block{Type: "section", Text: mrk(notify.Truncate(b.String(), 2900))})
	}
	if j.Link != "" {
		u := strings.TrimRight(j.Link, "/") + "/digests/" + sd.ID
		m.Blocks = append(m.Blocks, slack.Block{Type: "context", Elements: []slack.Text{{Type: "mrkdwn", Text: "<" + u + "|The full digest, with charts>"}}})
	}
	return m
}
