package reddit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the collector kind this package registers; it is also the
// source of the posts and the prefix of their IDs.
const Kind = "reddit"

// pageSize is the listing page size asked of Reddit, its maximum.
const pageSize = 100

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one Reddit collector: a search, subreddits to follow,
// or both.
type Config struct {
	// ClientID and ClientSecret are the credentials of a Reddit app of type
	// "script" or "web" (https://www.reddit.com/prefs/apps), as
	// "env:NAME" or "file:/path". Required.
	ClientID     collectors.Secret `yaml:"client_id"`
	ClientSecret collectors.Secret `yaml:"client_secret"`
	// UserAgent identifies the app to Reddit, which throttles or blocks
	// generic ones: "<platform>:<app ID>:<version> (by /u/<username>)",
	// such as "linux:earshot:v0.1 (by /u/acme_comms)". Required.
	UserAgent string `yaml:"user_agent"`
	// Query searches all of Reddit's posts (links and text posts; Reddit's
	// search does not cover comments), newest first.
	Query string `yaml:"query"`
	// Subreddits are followed whole: every new post and every new comment
	// ("acmecloud", without "r/").
	Subreddits []string `yaml:"subreddits"`
	// SearchSubreddits are searched for Query alone, for busy communities
	// where only mentions matter. Needs Query.
	SearchSubreddits []string `yaml:"search_subreddits"`
	// Backfill is how far back the first run (with no cursor) collects.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages caps the requests (of 100 items) of one run for each
	// search and listing. A run that reaches it remembers where it stopped
	// and the next run carries on. Reddit serves about 1000 items of a
	// listing: older ones are out of reach. Default 10.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
	// AuthURL is the OAuth token endpoint. Default
	// https://www.reddit.com/api/v1/access_token.
	AuthURL string `yaml:"auth_url"`
	// APIURL is the root of the API. Default https://oauth.reddit.com.
	APIURL string `yaml:"api_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Backfill: 24 * time.Hour,
		MaxPages: 10,
		Limits:   collectors.DefaultLimits(),
		AuthURL:  "https://www.reddit.com/api/v1/access_token",
		APIURL:   "https://oauth.reddit.com",
	}
}

var (
	subredditPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_]{1,20}$`)
	// userAgentPattern is Reddit's rule, loosely:
	// "<platform>:<app ID>:<version> (by /u/<username>...)".
	userAgentPattern = regexp.MustCompile(`^[^\s:]+:[^\s:]+:\S+ \(by /?u/[A-Za-z0-9_-]{3,20}\b[^)]*\)$`)
)

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case c.ClientID == "":
		return bad("client_id", `required (the app's ID, as "env:NAME" or "file:/path")`)
	case c.ClientSecret == "":
		return bad("client_secret", `required (the app's secret, as "env:NAME" or "file:/path")`)
	case strings.TrimSpace(c.UserAgent) == "":
		return bad("user_agent", `required: Reddit blocks generic agents; use "<platform>:<app ID>:<version> (by /u/<username>)", such as "linux:earshot:v0.1 (by /u/acme_comms)"`)
	case !userAgentPattern.MatchString(c.UserAgent):
		return bad("user_agent", fmt.Sprintf(`%q is too generic for Reddit; use "<platform>:<app ID>:<version> (by /u/<username>)", such as "linux:earshot:v0.1 (by /u/acme_comms)"`, c.UserAgent))
	case strings.TrimSpace(c.Query) == "" && len(c.Subreddits) == 0:
		return bad("query", "query or subreddits required")
	case len(c.Query) > 512:
		return bad("query", "longer than 512 bytes")
	case len(c.SearchSubreddits) > 0 && strings.TrimSpace(c.Query) == "":
		return bad("search_subreddits", "needs query")
	}
	if err := collectors.Checks(bad,
		collectors.BackfillCheck(c.Backfill), collectors.MaxPagesCheck(c.MaxPages),
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout)); err != nil {
		return err
	}
	for key, subs := range map[string][]string{"subreddits": c.Subreddits, "search_subreddits": c.SearchSubreddits} {
		for _, s := range subs {
			if !subredditPattern.MatchString(strings.TrimPrefix(s, "r/")) {
				return bad(key, fmt.Sprintf("%q is not a subreddit name (letters, digits and _, without /r/)", s))
			}
		}
	}
	for key, v := range map[string]string{"auth_url": c.AuthURL, "api_url": c.APIURL} {
		if !collectors.ValidBaseURL(v) {
			return bad(key, collectors.BaseURLProblem)
		}
	}
	return nil
}

