package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the collector kind this package registers.
const Kind = "mastodon"

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one Mastodon instance.
type Config struct {
	// Instance is the server's base URL, "https://mastodon.social".
	// Required. Statuses from the whole fediverse reach it as far as its
	// users follow them; pick instances where your customers are.
	Instance string `yaml:"instance"`
	// Hashtags are followed through the instance's hashtag timelines, with
	// or without the leading "#". Hashtags or Query (or both) are required.
	Hashtags []string `yaml:"hashtags"`
	// Query is a full-text status search (GET /api/v2/search). Most
	// instances search statuses only for a logged-in user: set
	// AccessToken.
	Query string `yaml:"query"`
	// AccessToken is an application's access token with the read:search
	// and read:statuses scopes, as "env:NAME" or "file:/path". Optional for
	// hashtag timelines on instances that show them to visitors.
	AccessToken collectors.Secret `yaml:"access_token"`
	// Backfill is how far back the first run (with no cursor) reaches.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages bounds the requests for one hashtag or the query in one
	// run (40 statuses a page). What a run leaves is fetched by the next.
	// Default 10.
	MaxPages          int `yaml:"max_pages"`
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

// Mastodon allows letters, digits, "_" and the middle dot in hashtags.
var hashtagPattern = regexp.MustCompile(`^[\p{L}\p{N}_\x{00B7}]+$`)

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	if c.Instance == "" {
		return bad("instance", "required")
	}
	if !collectors.ValidBaseURL(c.Instance) {
		return bad("instance", collectors.BaseURLProblem+", such as https://mastodon.social")
	}
	if len(c.Hashtags) == 0 && strings.TrimSpace(c.Query) == "" {
		return bad("hashtags", "hashtags or query required")
	}
	for i, h := range c.Hashtags {
		if !hashtagPattern.MatchString(strings.TrimPrefix(h, "#")) {
			return bad(fmt.Sprintf("hashtags[%d]", i), fmt.Sprintf("%q is not a hashtag (letters, digits and _)", h))
		}
	}
	return collectors.Checks(bad,
		collectors.BackfillCheck(c.Backfill), collectors.MaxPagesCheck(c.MaxPages),
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout))
}

// Collector collects one instance's hashtag timelines and status search.
// The caller runs one Collect at a time, passing each the cursor the
// previous one returned.
type Collector struct {
	collectors.Base[Config]
	base string // instance URL without a trailing slash
	host string

	mu sync.Mutex
	// backoff is when the instance allows requests again after telling
	// us to stop; Collect refuses before then without a request.
	backoff collectors.Backoff
	// parents maps local status IDs to canonical URIs across runs, so that
	// a reply's parent is looked up once.
	parents map[string]string
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. It checks that the access
// token, if any, can be read (an unset variable, a missing file).
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	if cfg.AccessToken != "" {
		if _, err := cfg.AccessToken.Resolve(nil); err != nil {
			return nil, &collectors.ConfigError{Kind: Kind, Name: name, Key: "access_token", Err: err}
		}
	}
	for i, h := range cfg.Hashtags {
		cfg.Hashtags[i] = strings.TrimPrefix(h, "#")
	}
	cfg.Query = strings.TrimSpace(cfg.Query)
	u, _ := url.Parse(cfg.Instance) // checked by Validate
	return &Collector{
		Base:    collectors.NewBase(name, cfg, deps),
		base:    strings.TrimSuffix(cfg.Instance, "/"),
		host:    u.Host,
		parents: make(map[string]string),
	}, nil
}

// stream is one thing followed: a hashtag timeline or the search.
type stream struct {
	key    string // in the cursor: "tag:acme", "search:acme cloud"
	tag    string
	search bool
}

