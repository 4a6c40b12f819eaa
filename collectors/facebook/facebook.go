package facebook

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the collector kind this package registers; it is also the
// source of the posts and the prefix of their IDs.
const Kind = "facebook"

// Page sizes asked of the Graph API: posts per feed page, comments per
// comments page.
const (
	postsPerPage    = 25
	commentsPerPage = 100
)

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures the collection of one Facebook Page.
type Config struct {
	// PageID is the numeric ID of the Page (in the Page's "About" tab, or
	// GET /me with its token). Required.
	PageID string `yaml:"page_id"`
	// AccessToken is a Page access token with pages_read_engagement and
	// pages_read_user_content (for the authors of comments), as
	// "env:NAME" or "file:/path". Required.
	AccessToken collectors.Secret `yaml:"access_token"`
	// APIVersion is the Graph API version, "v21.0". Default v21.0.
	APIVersion string `yaml:"api_version"`
	// BrandAccounts are the IDs of the Page's own accounts: their posts and
	// replies are marked as the brand's. Default: the page itself.
	BrandAccounts []string `yaml:"brand_accounts"`
	// Backfill is how far back the first run (with no cursor) collects.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// Revisit is how long after it is published a post is read again on
	// every run, for new comments, replies and edits. Default 72h.
	Revisit time.Duration `yaml:"revisit"`
	// MaxPages caps the requests of one run (feed pages and comment
	// pages). A run that reaches it remembers where it stopped and the
	// next run carries on. Default 20.
	MaxPages int `yaml:"max_pages"`
	// UsageThreshold is the percentage of a rate limit (from X-App-Usage,
	// X-Page-Usage and X-Business-Use-Case-Usage) above which a run stops
	// paging and leaves the rest to the next. Default 80.
	UsageThreshold    float64 `yaml:"usage_threshold"`
	collectors.Limits `yaml:",inline"`
	// BaseURL is the Graph API's root. Default https://graph.facebook.com.
	BaseURL string `yaml:"base_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		APIVersion:     "v21.0",
		Backfill:       24 * time.Hour,
		Revisit:        72 * time.Hour,
		MaxPages:       20,
		UsageThreshold: 80,
		Limits:         collectors.DefaultLimits(),
		BaseURL:        "https://graph.facebook.com",
	}
}

var (
	idPattern      = regexp.MustCompile(`^[0-9]{1,30}$`)
	versionPattern = regexp.MustCompile(`^v[0-9]{1,3}\.[0-9]{1,2}$`)
)

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case !idPattern.MatchString(c.PageID):
		return bad("page_id", "required: the Page's numeric ID")
	case c.AccessToken == "":
		return bad("access_token", `required (a Page access token, as "env:NAME" or "file:/path")`)
	case !versionPattern.MatchString(c.APIVersion):
		return bad("api_version", `must be a Graph API version such as "v21.0"`)
	case c.Backfill <= 0:
		return bad("backfill", "must be a positive duration such as 24h")
	case c.Revisit <= 0:
		return bad("revisit", "must be a positive duration such as 72h")
	case c.MaxPages <= 0:
		return bad("max_pages", "must be positive")
	case c.UsageThreshold <= 0 || c.UsageThreshold > 100:
		return bad("usage_threshold", "must be a percentage above 0, at most 100")
	}
	return collectors.Checks(bad,
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout),
		collectors.EveryCheck("brand_accounts", c.BrandAccounts, idPattern.MatchString, "is not a numeric Facebook ID"),
		collectors.BaseURLCheck("base_url", c.BaseURL))
}

// Collector collects a Facebook Page's feed (its own posts and visitors'
// posts) with the comments and replies under them. It is safe for
// concurrent use, though the caller normally runs one Collect at a time,
// passing each the cursor the previous one returned.
type Collector struct {
	collectors.API[Config]
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. Zero fields of deps get
// collectors' defaults.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	cfg.BrandAccounts = collectors.OwnAccounts(cfg.BrandAccounts, cfg.PageID)
	return &Collector{collectors.NewAPI(name, cfg, deps, strings.TrimSuffix(cfg.BaseURL, "/")+"/"+cfg.APIVersion)}, nil
}

// Collect reads the feed from the top down to the posts it revisits (see
// the package documentation) and returns the posts, comments and replies
// that are new or whose text changed, with the cursor to pass next time.
// An error before anything was collected is returned with the cursor
// unchanged; one after is logged, and what was collected is returned with
// a cursor that remembers where to carry on.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	token, err := c.Credential(Kind, now, "access_token", c.Cfg.AccessToken)
	if err != nil {
		return nil, cursor, err
	}
	r := &run{c: c, token: token,
		RevisitRun: collectors.StartRevisitRun[sweepUntil](cursor, c.Cfg.PageID, now, c.Cfg.Backfill, c.Deps.Log)}
	return r.Finish(cursor, c.Cfg.Revisit, func(since int64, from sweepUntil) (bool, sweepUntil, error) {
		done, next, err := r.pass(ctx, since, int64(from))
		return done, sweepUntil(next), err
	}, c.Backoff.Until, c.Deps.Log)
}

// run is the state of one Collect.
type run struct {
	collectors.RevisitRun[sweepUntil]
	c     *Collector
	token string
	// stop is set when the run must make no more requests.
	stop bool
}

// pass reads the feed's posts created from since to until (0: no upper
// bound), newest first, each with its comments and replies. It returns
// done when it reached the end, else the until to carry on from (0 when
// it read no post).
func (r *run) pass(ctx context.Context, since, until int64) (done bool, next int64, err error) {
	after := ""
	for {
		if !r.budget() {
			return false, next, nil
		}
		q := url.Values{
			"fields": {feedFields},
			"since":  {strconv.FormatInt(since, 10)},
			"limit":  {strconv.Itoa(postsPerPage)},
		}
		if until != 0 {
			q.Set("until", strconv.FormatInt(until, 10))
		}
		if after != "" {
			q.Set("after", after)
		}
		var feed page[feedPost]
		if err := r.get(ctx, "/"+r.c.Cfg.PageID+"/feed", q, &feed); err != nil {
			return false, next, err
		}
		for _, p := range feed.Data {
			t := p.CreatedTime.Unix()
			if p.CreatedTime.IsZero() || t < since || (until != 0 && t > until) {
				continue
			}
			// Posts created up to t (this one included) are left: the
			// Graph API's until may be exclusive, hence the second more.
			next = t + 1
			ok, err := r.thread(ctx, p)
			if err != nil || !ok {
				return false, next, err
			}
		}
		if len(feed.Data) == 0 || !feed.Paging.more() {
			return true, 0, nil
		}
		after = feed.Paging.Cursors.After
	}
}

// thread takes post p and every comment and reply under it, fetching the
// pages the feed did not hold. ok is false when the run ran out of
// requests before the end.
func (r *run) thread(ctx context.Context, p feedPost) (ok bool, err error) {
	th := r.Cursor.Thread(p.ID, p.CreatedTime.Unix())
	r.take(th, item{id: p.ID, text: p.Message, url: p.Permalink, from: p.From,
		created: p.CreatedTime.Time, kind: earshot.KindPost})
	comments := p.Comments
	for {
		for _, cm := range comments.Data {
			r.takeComment(th, cm, p.ID)
			replies := cm.Comments
			for replies.Paging.more() {
				if !r.budget() {
					return false, nil
				}
				after := replies.Paging.Cursors.After
				replies = page[graphComment]{}
				if err := r.get(ctx, "/"+cm.ID+"/comments", commentQuery(replyFields, after), &replies); err != nil {
					return false, err
				}
				for _, reply := range replies.Data {
					r.takeComment(th, reply, cm.ID)
				}
			}
		}
		if !comments.Paging.more() {
			return true, nil
		}
		if !r.budget() {
			return false, nil
		}
		after := comments.Paging.Cursors.After
		comments = page[graphComment]{}
		if err := r.get(ctx, "/"+p.ID+"/comments", commentQuery(commentFields, after), &comments); err != nil {
			return false, err
		}
	}
}

// takeComment takes cm, which answers parent (a post or, for a reply, a
// comment), and the replies the answer nests in it.
func (r *run) takeComment(th *collectors.RevisitThread, cm graphComment, parent string) {
	if cm.Parent != nil && cm.Parent.ID != "" {
		parent = cm.Parent.ID
	}
	r.take(th, item{id: cm.ID, text: cm.Message, url: cm.Permalink, from: cm.From,
		created: cm.CreatedTime.Time, kind: earshot.KindComment, parent: parent})
	for _, reply := range cm.Comments.Data {
		pid := cm.ID
		if reply.Parent != nil && reply.Parent.ID != "" {
			pid = reply.Parent.ID
		}
		r.take(th, item{id: reply.ID, text: reply.Message, url: reply.Permalink, from: reply.From,
			created: reply.CreatedTime.Time, kind: earshot.KindComment, parent: pid})
	}
}

// take adds the post of it unless it was returned before with the same
// text.
func (r *run) take(th *collectors.RevisitThread, it item) {
	p, ok := r.c.post(it, r.Now)
	if !ok {
		r.c.Deps.Log.Debug("skipping item without text", "id", it.id)
		return
	}
	if r.Keep(th, it.id, p) {
		r.c.Deps.Log.Debug("edited", "id", it.id)
	}
}

// budget reports whether the run may make one more request.
func (r *run) budget() bool {
	return !r.stop && r.Requests < r.c.Cfg.MaxPages
}

// Fields asked of the Graph API: a post with its first comments, each
// with its first replies; then pages of comments, and of replies.
const (
	replyFields   = "id,message,created_time,from,parent{id},permalink_url"
	commentFields = "id,message,created_time,from,parent{id},permalink_url,comment_count,comments.limit(100){" + replyFields + "}"
	feedFields    = "id,message,created_time,from,permalink_url,comments.limit(100){" + commentFields + "}"
)

func commentQuery(fields, after string) url.Values {
	return url.Values{"fields": {fields}, "limit": {strconv.Itoa(commentsPerPage)}, "after": {after}}
}

// get fetches path with q into v, with the token in the Authorization
// header (never in the URL), and reads the usage headers: above the
// threshold the run stops.
func (r *run) get(ctx context.Context, path string, q url.Values, v any) error {
	r.Requests++
	ctx, cancel := context.WithTimeout(ctx, r.c.Cfg.Timeout)
	defer cancel()
	h := http.Header{"Authorization": {"Bearer " + r.token}}
	resp, err := collectors.GetJSON(ctx, r.c.Deps, r.c.Root+path+"?"+q.Encode(), h, r.c.Cfg.MaxBytes, v)
	if err != nil {
		return classify(err)
	}
	if wait, pct := usage(resp.Header); pct >= r.c.Cfg.UsageThreshold {
		r.stop = true
		if wait > 0 {
			r.c.Backoff.Until(r.Now.Add(wait))
		}
		r.c.Deps.Log.Info("rate limit nearly used up; the next run carries on", "percent", pct, "wait", wait.String())
	}
	return nil
}
