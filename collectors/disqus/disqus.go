package disqus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the collector kind this package registers; it is also the
// source of the posts and the prefix of their IDs.
const Kind = "disqus"

// limit is the page size asked of Disqus, its maximum.
const limit = 100

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures one Disqus forum (a site's comments).
type Config struct {
	// Forum is the forum's short name, as in acmecloud.disqus.com.
	// Required.
	Forum string `yaml:"forum"`
	// APIKey is the public key of a Disqus API application, as
	// "env:NAME" or "file:/path". Required.
	APIKey collectors.Secret `yaml:"api_key"`
	// BrandAuthors are the usernames (or user IDs) of the brand's own
	// Disqus accounts: their posts are marked as the brand's.
	BrandAuthors []string `yaml:"brand_authors"`
	// Backfill is how far back the first run (with no cursor) collects.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// Reread is how long after it was written a post is read again, so
	// that an edit is collected. Default 24h.
	Reread time.Duration `yaml:"reread"`
	// MaxPages caps the requests (of 100 posts) of one run; the next run
	// carries on where it stopped. Default 10.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
	// BaseURL is the API's root. Default https://disqus.com/api/3.0.
	BaseURL string `yaml:"base_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Backfill: 24 * time.Hour,
		Reread:   24 * time.Hour,
		MaxPages: 10,
		Limits:   collectors.DefaultLimits(),
		BaseURL:  "https://disqus.com/api/3.0",
	}
}

var forumPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case c.Forum == "":
		return bad("forum", "required (the forum's short name, as in SHORTNAME.disqus.com)")
	case !forumPattern.MatchString(c.Forum):
		return bad("forum", fmt.Sprintf("%q is not a forum short name (letters, digits, '-' and '_')", c.Forum))
	case c.APIKey == "":
		return bad("api_key", `required (the public key of a Disqus API application, as "env:NAME" or "file:/path")`)
	case c.Backfill <= 0:
		return bad("backfill", "must be a positive duration such as 24h")
	case c.Reread < 0:
		return bad("reread", "must be a duration such as 24h, or 0s")
	}
	return collectors.Checks(bad,
		collectors.MaxPagesCheck(c.MaxPages), collectors.MaxBytesCheck(c.MaxBytes),
		collectors.TimeoutCheck(c.Timeout),
		collectors.BaseURLCheck("base_url", c.BaseURL))
}

// Collector collects the posts of one Disqus forum. It is safe for
// concurrent use, though the caller normally runs one Collect at a time,
// passing each the cursor the previous one returned.
type Collector struct {
	collectors.Base[Config]
	api string
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
		api:  strings.TrimSuffix(cfg.BaseURL, "/") + "/forums/listPosts.json",
	}, nil
}

// Collect returns the posts written since the cursor, oldest first, and
// those of the last Reread that were edited since they were collected (see
// the package documentation). When nothing was collected an error is
// returned as is, with the cursor unchanged; an error after some pages is
// logged, and the posts are returned with a cursor to carry on from.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now().UTC()
	var st state
	fresh := cursor == ""
	if !fresh {
		var err error
		if st, err = parseCursor(cursor, c.Cfg.Forum); err != nil {
			c.Deps.Log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
			fresh = true
		}
	}
	if fresh {
		st = state{Forum: c.Cfg.Forum, RereadWindow: collectors.NewRereadWindow[string](now, c.Cfg.Backfill)}
	}
	key, err := c.Cfg.APIKey.Resolve(nil)
	if err != nil {
		return nil, cursor, &collectors.ConfigError{Kind: Kind, Name: c.Name(), Key: "api_key", Err: err}
	}

	q := st.Resume
	st.Resume = nil
	if q == nil {
		q = &resume{Since: st.Start(now, c.Cfg.Reread)}
	}
	var posts []earshot.Post
	pages := 0
	for {
		if pages >= c.Cfg.MaxPages {
			st.Resume = q
			c.Deps.Log.Info("stopping at max_pages; the next run carries on")
			break
		}
		var list []post
		var next string
		var exhausted bool
		list, next, exhausted, err = c.page(ctx, key, q.Since, q.Cursor, now)
		if err != nil {
			if pages > 0 {
				st.Resume = q
			}
			break
		}
		pages++
		for _, p := range list {
			if out, ok := c.take(&st, p, q.Since, now); ok {
				posts = append(posts, out)
			}
		}
		if next == "" {
			break
		}
		q.Cursor = next
		if exhausted {
			st.Resume = q
			c.Deps.Log.Info("request quota used up; the next run carries on")
			break
		}
	}
	if err != nil && pages == 0 {
		return nil, cursor, err
	}
	if err != nil {
		c.Deps.Log.Warn("stopped early; the next run carries on", "err", err, "posts", len(posts))
	}
	if st.Resume == nil {
		st.Prune(st.Window(now, c.Cfg.Reread))
	}
	c.Deps.Log.Debug("collected", "posts", len(posts), "requests", pages)
	return posts, st.String(), nil
}

// take returns the Post of p when it is new or edited, and records it in
// st.
func (c *Collector) take(st *state, p post, from int64, now time.Time) (earshot.Post, bool) {
	created, ok := p.created()
	if !ok || p.ID == "" {
		c.Deps.Log.Debug("skipping post without an ID or a readable createdAt", "id", p.ID)
		return earshot.Post{}, false
	}
	if created.Unix() < from {
		return earshot.Post{}, false
	}
	if p.IsDeleted || p.IsSpam {
		c.Deps.Log.Debug("skipping deleted or spam post", "id", p.ID)
		return earshot.Post{}, false
	}
	take, edited := st.Take(p.ID, created.Unix(), p.hash())
	if !take {
		return earshot.Post{}, false
	}
	if edited {
		c.Deps.Log.Debug("post edited", "id", p.ID, "is_edited", p.IsEdited)
	}
	return p.toPost(created, now, c.Cfg.BrandAuthors), true
}

// Disqus error codes (https://disqus.com/api/docs/errors/).
var (
	rateLimitCodes = []int{13, 14}
	authCodes      = []int{4, 5, 9, 11, 12, 17, 18}
)

// page fetches one page of the forum's posts created since since, from
// Disqus's cursor (empty: the first page). next is the cursor of the next
// page, empty at the end; exhausted says the hourly quota is used up.
func (c *Collector) page(ctx context.Context, key string, since int64, cur string, now time.Time) (list []post, next string, exhausted bool, err error) {
	q := url.Values{
		"forum":   {c.Cfg.Forum},
		"api_key": {key},
		"since":   {strconv.FormatInt(since, 10)},
		"order":   {"asc"},
		"limit":   {strconv.Itoa(limit)},
		"related": {"thread"},
	}
	if cur != "" {
		q.Set("cursor", cur)
	}
	u, err := url.Parse(c.api + "?" + q.Encode())
	if err != nil {
		return nil, "", false, fmt.Errorf("requesting %s: %w", c.api, err)
	}
	where := collectors.Redact(u)
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	var l listing
	resp, err := collectors.GetJSON(ctx, c.Deps, u.String(), nil, c.Cfg.MaxBytes, &l)
	var se *collectors.StatusError
	if errors.As(err, &se) {
		var body listing
		if json.Unmarshal(se.Body, &body) == nil && body.Code != nil {
			return nil, "", false, codeError(where, *body.Code, se.Header, now, se)
		}
	}
	if err != nil {
		return nil, "", false, err
	}
	if l.Code == nil {
		return nil, "", false, fmt.Errorf("decoding %s: not a Disqus answer", where)
	}
	if *l.Code != 0 {
		return nil, "", false, codeError(where, *l.Code, resp.Header, now, nil)
	}
	if err := json.Unmarshal(l.Response, &list); err != nil {
		return nil, "", false, fmt.Errorf("decoding %s: %w", where, err)
	}
	if l.Cursor.HasNext && len(list) > 0 {
		next = l.Cursor.Next
	}
	_, exhausted = collectors.Exhausted(resp.Header, now)
	return list, next, exhausted, nil
}

// codeError turns a Disqus error code into an error: a rate limit, refused
// credentials, or another error naming the code. Disqus's message stays
// out: it may repeat what was sent.
func codeError(where string, code int, h http.Header, now time.Time, se *collectors.StatusError) error {
	switch {
	case slices.Contains(rateLimitCodes, code):
		return &collectors.RetryAfterError{Source: where, Status: fmt.Sprintf("Disqus error %d", code), Wait: collectors.RateLimitWait(h, now)}
	case slices.Contains(authCodes, code):
		return fmt.Errorf("requesting %s: Disqus error %d: %w", where, code, collectors.ErrUnauthorized)
	case se != nil:
		return fmt.Errorf("%w (Disqus error %d)", se, code)
	}
	return fmt.Errorf("requesting %s: Disqus error %d", where, code)
}
