package bluesky

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the collector kind this package registers.
const Kind = "bluesky"

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one Bluesky search.
type Config struct {
	// Query is the search, in the syntax of app.bsky.feed.searchPosts
	// ("acme cloud", "#acmecloud", "from:acme.example outage"). Required.
	Query string `yaml:"query"`
	// BaseURL is the AppView answering without credentials. Default
	// https://public.api.bsky.app.
	BaseURL string `yaml:"base_url"`
	// PDS is the server of the account in Identifier: the collector logs
	// in there and, once logged in, sends every request there (it passes
	// them on to the AppView). Default https://bsky.social.
	PDS string `yaml:"pds"`
	// Identifier is the account's handle or DID, to log in with
	// AppPassword. Optional; both or neither.
	Identifier string `yaml:"identifier"`
	// AppPassword is an app password of that account (Settings > Privacy
	// and security > App passwords), as "env:NAME" or "file:/path".
	AppPassword collectors.Secret `yaml:"app_password"`
	// Backfill is how far back the first run (with no cursor) reaches.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages bounds the search requests in one run (100 posts a page).
	// What a run leaves is fetched by the next. Default 10.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		BaseURL:  "https://public.api.bsky.app",
		PDS:      "https://bsky.social",
		Backfill: 24 * time.Hour,
		MaxPages: 10,
		Limits:   collectors.DefaultLimits(),
	}
}

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	if strings.TrimSpace(c.Query) == "" {
		return bad("query", "required")
	}
	for key, v := range map[string]string{"base_url": c.BaseURL, "pds": c.PDS} {
		if !collectors.ValidBaseURL(v) {
			return bad(key, collectors.BaseURLProblem+", such as https://bsky.social")
		}
	}
	if c.Identifier != "" && c.AppPassword == "" {
		return bad("app_password", "required with identifier")
	}
	if c.Identifier == "" && c.AppPassword != "" {
		return bad("identifier", "required with app_password")
	}
	return collectors.Checks(bad,
		collectors.BackfillCheck(c.Backfill), collectors.MaxPagesCheck(c.MaxPages),
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout))
}

// Collector collects the posts matching one search. The caller runs one
// Collect at a time, passing each the cursor the previous one returned.
type Collector struct {
	collectors.Base[Config]
	mu sync.Mutex
	// backoff is when the server allows requests again after telling us
	// to stop; Collect refuses before then without a request.
	backoff collectors.Backoff
	// followers caches follower counts by DID.
	followers map[string]followerCount

	sessMu sync.Mutex
	sess   *session
}

type followerCount struct {
	n  int64
	at time.Time
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. It checks that the app
// password, if any, can be read (an unset variable, a missing file).
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	if cfg.AppPassword != "" {
		if _, err := cfg.AppPassword.Resolve(nil); err != nil {
			return nil, &collectors.ConfigError{Kind: Kind, Name: name, Key: "app_password", Err: err}
		}
	}
	cfg.Query = strings.TrimSpace(cfg.Query)
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	cfg.PDS = strings.TrimSuffix(cfg.PDS, "/")
	deps = deps.WithDefaults()
	deps.HTTP = withXRPCErrors(deps.HTTP)
	return &Collector{Base: collectors.NewBase(name, cfg, deps), followers: make(map[string]followerCount)}, nil
}

// run is the state of one Collect.
type run struct {
	now   time.Time
	pages int  // successful search requests so far
	stop  bool // the server asked us to stop
	posts []earshot.Post
	dids  []string // posts[i]'s author
	taken map[string]bool
}