// stream is one listing the collector follows: a search, or a subreddit's
// new posts or comments.
type stream struct {
	// key names the stream in the cursor; it changes with the query, so a
	// new query starts with a backfill.
	key    string
	path   string
	params url.Values
}

func streams(c Config) []stream {
	var out []stream
	search := func(path string, restrict bool) stream {
		p := url.Values{"q": {c.Query}, "sort": {"new"}, "type": {"link"}}
		key := strings.TrimPrefix(path, "/")
		if restrict {
			p.Set("restrict_sr", "1")
		}
		return stream{key: key + ":" + c.Query, path: path, params: p}
	}
	if strings.TrimSpace(c.Query) != "" {
		out = append(out, search("/search", false))
	}
	for _, s := range c.SearchSubreddits {
		out = append(out, search("/r/"+subName(s)+"/search", true))
	}
	for _, s := range c.Subreddits {
		s = subName(s)
		out = append(out,
			stream{key: "r/" + s + "/new", path: "/r/" + s + "/new", params: url.Values{}},
			stream{key: "r/" + s + "/comments", path: "/r/" + s + "/comments", params: url.Values{}})
	}
	return out
}

func subName(s string) string { return strings.ToLower(strings.TrimPrefix(s, "r/")) }

// Collector collects Reddit posts and comments through the OAuth API, as
// an app with no user ("application only"). It is safe for concurrent use,
// though the caller normally runs one Collect at a time, passing each the
// cursor the previous one returned.
type Collector struct {
	collectors.Base[Config]
	api     string
	streams []stream

	mu  sync.Mutex
	tok token
	// notBefore is when the API lets us ask again, after it said we had
	// used up our requests.
	notBefore time.Time
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. Zero fields of deps get
// collectors' defaults.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	return &Collector{
		Base:    collectors.NewBase(name, cfg, deps),
		api:     strings.TrimSuffix(cfg.APIURL, "/"),
		streams: streams(cfg),
	}, nil
}

