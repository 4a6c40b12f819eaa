package rss

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/internal/feedparse"
)

// Kind is the collector kind this package registers.
const Kind = "rss"

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one feed.
type Config struct {
	// URL is the feed's address: an absolute http or https URL serving RSS
	// (0.9x, 1.0 or 2.0), Atom or JSON Feed. Required.
	URL string `yaml:"url"`
	// Kind is what the feed's items are, as post kinds: "article" (the
	// default) for a blog or news feed, "comment" for a comments feed such
	// as WordPress's /comments/feed/, or "post", "reply", "review". For
	// comments the post text is the comment alone, without the "Comment on
	// X by Y" title.
	Kind earshot.Kind `yaml:"kind"`
	// Source names where the posts come from; it prefixes their IDs
	// ("rss:https://blog.example/?p=1"). Default "rss". Letters, digits,
	// ".", "_" and "-" only.
	Source string `yaml:"source"`
	// Limits: max_bytes caps the size of the feed body, after
	// decompression; a larger body is an error, never silently truncated
	// (default 10 MiB). timeout bounds one fetch, from request to parsed
	// feed (default 30s).
	collectors.Limits `yaml:",inline"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Kind:   earshot.KindArticle,
		Source: "rss",
		Limits: collectors.DefaultLimits(),
	}
}

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	if err := collectors.Checks(bad, collectors.URLCheck("url", c.URL, "required")); err != nil {
		return err
	}
	if !c.Kind.Valid() {
		return bad("kind", fmt.Sprintf("must be one of article, comment, post, reply, review (got %q)", c.Kind))
	}
	return collectors.Checks(bad, collectors.SourceCheck(c.Source),
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout))
}

// Collector collects the items of one feed. It is safe for concurrent use,
// though the caller normally runs one Collect at a time, passing each the
// cursor the previous one returned.
type Collector struct {
	collectors.Base[Config]
	url *url.URL
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. Zero fields of deps get
// collectors' defaults.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.URL) // checked by Validate
	return &Collector{Base: collectors.NewBase(name, cfg, deps), url: u}, nil
}

// Collect fetches the feed and returns the items not yet collected, in feed
// order, and the cursor to pass next time (see the package documentation).
// It returns earshot.ErrNotModified when the server answers 304, and a
// *collectors.RetryAfterError (wrapping earshot.ErrRateLimited) on 429 or
// 503.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	cur := collectors.LoadCursor[state](cursor, cursorVersion, c.Deps.Log)
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()

	body, validators, err := c.fetch(ctx, cur)
	if err != nil {
		return nil, cursor, err
	}
	feed, err := c.parse(body)
	if err != nil {
		return nil, cursor, err
	}

	now := c.Deps.Now()
	posts := make([]earshot.Post, 0, len(feed.Items))
	var items []seenItem
	taken := make(map[string]bool, len(feed.Items)) // a feed may repeat an item
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		p, key := c.post(feed, it, now)
		at := itemTime(it)
		si := seenItem{Key: key}
		if !at.IsZero() {
			si.At = at.Unix()
		}
		items = append(items, si)
		if taken[key] || cur.seen(key, at) {
			continue
		}
		taken[key] = true
		posts = append(posts, p)
	}
	cur.remember(items, maxSeen)
	cur.Validators = validators
	c.Deps.Log.Debug("fetched feed", "items", len(feed.Items), "new", len(posts))
	return posts, cur.String(), nil
}

// fetch GETs the feed, conditionally when cur has validators, and returns
// the body and the response's validators.
func (c *Collector) fetch(ctx context.Context, cur state) ([]byte, collectors.Validators, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Cfg.URL, nil)
	if err != nil {
		return nil, collectors.Validators{}, fmt.Errorf("fetching %s: %w", collectors.Redact(c.url), err)
	}
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
	cur.Validators.Ask(req.Header)
	resp, err := collectors.Fetch(c.Deps, req, c.Cfg.MaxBytes)
	if err != nil {
		return nil, collectors.Validators{}, err
	}
	return resp.Body, collectors.ValidatorsOf(resp.Header), nil
}

// parse parses body as RSS, Atom or JSON Feed. A feed declared (or
// defaulting) to UTF-8 that holds invalid bytes would fail as a whole in
// the XML parser, so those bytes become U+FFFD first: one bad comment must
// not hide the rest.
func (c *Collector) parse(body []byte) (*gofeed.Feed, error) {
	if !utf8.Valid(body) && declaredUTF8(body) {
		c.Deps.Log.Debug("feed has invalid UTF-8; replacing the bad bytes")
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return feedparse.Parse(body, collectors.Redact(c.url), "an RSS, Atom or JSON feed")
}

var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']`)

// declaredUTF8 reports whether body is meant to be UTF-8: JSON, or XML with
// no encoding declared or UTF-8 declared. A UTF-16 body (with its byte
// order mark) is not.
func declaredUTF8(body []byte) bool {
	if bytes.HasPrefix(body, []byte{0xFE, 0xFF}) || bytes.HasPrefix(body, []byte{0xFF, 0xFE}) {
		return false
	}
	head := body[:min(len(body), 256)]
	m := xmlEncoding.FindSubmatch(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")))
	if m == nil {
		return true
	}
	enc := string(bytes.ToLower(m[1]))
	return enc == "utf-8" || enc == "utf8"
}
