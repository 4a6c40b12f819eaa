// Package slack sends Earshot notifications to Slack through an incoming
// webhook, as a Block Kit message: a header naming the alert kind and
// watch, then for each alert its summary, why it is spiking (top terms,
// complaint reasons, sources, three representative posts) and the incident
// that explains it, or "none". Resolved alerts read as such.
//
// The webhook URL is a secret (its path is the token): errors and logs show
// only https://hooks.slack.com/[redacted]. Post text is hostile input and
// is escaped for Slack mrkdwn (&, <, >) so it can neither ping a channel nor
// forge a link.
package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// Config configures one Slack incoming webhook.
type Config struct {
	// URL is the incoming webhook URL, https://hooks.slack.com/services/...;
	// it is a secret: write it as env:NAME or file:PATH.
	URL string `yaml:"url"`
	// Timeout bounds one request; 0 means 10s.
	Timeout time.Duration `yaml:"timeout"`
	// MaxAlerts is how many alerts one message details; the rest are
	// counted. 0 means 5.
	MaxAlerts int `yaml:"max_alerts"`
}

// String hides the URL.
func (c Config) String() string {
	return fmt.Sprintf("slack{url: %s}", notify.RedactURL(c.URL))
}

// Validate checks c without resolving secrets; key prefixes the keys it
// names.
func (c Config) Validate(key string) error {
	if c.URL == "" {
		return fmt.Errorf("%s.url: required (write it as env:NAME or file:PATH)", key)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("%s.timeout: must not be negative", key)
	}
	if c.MaxAlerts < 0 || c.MaxAlerts > 10 {
		return fmt.Errorf("%s.max_alerts: must be between 1 and 10 (0 means 5)", key)
	}
	return nil
}

// ResolveSecrets returns c with its URL resolved by resolve.
func (c Config) ResolveSecrets(key string, resolve notify.ResolveFunc) (Config, error) {
	var err error
	c.URL, err = resolve.Resolve(key+".url", c.URL)
	return c, err
}

// Notifier posts to one Slack incoming webhook.
type Notifier struct {
	cfg    Config
	client *http.Client
	now    func() time.Time
}

var _ earshot.Notifier = (*Notifier)(nil)

// New returns a notifier for cfg, whose URL must be resolved.
func New(cfg Config, opts notify.Options) (*Notifier, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("slack: url %s is not an http(s) URL", notify.RedactURL(cfg.URL))
	}
	if cfg.MaxAlerts <= 0 {
		cfg.MaxAlerts = 5
	}
	return &Notifier{cfg: cfg, client: opts.HTTPClient(), now: opts.Clock()}, nil
}

// Notify posts n as one message. Slack answers 2xx when it took it, 4xx
// when the payload or the webhook is bad (not retried), 429 with
// Retry-After and 5xx when trying later may help.
func (s *Notifier) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	return s.Post(ctx, Render(n, s.cfg.MaxAlerts))
}

// Post posts m (a digest, say) to the webhook, classified as Notify.
func (s *Notifier) Post(ctx context.Context, m Message) (bool, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return false, fmt.Errorf("slack: encoding message: %w", err)
	}
	_, retry, err := notify.Post(ctx, s.client, s.now, notify.Request{
		Name:    "slack",
		URL:     s.cfg.URL,
		Header:  http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:    body,
		Timeout: s.cfg.Timeout,
	})
	return retry, err
}

// Message is an incoming-webhook payload: Text is the fallback shown in
// notifications, Blocks the Block Kit layout.
type Message struct {
	Text   string  `json:"text"`
	Blocks []Block `json:"blocks"`
}

// Block is one Block Kit layout block (header, section, context, divider).
type Block struct {
	Type     string `json:"type"`
	Text     *Text  `json:"text,omitempty"`
	Fields   []Text `json:"fields,omitempty"`
	Elements []Text `json:"elements,omitempty"`
	BlockID  string `json:"block_id,omitempty"`
}

// Text is a Block Kit text object: "plain_text" or "mrkdwn".
type Text struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"`
}

// Block Kit limits.
const (
	headerMax  = 150
	sectionMax = 3000
	fieldMax   = 2000
	postMax    = 280
	maxBlocks  = 50
)

func plain(s string, max int) *Text {
	return &Text{Type: "plain_text", Text: notify.Truncate(notify.OneLine(s), max), Emoji: true}
}

func md(s string) *Text { return &Text{Type: "mrkdwn", Text: s} }

// Escape makes s safe as Slack mrkdwn text: &, < and > become entities,
// so user text cannot form links or mentions (<!channel>).
func Escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// link renders a safe mrkdwn link to an http(s) URL, or "" for any other.
func link(raw, label string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	// "|" ends the URL part of a link and ">" the link: keep them out.
	s := strings.NewReplacer("|", "%7C", ">", "%3E", "<", "%3C").Replace(u.String())
	return "<" + Escape(s) + "|" + Escape(strings.ReplaceAll(label, "|", "/")) + ">"
}

