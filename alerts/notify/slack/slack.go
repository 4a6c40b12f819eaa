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
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// Config configures one Slack destination: an incoming webhook (URL), or a
// bot token and a channel (Token, Channel), which lets the updates of an
// episode edit its message in place or answer in its thread. An incoming
// webhook cannot do either: there, each update is a new message, marked
// as an update of the episode.
type Config struct {
	// URL is the incoming webhook URL, https://hooks.slack.com/services/...;
	// it is a secret: write it as env:NAME or file:PATH.
	URL string `yaml:"url"`
	// Token is a bot token (xoxb-..., scope chat:write) posting to
	// Channel through the Web API instead of URL; a secret: env:NAME or
	// file:PATH.
	Token string `yaml:"token"`
	// Channel is the channel ID (C0123...) the bot posts to.
	Channel string `yaml:"channel"`
	// Updates says what the bot does with an episode's later messages:
	// "update" edits its first message in place (chat.update, the
	// default), "thread" answers in its thread (chat.postMessage with
	// thread_ts).
	Updates string `yaml:"updates"`
	// API is the Web API's base URL; empty means https://slack.com/api.
	API string `yaml:"api"`
	// Timeout bounds one request; 0 means 10s.
	Timeout time.Duration `yaml:"timeout"`
	// MaxAlerts is how many alerts one message details; the rest are
	// counted. 0 means 5.
	MaxAlerts int `yaml:"max_alerts"`
	// AllowPrivateNetworks lets this integration reach loopback, private,
	// link-local and metadata addresses, which notifiers refuse by default.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
}

// String hides the URL and the token.
func (c Config) String() string {
	if c.Token != "" {
		return fmt.Sprintf("slack{token: [redacted], channel: %s}", c.Channel)
	}
	return fmt.Sprintf("slack{url: %s}", notify.RedactURL(c.URL))
}

// Validate checks c without resolving secrets; key prefixes the keys it
// names.
func (c Config) Validate(key string) error {
	switch {
	case c.URL == "" && c.Token == "":
		return fmt.Errorf("%s.url: required, or token and channel (write secrets as env:NAME or file:PATH)", key)
	case c.URL != "" && c.Token != "":
		return fmt.Errorf("%s: give url (an incoming webhook) or token and channel (a bot), not both", key)
	case c.Token != "" && c.Channel == "":
		return fmt.Errorf("%s.channel: required with token (a channel ID such as C0123ABCD)", key)
	}
	switch c.Updates {
	case "", "update", "thread":
	default:
		return fmt.Errorf("%s.updates: %q is not update or thread", key, c.Updates)
	}
	if err := notify.CheckTimeout(key, c.Timeout); err != nil {
		return err
	}
	if c.MaxAlerts < 0 || c.MaxAlerts > 10 {
		return fmt.Errorf("%s.max_alerts: must be between 1 and 10 (0 means 5)", key)
	}
	return nil
}

// ResolveSecrets returns c with its URL resolved by resolve.
func (c Config) ResolveSecrets(key string, resolve notify.ResolveFunc) (Config, error) {
	var err error
	if c.Token != "" {
		c.Token, err = resolve.Resolve(key+".token", c.Token)
		return c, err
	}
	c.URL, err = resolve.Resolve(key+".url", c.URL)
	return c, err
}

// Notifier posts to one Slack incoming webhook, or as a bot to one
// channel.
type Notifier struct {
	cfg     Config
	client  *http.Client
	now     func() time.Time
	threads earshot.ThreadStore
}

var _ earshot.Notifier = (*Notifier)(nil)

// New returns a notifier for cfg, whose URL must be resolved.
func New(cfg Config, opts notify.Options) (*Notifier, error) {
	target := cfg.URL
	if cfg.Token != "" {
		if cfg.API == "" {
			cfg.API = "https://slack.com/api"
		}
		if cfg.Updates == "" {
			cfg.Updates = "update"
		}
		target = cfg.API
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("slack: url %s is not an http(s) URL", notify.RedactURL(target))
	}
	if cfg.MaxAlerts <= 0 {
		cfg.MaxAlerts = 5
	}
	threads := opts.Threads
	if threads == nil {
		threads = &memoryThreads{m: map[[2]string]string{}}
	}
	return &Notifier{cfg: cfg, client: opts.HTTPClientFor(cfg.AllowPrivateNetworks), now: opts.Clock(), threads: threads}, nil
}

// Notify posts n as one message. Slack answers 2xx when it took it, 4xx
// when the payload or the webhook is bad (not retried), 429 with
// Retry-After and 5xx when trying later may help. As a bot, an update of
// an episode edits its first message or answers in its thread.
func (s *Notifier) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	if s.cfg.Token != "" {
		return s.notifyBot(ctx, n)
	}
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
// notifications, Blocks the Block Kit layout. The Web API takes the same,
// with the channel, and the message's ts to edit (chat.update) or the
// thread's to answer in (chat.postMessage).
type Message struct {
	Channel  string  `json:"channel,omitempty"`
	TS       string  `json:"ts,omitempty"`
	ThreadTS string  `json:"thread_ts,omitempty"`
	Text     string  `json:"text"`
	Blocks   []Block `json:"blocks"`
}