func (c *Collector) streams() []stream {
	var ss []stream
	for _, h := range c.Cfg.Hashtags {
		ss = append(ss, stream{key: "tag:" + strings.ToLower(h), tag: h})
	}
	if c.Cfg.Query != "" {
		ss = append(ss, stream{key: "search:" + c.Cfg.Query, search: true})
	}
	return ss
}

// run is the state of one Collect.
type run struct {
	now    time.Time
	header http.Header
	pages  int  // successful requests so far
	stop   bool // the instance asked us to stop
	posts  []earshot.Post
	taken  map[string]bool   // post IDs returned
	uris   map[string]string // local status ID -> canonical URI, this run
	// replyTo holds, for posts[i] that reply, the parent's local ID.
	replyTo map[int]string
}

// Collect fetches what is new in every hashtag timeline and the search
// since cursor, then what earlier runs left unfetched, and returns the
// posts (each once, newest first per stream) with the cursor to pass next
// time (see the package documentation).
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	if wait := c.backoff.Wait(now); wait > 0 {
		return nil, cursor, &collectors.RetryAfterError{Source: c.base, Wait: wait}
	}
	cur := collectors.LoadCursor[state](cursor, cursorVersion, c.Deps.Log)
	r := &run{
		now:     now,
		header:  http.Header{},
		taken:   make(map[string]bool),
		uris:    make(map[string]string),
		replyTo: make(map[int]string),
	}
	if c.Cfg.AccessToken != "" {
		tok, err := c.Cfg.AccessToken.Resolve(nil)
		if err != nil {
			return nil, cursor, fmt.Errorf("reading access_token: %w", err)
		}
		r.header.Set("Authorization", "Bearer "+tok)
	}

	next := state{Streams: make(map[string]streamState)}
	for _, s := range c.streams() {
		st, err := c.collectStream(ctx, r, s, cur.Streams[s.key])
		if err != nil {
			return nil, cursor, err
		}
		next.Streams[s.key] = st
	}
	c.resolveParents(ctx, r)
	c.Deps.Log.Debug("collected", "requests", r.pages, "posts", len(r.posts))
	return r.posts, next.String(), nil
}

// collectStream walks the new part of one stream (from its newest status
// down to the top of the last run) and then its gaps, newest first, within
// MaxPages requests, and returns the stream's next state.
func (c *Collector) collectStream(ctx context.Context, r *run, s stream, st streamState) (streamState, error) {
	head := span{Since: st.Top}
	if st.Top == "" {
		head.NotBefore = r.now.Add(-c.Cfg.Backfill).UTC()
	}
	todo := append([]span{head}, st.Gaps...)
	next := streamState{Top: st.Top}
	budget := c.Cfg.MaxPages
	for i, sp := range todo {
		if r.stop || budget <= 0 {
			if i > 0 {
				next.Gaps = append(next.Gaps, sp)
			}
			continue
		}
		w, err := c.walk(ctx, r, s, sp, &budget)
		if i == 0 && w.newest != "" && (next.Top == "" || compareIDs(w.newest, next.Top) > 0) {
			next.Top = w.newest
		}
		if err != nil {
			var ra *collectors.RetryAfterError
			if !errors.As(err, &ra) || r.pages == 0 {
				return st, err
			}
			// Keep what this run has: the cursor records what is left.
			c.pause(r, ra.Wait)
			c.Deps.Log.Info("rate limited; stopping early, the rest comes next run", "stream", s.key, "retry_in", ra.Wait.String())
		}
		if !w.done && (i > 0 || w.fetched) {
			next.Gaps = append(next.Gaps, w.rest)
		}
	}
	if len(next.Gaps) > maxGaps {
		c.Deps.Log.Warn("too many gaps; merging the oldest (some statuses will come twice)", "stream", s.key, "gaps", len(next.Gaps))
		next.Gaps = mergeOldest(next.Gaps, maxGaps)
	}
	return next, nil
}

// pause stops the run and remembers when the instance allows requests
// again.
func (c *Collector) pause(r *run, wait time.Duration) {
	r.stop = true
	if wait > 0 {
		c.backoff.Until(r.now.Add(wait))
	}
}

