package twitter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gotwitter "github.com/dghubble/go-twitter/twitter"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/internal/snowflake"
)

// Kind is the collector kind this package registers.
const Kind = "twitter"

// Source is the source of the posts, the prefix of their IDs. The twitter_v2
// collector uses the same, so a tweet collected by both is stored once.
const Source = "twitter"

// apiHost is the host go-twitter sends every request to.
const apiHost = "api.twitter.com"

// searchPath is the path of the standard search endpoint.
const searchPath = "/1.1/search/tweets.json"

// pageSize is the number of tweets asked for per page, the API's maximum.
const pageSize = 100

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one search.
type Config struct {
	// Query is the search query, in the standard search operators:
	// `"Acme Cloud" OR @acmecloud -filter:retweets`. Required.
	Query string `yaml:"query"`
	// BearerToken is the app-only bearer token of a Twitter/X developer
	// app: "env:NAME" reads it from the environment, "file:/path" from a
	// file. Required.
	BearerToken collectors.Secret `yaml:"bearer_token"`
	// Backfill is how far back the first run (with no cursor) reaches.
	// Default 24h; at most 168h, the reach of the standard search.
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages bounds the pages (of 100 tweets) one run fetches; what it
	// leaves is fetched by the next runs. Default 10.
	MaxPages int `yaml:"max_pages"`
	// BaseURL replaces https://api.twitter.com, for a proxy or a test
	// server. Default empty: the API itself.
	BaseURL           string `yaml:"base_url"`
	collectors.Limits `yaml:",inline"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Backfill: 24 * time.Hour,
		MaxPages: 10,
		Limits:   collectors.DefaultLimits(),
	}
}

// Validate checks c without touching the network or resolving the token.
// name is the collector's name, used in the error, a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	checks := append(snowflake.SearchChecks(c.Query, c.BearerToken, c.Backfill, c.MaxPages, "standard"),
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout))
	if c.BaseURL != "" {
		checks = append(checks, collectors.BaseURLCheck("base_url", c.BaseURL))
	}
	return collectors.Checks(collectors.ConfigProblem(Kind, name), checks...)
}

// Collector runs one search. It is safe for concurrent use, though the
// caller normally runs one Collect at a time, passing each the cursor the
// previous one returned.
type Collector struct {
	collectors.Base[Config]
	token string // resolved; never logged, never in an error
	base  *url.URL
	where string // the endpoint, for errors

	backoff collectors.Backoff // the rate-limit window's reset, when it ran out
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. Zero fields of deps get
// collectors' defaults.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	token, err := cfg.BearerToken.Resolve(nil)
	if err != nil {
		return nil, &collectors.ConfigError{Kind: Kind, Name: name, Key: "bearer_token", Problem: "resolving", Err: err}
	}
	base := &url.URL{Scheme: "https", Host: apiHost}
	if cfg.BaseURL != "" {
		base, _ = url.Parse(strings.TrimSuffix(cfg.BaseURL, "/")) // checked by Validate
	}
	return &Collector{
		Base:  collectors.NewBase(name, cfg, deps),
		token: token,
		base:  base,
		where: base.String() + searchPath,
	}, nil
}

// Collect searches for the tweets posted since the cursor (see the package
// documentation) and returns them, newest first, with the cursor to pass
// next time. A run that the rate limit or max_pages stops early returns
// what it fetched and a cursor that remembers the rest.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	if wait := c.backoff.Wait(now); wait > 0 {
		return nil, cursor, &collectors.RetryAfterError{Source: c.where, Wait: wait}
	}
	r := &collectors.IDRun[gotwitter.Tweet]{
		Now: now, Budget: c.Cfg.MaxPages, Backoff: &c.backoff, Log: c.Deps.Log,
		// The v1.1 search pages back by max_id, which is inclusive.
		Narrow: true,
		Fetch: func(ctx context.Context, since, until int64, _ string) (collectors.IDPage[gotwitter.Tweet], error) {
			maxID := int64(0)
			if until != 0 {
				maxID = until - 1
			}
			search, header, err := c.search(ctx, since, maxID)
			if err != nil {
				return collectors.IDPage[gotwitter.Tweet]{}, err
			}
			return collectors.IDPage[gotwitter.Tweet]{
				Items: search.Statuses, Header: header, Next: search.Metadata.NextResults,
				Post: func(t *gotwitter.Tweet) (earshot.Post, bool) {
					p, ok := c.post(t, now)
					if !ok {
						c.Deps.Log.Debug("skipping a tweet without an id")
					}
					return p, ok
				},
			}, nil
		},
		// A result without an ID gets 0, which is never in range.
		ID: func(t *gotwitter.Tweet) (int64, bool) { return tweetID(t), true },
	}
	return r.Collect(ctx, cursor, snowflake.Search(now), snowflake.At(now.Add(-c.Cfg.Backfill)))
}

// search fetches one page of results with sinceID < id <= maxID.
func (c *Collector) search(ctx context.Context, sinceID, maxID int64) (*gotwitter.Search, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	client := gotwitter.NewClient(c.httpClient(ctx))
	search, resp, err := client.Search.Tweets(&gotwitter.SearchTweetParams{
		Query:           c.Cfg.Query,
		ResultType:      "recent",
		Count:           pageSize,
		SinceID:         sinceID,
		MaxID:           maxID,
		IncludeEntities: gotwitter.Bool(false),
		TweetMode:       "extended",
	})
	if resp != nil {
		if err := c.statusError(resp, err); err != nil {
			return nil, nil, err
		}
	}
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // its message repeats the URL with the query
		}
		var big *tooLargeError
		if errors.As(err, &big) {
			return nil, nil, fmt.Errorf("reading %s: %w", c.where, err)
		}
		if resp == nil {
			return nil, nil, fmt.Errorf("requesting %s: %w", c.where, err)
		}
		return nil, nil, fmt.Errorf("decoding %s: %w", c.where, c.scrub(err))
	}
	if resp.ContentLength == 0 {
		return nil, nil, fmt.Errorf("decoding %s: empty body", c.where)
	}
	if search == nil || search.Metadata == nil {
		return nil, nil, fmt.Errorf("decoding %s: no search_metadata in the response", c.where)
	}
	return search, resp.Header, nil
}

// statusError turns a response that is not a 2xx into the error
// collectors.Fetch would give, adding the message of the API's error body
// (apiErr, as go-twitter decoded it) when there is one.
func (c *Collector) statusError(resp *http.Response, apiErr error) error {
	s := resp.StatusCode
	if s >= 200 && s <= 299 {
		return nil
	}
	detail := ""
	var ae gotwitter.APIError
	if errors.As(apiErr, &ae) && len(ae.Errors) > 0 {
		msg := ae.Errors[0].Message
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
		detail = fmt.Sprintf(" (code %d: %s)", ae.Errors[0].Code, c.scrubString(msg))
	}
	switch {
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		return &collectors.RetryAfterError{Source: c.where, Status: resp.Status, Wait: collectors.RateLimitWait(resp.Header, c.Deps.Now())}
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return fmt.Errorf("requesting %s: %s%s: %w", c.where, resp.Status, detail, collectors.ErrUnauthorized)
	}
	return fmt.Errorf("requesting %s: unexpected status %s%s", c.where, resp.Status, detail)
}

// scrub keeps the token out of an error that may quote the response.
func (c *Collector) scrub(err error) error {
	if c.token == "" || !strings.Contains(err.Error(), c.token) {
		return err
	}
	return errors.New(c.scrubString(err.Error()))
}

func (c *Collector) scrubString(s string) string {
	if c.token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.token, "[redacted]")
}

// tweetID returns the ID of a search result, 0 if it has none.
func tweetID(t *gotwitter.Tweet) int64 {
	if t.IDStr != "" {
		if id, err := strconv.ParseInt(t.IDStr, 10, 64); err == nil {
			return id
		}
	}
	return t.ID
}