// apiAnswer is the Web API's answer: HTTP 200 even for errors, which say
// ok false.
type apiAnswer struct {
	OK      bool   `json:"ok"`
	Error   string `json:"error"`
	Channel string `json:"channel"`
	TS      string `json:"ts"`
}

// permanentErrors are Web API errors trying again cannot mend.
var permanentErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "account_inactive": true, "token_revoked": true,
	"channel_not_found": true, "not_in_channel": true, "is_archived": true, "missing_scope": true,
	"invalid_blocks": true, "msg_too_long": true, "no_text": true, "invalid_arguments": true,
	"cant_update_message": true, "message_not_found": true, "edit_window_closed": true,
}

// notifyBot posts n through the Web API: the first message of an episode
// (or one without an episode) with chat.postMessage, keeping its ts; an
// update with chat.update on that ts, or chat.postMessage in its thread.
// A message it cannot edit (deleted, too old) is answered in its thread.
func (s *Notifier) notifyBot(ctx context.Context, n earshot.Notification) (bool, error) {
	msg := Render(n, s.cfg.MaxAlerts)
	msg.Channel = s.cfg.Channel
	var ref string
	if n.Episode != "" && n.Update {
		var err error
		if ref, err = s.threads.Thread(ctx, n.Episode, n.Receiver); err != nil {
			return true, fmt.Errorf("slack: reading the thread of episode %s: %w", n.Episode, err)
		}
	}
	if ref == "" {
		ans, retry, err := s.call(ctx, "chat.postMessage", msg)
		if err != nil {
			return retry, err
		}
		if n.Episode != "" {
			if err := s.threads.SaveThread(ctx, n.Episode, n.Receiver, ans.TS); err != nil {
				return false, fmt.Errorf("slack: keeping the ts of episode %s: %w", n.Episode, err)
			}
		}
		return false, nil
	}
	if s.cfg.Updates == "update" {
		edit := msg
		edit.TS = ref
		_, retry, err := s.call(ctx, "chat.update", edit)
		var ae *apiError
		if err == nil || !errors.As(err, &ae) || (ae.code != "message_not_found" && ae.code != "cant_update_message" && ae.code != "edit_window_closed") {
			return retry, err
		}
	}
	msg.ThreadTS = ref
	_, retry, err := s.call(ctx, "chat.postMessage", msg)
	return retry, err
}

// apiError is a Web API answer with ok false.
type apiError struct{ method, code string }

func (e *apiError) Error() string { return "slack: " + e.method + ": " + e.code }

// call posts body to the Web API method and decodes the answer.
func (s *Notifier) call(ctx context.Context, method string, m Message) (apiAnswer, bool, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return apiAnswer{}, false, fmt.Errorf("slack: encoding message: %w", err)
	}
	raw, retry, err := notify.Post(ctx, s.client, s.now, notify.Request{
		Name: "slack",
		URL:  strings.TrimSuffix(s.cfg.API, "/") + "/" + method,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"},
			"Authorization": {"Bearer " + s.cfg.Token}},
		Body:    body,
		Timeout: s.cfg.Timeout,
		Secrets: []string{s.cfg.Token},
	})
	if err != nil {
		return apiAnswer{}, retry, err
	}
	var ans apiAnswer
	if err := json.Unmarshal(raw, &ans); err != nil {
		return apiAnswer{}, true, fmt.Errorf("slack: %s: answer is not JSON", method)
	}
	if !ans.OK {
		code := notify.Truncate(notify.OneLine(ans.Error), 100)
		return ans, !permanentErrors[ans.Error], &apiError{method, code}
	}
	return ans, false, nil
}

// memoryThreads keeps threads when no store does.
type memoryThreads struct {
	mu sync.Mutex
	m  map[[2]string]string
}

func (t *memoryThreads) SaveThread(_ context.Context, episode, receiver, ref string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[[2]string{episode, receiver}] = ref
	return nil
}

func (t *memoryThreads) Thread(_ context.Context, episode, receiver string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[[2]string{episode, receiver}], nil
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
	foot := fmt.Sprintf("Earshot · receiver %s · %d firing, %d resolved · %s",
		Escape(n.Receiver), len(firing), len(resolved), n.At.UTC().Format("2006-01-02 15:04 MST"))
	if n.Episode != "" {
		// Says which conversation this is: as an incoming webhook can
		// neither edit nor thread, an update is a new message there.
		foot += fmt.Sprintf(" · episode %s, message %d", Escape(n.Episode), n.Seq)
		if n.Update {
			m.Text = "Update: " + m.Text
		}
	}
	m.Blocks = append(m.Blocks, Block{Type: "context", Elements: []Text{*md(foot)}})
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
