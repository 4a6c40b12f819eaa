package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	neturl "net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot/internal/auth"
)

// Message is one update as a channel sends it.
type Message struct {
	// Key is unique to the publication: channels that deduplicate
	// retries (Mastodon's Idempotency-Key) send it.
	Key        string
	IncidentID string
	// Title is the incident's title (the status page's incident name).
	Title string
	// Phase is investigating, identified, monitoring, resolved or
	// postmortem.
	Phase string
	// Text is the update, already fitted to the channel's limit.
	Text string
	// Root and Parent are the RemoteIDs of the first and the latest post
	// of the incident's thread on this channel; both empty for the first.
	Root, Parent string
}

// Result is what the channel returned for a message.
type Result struct {
	// RemoteID is what a later message of the thread refers to.
	RemoteID string
	// URL is where people read it, when the channel says.
	URL string
}

// Channel sends updates to one place.
type Channel interface {
	// Name is the channel's name: statuspage, mastodon, bluesky, x, slack.
	Name() string
	// Limit is the longest text the channel takes, and how it counts.
	Limit() (max int, unit Unit)
	// Send publishes m and returns what the channel returned. Its errors
	// are plain and never hold a credential.
	Send(ctx context.Context, m Message) (Result, error)
}

// ChannelConfig configures one channel. Each channel reads the keys it
// needs; secrets are written env:NAME or file:PATH.
type ChannelConfig struct {
	// BaseURL is the API's address: the default is the public service
	// (Mastodon has none: it is your instance, e.g. https://mastodon.social).
	BaseURL string `yaml:"base_url"`
	// Token is the credential: Statuspage's API key, Mastodon's access
	// token, X's OAuth 2 user access token, Slack's bot token.
	Token auth.Secret `yaml:"token"`
	// PageID is the Statuspage page.
	PageID string `yaml:"page_id"`
	// Channel is the Slack channel ID to announce in.
	Channel string `yaml:"channel"`
	// Identifier and Password sign in to Bluesky (a handle and an app
	// password).
	Identifier string      `yaml:"identifier"`
	Password   auth.Secret `yaml:"password"`
	// Limit overrides the channel's length limit (0: the channel's own).
	Limit int `yaml:"limit"`
	// AllowPrivateNetworks lets the channel reach a private address (a
	// self-hosted Mastodon on the LAN, a test server).
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
}

// Deps is what a channel's factory is given besides its configuration.
type Deps struct {
	// Client is the HTTP client to send with (guarded unless the entry
	// allows private networks).
	Client *http.Client
	// Getenv resolves env: secrets; nil means os.Getenv.
	Getenv func(string) string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Factory makes a channel from its configuration, validating it without
// a network call.
type Factory func(c ChannelConfig, d Deps) (Channel, error)

var (
	registryMu sync.Mutex
	registry   = map[string]Factory{}
)

// Register makes a channel kind available under name. Channels call it
// from init.
func Register(name string, f Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("publish: channel " + name + " registered twice")
	}
	registry[name] = f
}

// Kinds returns the registered channel names, sorted.
func Kinds() []string {
	registryMu.Lock()
	defer registryMu.Unlock()
	var out []string
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Open makes the channels cfg configures, in ChannelOrder. A channel whose
// kind is not registered, or whose configuration is wrong, is an error
// naming its key.
func Open(cfg Config, d Deps, client func(allowPrivate bool) *http.Client) ([]Channel, error) {
	var out []Channel
	var names []string
	for n := range cfg.Channels {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return order(a) - order(b) })
	for _, n := range names {
		registryMu.Lock()
		f := registry[n]
		registryMu.Unlock()
		if f == nil {
			return nil, fmt.Errorf("publishing.channels.%s: unknown channel (one of %s)", n, strings.Join(ChannelOrder, ", "))
		}
		c := cfg.Channels[n]
		dd := d
		if client != nil {
			dd.Client = client(c.AllowPrivateNetworks)
		}
		ch, err := f(c, dd)
		if err != nil {
			return nil, fmt.Errorf("publishing.channels.%s: %w", n, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

// ChannelOrder is the order channels are listed and sent in.
var ChannelOrder = []string{"statuspage", "mastodon", "bluesky", "x", "slack"}

func order(name string) int {
	if i := slices.Index(ChannelOrder, name); i >= 0 {
		return i
	}
	return len(ChannelOrder)
}

// HTTPError is a plain error for an answer a channel's API refused: the
// status and the API's own message, bounded. It holds no credential.
func HTTPError(channel string, resp *http.Response, message string) error {
	message = strings.TrimSpace(message)
	if len(message) > 300 {
		message = message[:300] + "…"
	}
	if message == "" {
		return fmt.Errorf("%s answered %s", channel, resp.Status)
	}
	return fmt.Errorf("%s answered %s: %s", channel, resp.Status, message)
}

// ReadBody reads at most 1 MiB of an API's answer.
func ReadBody(resp *http.Response) ([]byte, error) {
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// DoJSON sends in as a JSON body (none when nil) with header, and decodes
// a 2xx answer into out. Another status is an HTTPError carrying what
// message finds in the answer's body. Errors name the channel, never a
// credential (header values are not repeated).
func DoJSON(ctx context.Context, client *http.Client, channel, method, url string, header http.Header, in, out any, message func([]byte) string) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s: encoding the request: %w", channel, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return fmt.Errorf("%s: %w", channel, err)
	}
	maps.Copy(req.Header, header)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "earshot")
	resp, err := client.Do(req)
	if err != nil {
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL may hold a token (it never should)
		}
		return fmt.Errorf("%s: sending: %w", channel, err)
	}
	defer resp.Body.Close()
	b, err := ReadBody(resp)
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %w", channel, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := ""
		if message != nil {
			msg = message(b)
		}
		return HTTPError(channel, resp, msg)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s: reading the answer: %w", channel, err)
		}
	}
	return nil
}