// Collect returns what each stream has new since the cursor, newest first,
// then the posts of the gaps earlier runs left, and the cursor to pass next
// time (see the package documentation). When nothing was collected, an
// error is returned as is with the cursor unchanged: a
// *collectors.RetryAfterError on 429 or 503, an error wrapping
// collectors.ErrUnauthorized when Reddit refuses the credentials. Errors
// after some posts were collected are logged, and the posts are returned
// with a cursor that remembers what is left.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	if wait := c.wait(now); wait > 0 {
		return nil, cursor, &collectors.RetryAfterError{Source: c.api, Wait: wait}
	}
	old, err := parseCursor(cursor)
	if err != nil {
		c.Deps.Log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
	}
	st := state{Streams: map[string]*streamState{}}
	pending := map[string][]window{}
	for _, s := range c.streams {
		ss := old.Streams[s.key]
		if ss == nil {
			ss = &streamState{Newest: now.Add(-c.Cfg.Backfill).Unix()}
		}
		pending[s.key], ss.Gaps = ss.Gaps, nil
		st.Streams[s.key] = ss
	}

	r := &run{c: c, now: now, seen: map[string]bool{}, pages: map[string]int{}, failed: map[string]bool{}}
	// New posts of every stream first: they matter most during a crisis.
	for _, s := range c.streams {
		ss := st.Streams[s.key]
		if r.halt {
			continue
		}
		w := window{From: ss.Newest, FromIDs: ss.NewestIDs}
		rest, done, newest, newestIDs, err := r.collect(ctx, s, w, true)
		if newest > ss.Newest {
			ss.Newest, ss.NewestIDs = newest, newestIDs
		} else if newest == ss.Newest {
			ss.NewestIDs = collectors.UnionIDs(ss.NewestIDs, newestIDs)
		}
		if !done && rest.To != 0 { // To is 0 when nothing came: Newest still covers it
			ss.addGap(rest)
		}
		r.fail(s, err)
	}
	// Then the gaps.
	for _, s := range c.streams {
		ss := st.Streams[s.key]
		for _, g := range pending[s.key] {
			if !r.halt && !r.failed[s.key] {
				var (
					done bool
					err  error
				)
				g, done, _, _, err = r.collect(ctx, s, g, false)
				r.fail(s, err)
				if done {
					continue
				}
			}
			ss.addGap(g)
		}
	}

	if r.err != nil {
		if len(r.posts) == 0 {
			return nil, cursor, r.err
		}
		c.Deps.Log.Warn("stopped early; the next run carries on", "err", r.err, "posts", len(r.posts))
	}
	c.Deps.Log.Debug("collected", "posts", len(r.posts), "requests", r.requests)
	return r.posts, st.String(), nil
}

// run is the state of one Collect.
type run struct {
	c   *Collector
	now time.Time
	// pages counts the listing pages fetched per stream.
	pages    map[string]int
	requests int
	// halt is set when the run must make no more requests: a rate limit,
	// credentials refused.
	halt bool
	// failed marks the streams that failed in this run; err is the first
	// failure.
	failed  map[string]bool
	err     error
	renewed bool
	posts   []earshot.Post
	seen    map[string]bool
}

// fail records err, if any, as stream s's failure.
func (r *run) fail(s stream, err error) {
	if err == nil {
		return
	}
	r.failed[s.key] = true
	var ra *collectors.RetryAfterError
	if errors.As(err, &ra) {
		r.c.waitUntil(r.now.Add(ra.Wait))
		r.halt = true
	}
	if errors.Is(err, errToken) {
		r.halt = true
	}
	if r.err == nil {
		r.err = err
	} else {
		r.c.Deps.Log.Warn("stream failed", "stream", s.key, "err", err)
	}
}