// Collect searches for what is new since cursor, then for what earlier
// runs left unfetched, and returns the posts, newest first, with the
// cursor to pass next time (see the package documentation).
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	if wait := c.backoff.Wait(now); wait > 0 {
		return nil, cursor, &collectors.RetryAfterError{Source: c.host(), Wait: wait}
	}
	cur := collectors.LoadCursor[state](cursor, cursorVersion, c.Deps.Log)
	if cur.Query != "" && cur.Query != c.Cfg.Query {
		c.Deps.Log.Info("the query changed; starting afresh")
		cur = state{}
	}
	r := &run{now: now, taken: make(map[string]bool)}

	head := span{Since: cur.Top, SinceURIs: cur.TopURIs}
	if cur.Top.IsZero() {
		head = span{Since: now.Add(-c.Cfg.Backfill).UTC().Truncate(time.Millisecond)}
	}
	todo := append([]span{head}, cur.Gaps...)
	next := state{Query: c.Cfg.Query, Top: cur.Top, TopURIs: cur.TopURIs}
	budget := c.Cfg.MaxPages
	for i, sp := range todo {
		if r.stop || budget <= 0 {
			if i > 0 {
				next.Gaps = append(next.Gaps, sp)
			}
			continue
		}
		w, err := c.walk(ctx, r, sp, &budget)
		if i == 0 && !w.newest.IsZero() {
			next.Top, next.TopURIs = raise(next.Top, next.TopURIs, w.newest, w.newestURIs)
		}
		if err != nil {
			var ra *collectors.RetryAfterError
			if !errors.As(err, &ra) || r.pages == 0 {
				return nil, cursor, err
			}
			// Keep what this run has: the cursor records what is left.
			c.pause(r, ra.Wait)
			c.Deps.Log.Info("rate limited; stopping early, the rest comes next run", "retry_in", ra.Wait.String())
		}
		if !w.done && (i > 0 || w.fetched) {
			next.Gaps = append(next.Gaps, w.rest)
		}
	}
	if len(next.Gaps) > maxGaps {
		c.Deps.Log.Warn("too many gaps; merging the oldest (some posts will come twice)", "gaps", len(next.Gaps))
		next.Gaps = mergeOldest(next.Gaps, maxGaps)
	}
	if err := c.addFollowers(ctx, r); err != nil {
		return nil, cursor, err
	}
	c.Deps.Log.Debug("collected", "requests", r.pages, "posts", len(r.posts))
	return r.posts, next.String(), nil
}

// host is where requests go: the PDS once logged in, else the AppView.
func (c *Collector) host() string {
	if c.Cfg.Identifier != "" {
		return c.Cfg.PDS
	}
	return c.Cfg.BaseURL
}

// pause stops the run and remembers when the server allows requests
// again.
func (c *Collector) pause(r *run, wait time.Duration) {
	r.stop = true
	if wait > 0 {
		c.backoff.Until(r.now.Add(wait))
	}
}

// walked is what walk did with a span.
type walked struct {
	done       bool // the span is fully fetched
	fetched    bool // at least one page came
	rest       span // what is left when not done
	newest     time.Time
	newestURIs []string
}

// pageSize is the most posts searchPosts returns a request.
const pageSize = 100

// walk pages through the search between sp's ends, newest first, with
// the server's cursor, until the end of the results, the budget runs out
// or the server asks us to stop.
func (c *Collector) walk(ctx context.Context, r *run, sp span, budget *int) (walked, error) {
	w := walked{rest: sp}
	skip := make(map[string]bool, len(sp.SinceURIs)+len(sp.UntilURIs))
	for _, u := range slices.Concat(sp.SinceURIs, sp.UntilURIs) {
		skip[u] = true
	}
	q := url.Values{}
	q.Set("q", c.Cfg.Query)
	q.Set("sort", "latest")
	q.Set("limit", strconv.Itoa(pageSize))
	q.Set("since", formatTime(sp.Since))
	if !sp.Until.IsZero() {
		// until is exclusive; the span's upper end is not.
		q.Set("until", formatTime(sp.Until.Add(time.Millisecond)))
	}
	for *budget > 0 && !r.stop {
		var res searchResult
		resp, err := c.get(ctx, "app.bsky.feed.searchPosts", q, &res)
		if err != nil {
			return w, err
		}
		*budget--
		r.pages++
		w.fetched = true
		if d, ok := collectors.Exhausted(resp.Header, r.now); ok {
			c.pause(r, d)
			c.Deps.Log.Info("rate limit exhausted; stopping early, the rest comes next run", "retry_in", d.String())
		}
		for _, p := range res.Posts {
			if p.URI == "" {
				continue
			}
			if at, ok := p.sortAt(); ok {
				w.newest, w.newestURIs = raise(w.newest, w.newestURIs, at, []string{p.URI})
				w.rest.Until, w.rest.UntilURIs = lower(w.rest.Until, w.rest.UntilURIs, at, p.URI)
			}
			if !skip[p.URI] {
				c.take(r, p)
			}
		}
		if len(res.Posts) == 0 || res.Cursor == "" {
			w.done = true
			return w, nil
		}
		q.Set("cursor", res.Cursor)
	}
	return w, nil
}