// Render builds the message for n, detailing at most maxAlerts alerts.
func Render(n earshot.Notification, maxAlerts int) Message {
	if maxAlerts <= 0 {
		maxAlerts = 5
	}
	firing, resolved := notify.Split(n)
	title := notify.Title(n)
	icon := ":rotating_light:"
	if len(firing) == 0 {
		icon = ":white_check_mark:"
	} else if maxSeverity(firing) != "critical" {
		icon = ":warning:"
	}
	m := Message{Text: Escape(title)}
	m.Blocks = append(m.Blocks, Block{Type: "header", Text: plain(icon+" "+title, headerMax)})
	all := append(append([]earshot.Alert(nil), firing...), resolved...)
	for i, a := range all {
		bs := alertBlocks(a, notify.Resolved(a, n.At))
		if i > 0 {
			bs = append([]Block{{Type: "divider"}}, bs...)
		}
		// Keep room for the overflow note and the footer.
		if i == maxAlerts || len(m.Blocks)+len(bs)+2 > maxBlocks {
			m.Blocks = append(m.Blocks, Block{Type: "context", Elements: []Text{*md(fmt.Sprintf("…and %d more alerts in this group.", len(all)-i))}})
			break
		}
		m.Blocks = append(m.Blocks, bs...)
	}
	m.Blocks = append(m.Blocks, Block{Type: "context", Elements: []Text{*md(fmt.Sprintf("Earshot · receiver %s · %d firing, %d resolved · %s",
		Escape(n.Receiver), len(firing), len(resolved), n.At.UTC().Format("2006-01-02 15:04 MST")))}})
	return m
}

func alertBlocks(a earshot.Alert, resolved bool) []Block {
	var bs []Block
	state := ""
	if resolved {
		state = "*Resolved* · "
		if !a.EndsAt.IsZero() {
			state = fmt.Sprintf("*Resolved* at %s · ", a.EndsAt.UTC().Format("2006-01-02 15:04 MST"))
		}
	}
	head := fmt.Sprintf("%s*%s* on *%s*", state, Escape(notify.KindTitle(a.Kind)), Escape(notify.WatchName(a)))
	if a.Summary != "" {
		head += "\n" + Escape(notify.OneLine(a.Summary))
	}
	meta := []string{"Severity: " + Escape(a.Severity)}
	if a.Metric != "" {
		meta = append(meta, "Metric: "+Escape(string(a.Metric)))
	}
	if !a.StartsAt.IsZero() {
		meta = append(meta, "Started: "+a.StartsAt.UTC().Format("2006-01-02 15:04 MST"))
	}
	head += "\n" + strings.Join(meta, " · ")
	bs = append(bs, Block{Type: "section", Text: md(notify.Truncate(head, sectionMax))})

	fields := []Text{
		*md(fieldText("Top terms", terms(a.Why.Terms))),
		*md(fieldText("Reasons", counts(a.Why.Reasons))),
		*md(fieldText("Sources", counts(a.Why.Sources))),
		*md(fieldText("Incident", Escape(notify.Incident(a)))),
	}
	bs = append(bs, Block{Type: "section", Fields: fields})
	if a.Why.Link != "" {
		bs = append(bs, Block{Type: "context", Elements: []Text{*md(Escape(notify.Truncate(notify.OneLine(a.Why.Link), fieldMax)))}})
	}
	if p := posts(a.Why.Posts); p != "" {
		bs = append(bs, Block{Type: "section", Text: md(notify.Truncate(p, sectionMax))})
	}
	return bs
}

func fieldText(name, body string) string {
	if body == "" {
		body = "none"
	}
	return notify.Truncate("*"+name+"*\n"+body, fieldMax)
}

func terms(ts []earshot.TermLift) string {
	var parts []string
	for i, t := range ts {
		if i == 5 {
			break
		}
		parts = append(parts, fmt.Sprintf("`%s` ×%d (%.1f× usual)", strings.ReplaceAll(Escape(notify.Truncate(notify.OneLine(t.Term), 40)), "`", "'"), t.Count, t.Lift))
	}
	return strings.Join(parts, ", ")
}

func counts(cs []earshot.Count) string {
	var parts []string
	for i, c := range cs {
		if i == 5 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d (%.0f%%)", Escape(notify.Truncate(notify.OneLine(c.Name), 40)), c.Count, c.Share*100))
	}
	return strings.Join(parts, ", ")
}

func posts(ps []earshot.Post) string {
	var b strings.Builder
	for i, p := range ps {
		if i == 3 {
			break
		}
		if i == 0 {
			b.WriteString("*Representative posts*\n")
		}
		fmt.Fprintf(&b, ">%s\n", Escape(notify.Truncate(notify.OneLine(p.Text), postMax)))
		who := p.Source
		if p.Author.Handle != "" {
			who = "@" + notify.OneLine(p.Author.Handle) + " on " + p.Source
		}
		line := "— " + Escape(notify.Truncate(who, 80))
		if l := link(p.URL, "link"); l != "" {
			line += " · " + l
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func maxSeverity(as []earshot.Alert) string {
	rank := map[string]int{"info": 1, "warning": 2, "critical": 3}
	best := ""
	for _, a := range as {
		if rank[a.Severity] > rank[best] {
			best = a.Severity
		}
	}
	return best
}
