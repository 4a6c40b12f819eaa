package hackernews

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the collector kind this package registers; it is also the
// source of the posts and the prefix of their IDs.
const Kind = "hackernews"

// hitsPerPage is the page size asked of Algolia.
const hitsPerPage = 100

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one Hacker News search.
type Config struct {
	// Query is the search: stories and comments containing all its words
	// ("acme cloud"), or a phrase in double quotes. Required.
	Query string `yaml:"query"`
	// Backfill is how far back the first run (with no cursor) collects.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages caps the requests of one run (of 100 hits each). A run that
	// reaches it remembers where it stopped and the next run carries on.
	// Default 10.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
	// BaseURL is the search API's root. Default
	// https://hn.algolia.com/api/v1; tests point it elsewhere.
	BaseURL string `yaml:"base_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Backfill: 24 * time.Hour,
		MaxPages: 10,
		Limits:   collectors.DefaultLimits(),
		BaseURL:  "https://hn.algolia.com/api/v1",
	}
}

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case strings.TrimSpace(c.Query) == "":
		return bad("query", "required")
	case len(c.Query) > 512:
		return bad("query", "longer than 512 bytes")
	}
	return collectors.Checks(bad,
		collectors.BackfillCheck(c.Backfill), collectors.MaxPagesCheck(c.MaxPages),
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout),
		collectors.BaseURLCheck("base_url", c.BaseURL))
}

// Collector collects the Hacker News stories and comments matching one
// query. It is safe for concurrent use, though the caller normally runs one
// Collect at a time, passing each the cursor the previous one returned.
type Collector struct {
	collectors.Base[Config]
	base string

	mu sync.Mutex
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
		Base: collectors.NewBase(name, cfg, deps),
		base: strings.TrimSuffix(cfg.BaseURL, "/"),
	}, nil
}

// Collect returns the stories and comments created since the cursor, newest
// first, then those of the gaps earlier runs left, and the cursor to pass
// next time (see the package documentation). An error on the first request
// is returned as is, with the cursor unchanged: a *collectors.RetryAfterError
// on 429 or 503. An error after some posts were collected is logged, and the
// posts are returned with a cursor that remembers what is left.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	if wait := c.wait(now); wait > 0 {
		return nil, cursor, &collectors.RetryAfterError{Source: c.base, Wait: wait}
	}
	st, err := parseCursor(cursor, c.Cfg.Query)
	if err != nil {
		c.Deps.Log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
	}
	if err != nil || cursor == "" {
		st = state{Query: c.Cfg.Query, Newest: now.Add(-c.Cfg.Backfill).Unix()}
	}

	r := &run{c: c, now: now, seen: map[string]bool{}}
	gaps := st.Gaps
	st.Gaps = nil
	// New posts first: they matter most during a crisis.
	rest, done, err := r.collect(ctx, window{From: st.Newest, FromIDs: st.NewestIDs}, true)
	if r.newest > st.Newest {
		st.Newest, st.NewestIDs = r.newest, r.newestIDs
	} else if r.newest == st.Newest {
		st.NewestIDs = collectors.UnionIDs(st.NewestIDs, r.newestIDs)
	}
	if !done && rest.To != 0 { // To is 0 when nothing came: Newest still covers it
		st.addGap(rest)
	}
	for _, g := range gaps {
		if err == nil && !r.stop {
			g, done, err = r.collect(ctx, g, false)
			if done {
				continue
			}
		}
		st.addGap(g)
	}
	return collectors.EndRun(cursor, st.String(), r.posts, err, now, c.waitUntil, c.Deps.Log,
		"requests", r.pages, "gaps", len(st.Gaps))
}

// run is the state of one Collect.
type run struct {
	c     *Collector
	now   time.Time
	pages int
	// stop is set when the run must make no more requests.
	stop  bool
	posts []earshot.Post
	seen  map[string]bool
	// newest and newestIDs are the newest second among the hits of the
	// open window and the IDs at it.
	newest    int64
	newestIDs []string
}

// collect pages through w, newest first. It returns done when all of w was
// collected, else the part of w left, or w itself if nothing was collected.
// open says w is the window of new posts, which has no upper bound.
func (r *run) collect(ctx context.Context, w window, open bool) (rest window, done bool, err error) {
	var (
		page      int
		oldest    int64 // the oldest second collected so far; 0 for none
		oldestIDs []string
	)
	left := func() window {
		if oldest == 0 {
			return w
		}
		ids := oldestIDs
		if oldest == w.To {
			ids = collectors.UnionIDs(w.ToIDs, ids)
		}
		return window{From: w.From, FromIDs: w.FromIDs, To: oldest, ToIDs: ids}
	}
	for {
		if r.pages >= r.c.Cfg.MaxPages {
			r.stop = true
			return left(), false, nil
		}
		res, exhausted, err := r.c.search(ctx, w, page, r.now)
		if err != nil {
			return left(), false, err
		}
		r.pages++
		for _, h := range res.Hits {
			t := h.CreatedAtI
			if t < w.From || (w.To != 0 && t > w.To) || w.skip(h.ObjectID, t) {
				continue
			}
			switch {
			case oldest == 0 || t < oldest:
				oldest, oldestIDs = t, []string{h.ObjectID}
			case t == oldest:
				oldestIDs = collectors.UnionIDs(oldestIDs, []string{h.ObjectID})
			}
			if open {
				switch {
				case t > r.newest:
					r.newest, r.newestIDs = t, []string{h.ObjectID}
				case t == r.newest:
					r.newestIDs = collectors.UnionIDs(r.newestIDs, []string{h.ObjectID})
				}
			}
			r.take(h)
		}
		if open && w.To == 0 && r.newest != 0 {
			// Pin the window's top, so that posts arriving while we page
			// do not shift the pages under us.
			w.To = r.newest
		}
		if exhausted {
			r.stop = true
			return left(), false, nil
		}
		if len(res.Hits) > 0 && page+1 < res.NbPages {
			page++
			continue
		}
		// Algolia pages through at most 1000 hits of a query; when more
		// match, page again through those older than the oldest seen.
		per := cmp.Or(res.HitsPerPage, hitsPerPage)
		if res.NbHits > (page+1)*per && oldest != 0 {
			next := left()
			if next.To != w.To || len(next.ToIDs) != len(w.ToIDs) {
				w, page = next, 0
				continue
			}
			r.c.Deps.Log.Warn("more hits at one second than the API pages through; some are skipped",
				"second", time.Unix(oldest, 0).UTC().Format(time.RFC3339))
		}
		return window{}, true, nil
	}
}

// take adds the post of h, once per run.
func (r *run) take(h hit) {
	if r.seen[h.ObjectID] {
		return
	}
	r.seen[h.ObjectID] = true
	p, ok := h.post(r.now)
	if !ok {
		r.c.Deps.Log.Debug("skipping hit without text", "id", h.ObjectID)
		return
	}
	r.posts = append(r.posts, p)
}

// search asks for one page of w. exhausted says the API has no request
// left for us until its reset, which the collector then waits for.
func (c *Collector) search(ctx context.Context, w window, page int, now time.Time) (res searchResult, exhausted bool, err error) {
	filter := "created_at_i>=" + strconv.FormatInt(w.From, 10)
	if w.To != 0 {
		filter += ",created_at_i<=" + strconv.FormatInt(w.To, 10)
	}
	q := url.Values{
		"query":          {c.Cfg.Query},
		"tags":           {"(story,comment)"},
		"numericFilters": {filter},
		"hitsPerPage":    {strconv.Itoa(hitsPerPage)},
		"page":           {strconv.Itoa(page)},
	}
	u := c.base + "/search_by_date?" + q.Encode()
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	resp, err := collectors.GetJSON(ctx, c.Deps, u, nil, c.Cfg.MaxBytes, &res)
	if err != nil {
		return res, false, err
	}
	if res.Hits == nil {
		return res, false, fmt.Errorf("decoding %s/search_by_date: no hits in the response", c.base)
	}
	wait, exhausted := collectors.Exhausted(resp.Header, now)
	if exhausted {
		c.waitUntil(now.Add(wait))
		c.Deps.Log.Info("request quota used up; pausing", "for", wait.String())
	}
	return res, exhausted, nil
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