// take adds the post to the run's posts, once.
func (c *Collector) take(r *run, p postView) {
	post := c.post(p, r.now)
	if r.taken[post.ID] {
		return
	}
	r.taken[post.ID] = true
	r.posts = append(r.posts, post)
	r.dids = append(r.dids, p.Author.DID)
}

// raise returns the later of (top, uris) and (at, more), the URIs of both
// when they are at the same time.
func raise(top time.Time, uris []string, at time.Time, more []string) (time.Time, []string) {
	switch {
	case top.IsZero() || at.After(top):
		return at, slices.Clone(more)
	case at.Equal(top):
		return top, collectors.UnionIDs(uris, more)
	}
	return top, uris
}

// lower lowers the upper end of a rest span to at: a zero end (the head's
// "now") or a later one moves down; at the same time the URI joins those
// already collected there.
func lower(end time.Time, uris []string, at time.Time, uri string) (time.Time, []string) {
	switch {
	case end.IsZero() || at.Before(end):
		return at, []string{uri}
	case at.Equal(end):
		return end, collectors.UnionIDs(uris, []string{uri})
	}
	return end, uris
}

// Follower counts are cached this long, and at most maxFollowers of them.
const (
	followersTTL = 6 * time.Hour
	maxFollowers = 20000
	profileBatch = 25 // the most actors getProfiles takes
)

// addFollowers sets the authors' follower counts, from the cache or from
// app.bsky.actor.getProfiles in batches. Counts it cannot get stay 0: a
// failed lookup is logged, not an error, but for refused credentials.
func (c *Collector) addFollowers(ctx context.Context, r *run) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var missing []string
	for _, did := range r.dids {
		f, ok := c.followers[did]
		if (!ok || r.now.Sub(f.at) > followersTTL) && !slices.Contains(missing, did) {
			missing = append(missing, did)
		}
	}
	if len(c.followers)+len(missing) > maxFollowers {
		for did, f := range c.followers {
			if r.now.Sub(f.at) > followersTTL {
				delete(c.followers, did)
			}
		}
		if len(c.followers)+len(missing) > maxFollowers {
			clear(c.followers)
		}
	}
	for batch := range slices.Chunk(missing, profileBatch) {
		if r.stop {
			break
		}
		q := url.Values{"actors": batch}
		var res profilesResult
		resp, err := c.get(ctx, "app.bsky.actor.getProfiles", q, &res)
		var ra *collectors.RetryAfterError
		switch {
		case errors.Is(err, collectors.ErrUnauthorized):
			return err
		case errors.As(err, &ra):
			c.pause(r, ra.Wait)
			c.Deps.Log.Info("rate limited looking up followers; leaving the rest unknown", "retry_in", ra.Wait.String())
			continue
		case err != nil:
			c.Deps.Log.Warn("looking up followers failed; leaving them unknown", "err", err)
			r.stop = true
			continue
		}
		if d, ok := collectors.Exhausted(resp.Header, r.now); ok {
			c.pause(r, d)
		}
		for _, p := range res.Profiles {
			c.followers[p.DID] = followerCount{n: p.FollowersCount, at: r.now}
		}
	}
	for i, did := range r.dids {
		r.posts[i].Author.Followers = c.followers[did].n
	}
	return nil
}

// get calls an XRPC query and decodes its answer into v: with the
// session's access token once logged in, renewing the session once when
// the token is refused.
func (c *Collector) get(ctx context.Context, method string, q url.Values, v any) (*collectors.Response, error) {
	u := c.host() + "/xrpc/" + method + "?" + q.Encode()
	if c.Cfg.Identifier == "" {
		ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
		defer cancel()
		return collectors.GetJSON(ctx, c.Deps, u, nil, c.Cfg.MaxBytes, v)
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.accessToken(ctx)
		if err != nil {
			return nil, err
		}
		h := http.Header{"Authorization": {"Bearer " + tok}}
		resp, err := func() (*collectors.Response, error) {
			ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
			defer cancel()
			return collectors.GetJSON(ctx, c.Deps, u, h, c.Cfg.MaxBytes, v)
		}()
		if attempt > 0 || !errors.Is(err, collectors.ErrUnauthorized) {
			return resp, err
		}
		c.Deps.Log.Debug("access token refused; renewing the session", "err", err)
		if err := c.renew(ctx, tok); err != nil {
			return nil, err
		}
	}
}