// walked is what walk did with a span.
type walked struct {
	done    bool   // the span is fully fetched
	fetched bool   // at least one page came
	rest    span   // what is left when not done
	newest  string // the newest status ID seen
}

// pageSize is the most statuses Mastodon returns a request.
const pageSize = 40

// walk pages back through sp from its upper end, newest first, until it
// reaches the span's lower end, the budget runs out or the instance asks
// us to stop.
func (c *Collector) walk(ctx context.Context, r *run, s stream, sp span, budget *int) (walked, error) {
	w := walked{rest: sp}
	offset := 0
	for *budget > 0 && !r.stop {
		maxID := w.rest.Max
		if s.search {
			maxID = sp.Max // fixed bounds, paged by offset
		}
		page, resp, err := c.page(ctx, r, s, sp, maxID, offset)
		if err != nil {
			return w, err
		}
		*budget--
		r.pages++
		w.fetched = true
		if d, ok := collectors.Exhausted(resp.Header, r.now); ok {
			c.pause(r, d)
			c.Deps.Log.Info("rate limit exhausted; stopping early, the rest comes next run", "stream", s.key, "retry_in", d.String())
		}
		oldest, floor := "", false
		for _, st := range page {
			if st.ID == "" {
				continue
			}
			// Search bounds are whole seconds: drop what lies outside.
			if s.search && ((sp.Since != "" && compareIDs(st.ID, sp.Since) <= 0) ||
				(sp.Max != "" && compareIDs(st.ID, sp.Max) >= 0)) {
				continue
			}
			if oldest == "" || compareIDs(st.ID, oldest) < 0 {
				oldest = st.ID
			}
			if !sp.NotBefore.IsZero() {
				if t, ok := parseTime(st.CreatedAt); ok && t.Before(sp.NotBefore) {
					floor = true
					continue
				}
			}
			if w.newest == "" || compareIDs(st.ID, w.newest) > 0 {
				w.newest = st.ID
			}
			c.take(r, st)
		}
		if len(page) == 0 || floor {
			w.done = true
			return w, nil
		}
		if s.search {
			// Search pages by offset within fixed bounds; a page may come
			// short when the instance filters results, so only an empty
			// page ends it.
			offset += pageSize
			if oldest != "" {
				w.rest.Max = oldest
			}
			continue
		}
		more, maxID := nextLink(resp.Header)
		switch {
		case maxID != "":
			w.rest.Max = maxID
		case oldest != "":
			w.rest.Max = oldest
		}
		if !more && (resp.Header.Get("Link") != "" || len(page) < pageSize) {
			w.done = true
			return w, nil
		}
	}
	return w, nil
}

