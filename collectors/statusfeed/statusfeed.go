package statusfeed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/internal/feedparse"
)

// Kind is the incident collector kind this package registers.
const Kind = "status_feed"

func init() {
	collectors.RegisterIncidents(Kind, collectors.NewIncidentFactory(Kind, DefaultConfig, NewCollector))
}

// Config configures one status feed.
type Config struct {
	// URL is the feed's address: an absolute http or https URL serving RSS
	// or Atom, such as https://status.example.com/history.atom. Required.
	URL string `yaml:"url"`
	// Services are the services every incident of this feed affects, as
	// watches name them. Feeds do not say; without them an incident covers
	// every watch.
	Services []string `yaml:"services"`
	// Source names where the incidents come from and prefixes their IDs.
	// Default "status_feed". Letters, digits, ".", "_" and "-" only.
	Source string `yaml:"source"`
	// Limits: max_bytes caps the feed body (default 10 MiB); timeout bounds
	// one fetch (default 30s).
	collectors.Limits `yaml:",inline"`
}

// DefaultConfig returns the configuration used for the keys left out.
func DefaultConfig() Config {
	return Config{Source: "status_feed", Limits: collectors.DefaultLimits()}
}

// Validate checks c without touching the network. Errors are
// *collectors.ConfigErrors naming the key.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	required := "required (the feed's address, such as https://status.example.com/history.atom)"
	if err := collectors.Checks(bad, collectors.URLCheck("url", c.URL, required)); err != nil {
		return err
	}
	for i, s := range c.Services {
		if strings.TrimSpace(s) == "" {
			return bad(fmt.Sprintf("services[%d]", i), "is empty")
		}
	}
	return collectors.Checks(bad, collectors.SourceCheck(c.Source),
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout))
}

// Collector collects the incidents of one status feed.
type Collector struct {
	collectors.Base[Config]
	url *url.URL
}

var _ earshot.IncidentCollector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.URL) // checked by Validate
	return &Collector{Base: collectors.NewBase(name, cfg, deps), url: u}, nil
}

// cursor is what the cursor string holds, as JSON.
type cursor struct {
	V int `json:"v"`
	collectors.Validators
	// Seen maps the ID of each incident in the feed to a hash of what was
	// collected of it.
	Seen map[string]string `json:"seen,omitempty"`
}

const (
	cursorVersion = 1
	// maxItems bounds the items read from one feed (history feeds hold 25
	// or so).
	maxItems = 500
)

func (cur cursor) String() string {
	cur.V = cursorVersion
	return collectors.EncodeCursor(cur)
}

// CollectIncidents fetches the feed and returns its new or changed
// incidents, each whole.
func (c *Collector) CollectIncidents(ctx context.Context, cursorText string) ([]earshot.Incident, string, error) {
	cur := collectors.LoadCursor[cursor](cursorText, cursorVersion, c.Deps.Log)
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Cfg.URL, nil)
	if err != nil {
		return nil, cursorText, fmt.Errorf("fetching %s: %w", collectors.Redact(c.url), err)
	}
	req.Header.Set("Accept", "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5")
	cur.Validators.Ask(req.Header)
	resp, err := collectors.Fetch(c.Deps, req, c.Cfg.MaxBytes)
	if err != nil {
		return nil, cursorText, err
	}
	feed, err := c.parse(resp.Body)
	if err != nil {
		return nil, cursorText, err
	}

	next := cursor{Validators: collectors.ValidatorsOf(resp.Header), Seen: map[string]string{}}
	var incidents []earshot.Incident
	for i, it := range feed.Items {
		if i == maxItems {
			break
		}
		if it == nil {
			continue
		}
		inc, ok := c.incident(it)
		if !ok {
			continue
		}
		h := hash(inc)
		if _, dup := next.Seen[inc.ID]; dup {
			continue // a feed may repeat an item; the first (newest) wins
		}
		next.Seen[inc.ID] = h
		if cur.Seen[inc.ID] != h {
			incidents = append(incidents, inc)
		}
	}
	c.Deps.Log.Debug("fetched status feed", "items", len(feed.Items), "changed", len(incidents))
	return incidents, next.String(), nil
}

// parse parses body as RSS or Atom, mending invalid UTF-8 first.
func (c *Collector) parse(body []byte) (*gofeed.Feed, error) {
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return feedparse.Parse(body, collectors.Redact(c.url), "an RSS or Atom feed")
}

// hash sums what an incident says, to tell a changed one.
func hash(inc earshot.Incident) string {
	b, _ := json.Marshal(inc)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