// collect pages through the listing of s over w, newest first. It returns
// done when all of w was collected, else the part of w left (or w itself if
// nothing was collected). For the window of new posts (open) it also
// returns the newest second collected and the IDs collected at it.
func (r *run) collect(ctx context.Context, s stream, w window, open bool) (rest window, done bool, newest int64, newestIDs []string, err error) {
	var (
		after     = w.After
		oldest    int64 // the oldest second collected; 0 for none
		oldestIDs []string
		restarted bool
	)
	left := func() window {
		if oldest == 0 {
			w.After = after
			return w
		}
		ids := oldestIDs
		if oldest == w.To {
			ids = collectors.UnionIDs(w.ToIDs, ids)
		}
		return window{After: after, From: w.From, FromIDs: w.FromIDs, To: oldest, ToIDs: ids}
	}
	for {
		if r.halt || r.pages[s.key] >= r.c.Cfg.MaxPages {
			return left(), false, newest, newestIDs, nil
		}
		l, exhausted, err := r.c.listing(ctx, r, s, after)
		if err != nil {
			return left(), false, newest, newestIDs, err
		}
		r.pages[s.key]++
		reached := false
		for _, th := range l.Data.Children {
			id, t := th.Data.Name, th.Data.created()
			if !fullnamePattern.MatchString(id) {
				continue
			}
			if t < w.From {
				reached = true
				continue
			}
			if w.skip(id, t) {
				continue
			}
			switch {
			case oldest == 0 || t < oldest:
				oldest, oldestIDs = t, []string{id}
			case t == oldest:
				oldestIDs = collectors.UnionIDs(oldestIDs, []string{id})
			}
			if open {
				switch {
				case t > newest:
					newest, newestIDs = t, []string{id}
				case t == newest:
					newestIDs = collectors.UnionIDs(newestIDs, []string{id})
				}
			}
			r.take(th)
		}
		if n := len(l.Data.Children); n > 0 {
			after = cmp.Or(l.Data.After, l.Data.Children[n-1].Data.Name)
		}
		if exhausted {
			r.halt = true
		}
		if reached {
			return window{}, true, newest, newestIDs, nil
		}
		if len(l.Data.Children) == 0 && after != "" && !restarted {
			// Reddit answers an empty page when the item to page on from
			// is gone (deleted, removed). Page again from the top, once:
			// what is newer than the window, or collected already, is
			// skipped.
			r.c.Deps.Log.Info("listing position gone; paging again from the top", "stream", s.key)
			after, restarted = "", true
			continue
		}
		if l.Data.After == "" || len(l.Data.Children) == 0 {
			// Reddit serves about 1000 items of a listing; older ones are
			// out of reach.
			if !open || oldest != 0 {
				r.c.Deps.Log.Info("listing ends before the window's start; older posts are out of reach",
					"stream", s.key, "from", time.Unix(w.From, 0).UTC().Format(time.RFC3339))
			}
			return window{}, true, newest, newestIDs, nil
		}
		if exhausted {
			return left(), false, newest, newestIDs, nil
		}
	}
}

// take adds the post of th, once per run.
func (r *run) take(th thing) {
	id := th.Data.Name
	if r.seen[id] {
		return
	}
	r.seen[id] = true
	p, ok := th.post(r.now)
	if !ok {
		r.c.Deps.Log.Debug("skipping deleted, removed or unknown item", "id", id, "kind", th.Kind)
		return
	}
	r.posts = append(r.posts, p)
}

// listing fetches one page of s's listing after the fullname after. A 401
// (or 403) gets a new token and one more try per run. exhausted says Reddit
// has no request left for us until its reset, which the collector then
// waits for.
func (c *Collector) listing(ctx context.Context, r *run, s stream, after string) (l listing, exhausted bool, err error) {
	q := url.Values{}
	for k, v := range s.params {
		q[k] = v
	}
	q.Set("limit", fmt.Sprint(pageSize))
	q.Set("raw_json", "1")
	if after != "" {
		q.Set("after", after)
	}
	u := c.api + s.path + "?" + q.Encode()
	for {
		tok, err := c.token(ctx, r)
		if err != nil {
			return l, false, err
		}
		h := http.Header{"Authorization": {"bearer " + tok}, "User-Agent": {c.Cfg.UserAgent}}
		rctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
		l = listing{}
		resp, err := collectors.GetJSON(rctx, c.Deps, u, h, c.Cfg.MaxBytes, &l)
		cancel()
		r.requests++
		if errors.Is(err, collectors.ErrUnauthorized) && !r.renewed {
			// The token may have expired early or been revoked.
			r.renewed = true
			c.forgetToken(tok)
			continue
		}
		if err != nil {
			return l, false, err
		}
		if l.Kind != "Listing" {
			return l, false, fmt.Errorf("decoding %s%s: not a listing", c.api, s.path)
		}
		wait, exhausted := collectors.Exhausted(resp.Header, r.now)
		if exhausted {
			c.waitUntil(r.now.Add(wait))
			c.Deps.Log.Info("request quota used up; pausing", "for", wait.String(),
				"used", resp.Header.Get("X-Ratelimit-Used"))
		}
		return l, exhausted, nil
	}
}

// wait returns how long the API asked us to wait still.
func (c *Collector) wait(now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.notBefore.Sub(now)
}

func (c *Collector) waitUntil(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.notBefore) {
		c.notBefore = t
	}
}