// page fetches one page of a stream between sp's lower end and max.
func (c *Collector) page(ctx context.Context, r *run, s stream, sp span, maxID string, offset int) ([]status, *collectors.Response, error) {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(pageSize))
	var u string
	if s.search {
		u = c.base + "/api/v2/search"
		q.Set("q", c.Cfg.Query)
		q.Set("type", "statuses")
		q.Set("resolve", "false")
		// Mastodon turns min_id and max_id into after: and before: at
		// whole seconds: widen the upper bound to the end of its second
		// (walk drops what lies outside the span).
		switch {
		case sp.Since != "":
			q.Set("min_id", sp.Since)
		case !sp.NotBefore.IsZero():
			q.Set("min_id", snowflake(sp.NotBefore))
		}
		if maxID != "" {
			q.Set("max_id", widen(maxID))
		}
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
	} else {
		u = c.base + "/api/v1/timelines/tag/" + url.PathEscape(s.tag)
		if sp.Since != "" {
			q.Set("since_id", sp.Since)
		}
		if maxID != "" {
			q.Set("max_id", maxID)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	u += "?" + q.Encode()
	if s.search {
		var res searchResult
		resp, err := collectors.GetJSON(ctx, c.Deps, u, r.header, c.Cfg.MaxBytes, &res)
		if err != nil {
			return nil, nil, err
		}
		return res.Statuses, resp, nil
	}
	var page []status
	resp, err := collectors.GetJSON(ctx, c.Deps, u, r.header, c.Cfg.MaxBytes, &page)
	if err != nil {
		return nil, nil, err
	}
	return page, resp, nil
}

// take adds the status (the original, for a boost) to the run's posts,
// once.
func (c *Collector) take(r *run, st status) {
	orig := st
	if st.Reblog != nil {
		orig = *st.Reblog
	}
	p := c.post(orig, r.now)
	if orig.ID != "" && orig.URI != "" {
		r.uris[orig.ID] = orig.URI
	}
	if r.taken[p.ID] {
		return
	}
	r.taken[p.ID] = true
	if orig.InReplyToID != "" {
		r.replyTo[len(r.posts)] = orig.InReplyToID
	}
	r.posts = append(r.posts, p)
}

// maxLookups bounds the parent statuses looked up in one run; maxParents
// bounds the local-ID-to-URI memory.
const (
	maxLookups = 20
	maxParents = 10000
)

// resolveParents sets the ParentID of replies: Mastodon gives the parent's
// ID local to the instance, while post IDs use the canonical URI, so the
// parent's URI comes from this run's statuses, from memory, or from
// GET /api/v1/statuses/:id. A parent that cannot be looked up (deleted,
// private, the lookup budget spent) leaves ParentID empty.
func (c *Collector) resolveParents(ctx context.Context, r *run) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.parents)+len(r.uris) > maxParents {
		clear(c.parents)
	}
	for id, uri := range r.uris {
		c.parents[id] = uri
	}
	lookups := 0
	for i := range r.posts {
		local, ok := r.replyTo[i]
		if !ok {
			continue
		}
		uri, known := c.parents[local]
		if !known && lookups < maxLookups && !r.stop {
			lookups++
			var err error
			uri, err = c.lookup(ctx, r, local)
			var ra *collectors.RetryAfterError
			switch {
			case errors.As(err, &ra):
				r.stop = true
				c.Deps.Log.Info("rate limited looking up reply parents; leaving the rest without a parent", "retry_in", ra.Wait.String())
			case err != nil:
				c.Deps.Log.Debug("looking up a reply's parent failed", "status", local, "err", err)
			default:
				c.parents[local] = uri
			}
		}
		if uri != "" {
			r.posts[i].ParentID = earshot.PostID(Kind, uri)
		}
	}
}

func (c *Collector) lookup(ctx context.Context, r *run, local string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	var st status
	resp, err := collectors.GetJSON(ctx, c.Deps, c.base+"/api/v1/statuses/"+url.PathEscape(local), r.header, c.Cfg.MaxBytes, &st)
	if err != nil {
		return "", err
	}
	if d, ok := collectors.Exhausted(resp.Header, r.now); ok {
		c.pause(r, d)
	}
	if st.URI == "" {
		return "", fmt.Errorf("status %s has no uri", local)
	}
	return st.URI, nil
}

// nextLink reads the Link header's rel="next" target and its max_id:
// Mastodon sends it when a page is full.
func nextLink(h http.Header) (more bool, maxID string) {
	for _, v := range h.Values("Link") {
		for part := range strings.SplitSeq(v, ",") {
			target, params, ok := strings.Cut(part, ";")
			if !ok || !strings.Contains(strings.ReplaceAll(params, " ", ""), `rel="next"`) {
				continue
			}
			target = strings.Trim(strings.TrimSpace(target), "<>")
			u, err := url.Parse(target)
			if err != nil {
				return true, ""
			}
			return true, u.Query().Get("max_id")
		}
	}
	return false, ""
}
