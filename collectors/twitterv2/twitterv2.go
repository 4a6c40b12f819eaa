package twitterv2

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/internal/snowflake"
)

// Kind is the collector kind this package registers.
const Kind = "twitter_v2"

// Source is the source of the posts, the prefix of their IDs: the same as
// the v1.1 collector's, so a tweet collected by both is stored once.
const Source = "twitter"

// DefaultBaseURL is the API's address.
const DefaultBaseURL = "https://api.twitter.com"

// searchPath is the path of the recent search endpoint.
const searchPath = "/2/tweets/search/recent"

// The fields asked for. referenced_tweets.id.author_id brings the authors
// of retweeted and quoted tweets, so a retweet can be collected as its
// original with the original's author; note_tweet holds the whole text of
// a tweet longer than 280 characters.
const (
	expansions  = "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
	userFields  = "public_metrics,username,name"
	tweetFields = "created_at,lang,public_metrics,conversation_id,referenced_tweets,author_id,note_tweet"
)

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one search.
type Config struct {
	// Query is the search query, in the v2 search operators:
	// `("Acme Cloud" OR @acmecloud) -is:retweet lang:en`. Required.
	Query string `yaml:"query"`
	// BearerToken is the app-only bearer token of an X developer app:
	// "env:NAME" reads it from the environment, "file:/path" from a file.
	// Required.
	BearerToken collectors.Secret `yaml:"bearer_token"`
	// Backfill is how far back the first run (with no cursor) reaches.
	// Default 24h; at most 168h, the reach of the recent search.
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages bounds the pages one run fetches; what it leaves is fetched
	// by the next runs. Default 10.
	MaxPages int `yaml:"max_pages"`
	// MaxResults is the number of tweets per page, 10 to 100. Default 100.
	MaxResults int `yaml:"max_results"`
	// BaseURL is the API's address, for a proxy or a test server. Default
	// https://api.twitter.com.
	BaseURL           string `yaml:"base_url"`
	collectors.Limits `yaml:",inline"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Backfill:   24 * time.Hour,
		MaxPages:   10,
		MaxResults: 100,
		BaseURL:    DefaultBaseURL,
		Limits:     collectors.DefaultLimits(),
	}
}

// Validate checks c without touching the network or resolving the token.
// name is the collector's name, used in the error, a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	checks := append(snowflake.SearchChecks(c.Query, c.BearerToken, c.Backfill, c.MaxPages, "recent"),
		collectors.Check{Key: "max_results", OK: c.MaxResults >= 10 && c.MaxResults <= 100, Problem: "must be between 10 and 100"},
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout),
		collectors.BaseURLCheck("base_url", c.BaseURL))
	return collectors.Checks(collectors.ConfigProblem(Kind, name), checks...)
}

// Collector runs one search. It is safe for concurrent use, though the
// caller normally runs one Collect at a time, passing each the cursor the
// previous one returned.
type Collector struct {
	collectors.Base[Config]
	endpoint string
	token    string      // resolved; never logged, never in an error
	header   http.Header // carries the token

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
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	deps = deps.WithDefaults()
	// The API does not redirect, and a redirect must not carry the token
	// elsewhere (net/http keeps it for another port or scheme of the same
	// host): redirects are not followed, a 3xx is an error.
	deps.HTTP = &http.Client{
		Transport: deps.HTTP.Transport,
		Jar:       deps.HTTP.Jar,
		Timeout:   deps.HTTP.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return &Collector{
		Base:     collectors.NewBase(name, cfg, deps),
		endpoint: strings.TrimSuffix(cfg.BaseURL, "/") + searchPath,
		token:    token,
		header:   h,
	}, nil
}

// Collect searches for the tweets posted since the cursor (see the package
// documentation) and returns them, newest first, with the cursor to pass
// next time. A run that the rate limit or max_pages stops early returns
// what it fetched and a cursor that remembers the rest.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	if wait := c.backoff.Wait(now); wait > 0 {
		return nil, cursor, &collectors.RetryAfterError{Source: c.endpoint, Wait: wait}
	}
	r := &collectors.IDRun[tweet]{
		Now: now, Budget: c.Cfg.MaxPages, Backoff: &c.backoff, Log: c.Deps.Log,
		// The v2 search pages (with next_token) through the same range.
		Fetch: func(ctx context.Context, since, until int64, token string) (collectors.IDPage[tweet], error) {
			pg, header, err := c.search(ctx, since, until, token)
			if err != nil {
				return collectors.IDPage[tweet]{}, err
			}
			for _, e := range pg.Errors {
				c.Deps.Log.Debug("partial error in the search results", "title", e.Title, "detail", e.Detail)
			}
			inc := pg.index()
			return collectors.IDPage[tweet]{
				Items: pg.Data, Header: header, Next: pg.Meta.NextToken,
				Post: func(t *tweet) (earshot.Post, bool) {
					p, ok := c.post(t, inc, now)
					if !ok {
						c.Deps.Log.Debug("skipping a retweet whose original is not in the response", "id", t.ID)
					}
					return p, ok
				},
			}, nil
		},
		ID: func(t *tweet) (int64, bool) {
			id, err := strconv.ParseInt(t.ID, 10, 64)
			return id, err == nil
		},
	}
	return r.Collect(ctx, cursor, snowflake.Search(now), snowflake.At(now.Add(-c.Cfg.Backfill)))
}

// search fetches one page of results with sinceID < id < untilID, or the
// page token names.
func (c *Collector) search(ctx context.Context, sinceID, untilID int64, token string) (*page, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	q := url.Values{}
	q.Set("query", c.Cfg.Query)
	q.Set("max_results", strconv.Itoa(c.Cfg.MaxResults))
	q.Set("since_id", snowflake.Format(sinceID))
	if untilID != 0 {
		q.Set("until_id", snowflake.Format(untilID))
	}
	if token != "" {
		q.Set("next_token", token)
	}
	q.Set("expansions", expansions)
	q.Set("user.fields", userFields)
	q.Set("tweet.fields", tweetFields)
	var pg page
	resp, err := collectors.GetJSON(ctx, c.Deps, c.endpoint+"?"+q.Encode(), c.header, c.Cfg.MaxBytes, &pg)
	if err != nil {
		return nil, nil, err
	}
	if pg.Meta == nil {
		detail := ""
		if len(pg.Errors) > 0 {
			detail = ": " + strings.ReplaceAll(pg.Errors[0].String(), c.token, "[redacted]")
		}
		return nil, nil, fmt.Errorf("decoding %s: no meta in the response%s", c.endpoint, detail)
	}
	return &pg, resp.Header, nil
}
