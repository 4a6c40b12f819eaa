package linkedin

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
const Kind = "linkedin"

// Page sizes asked of the API: posts per page, comments per page.
const (
	postsPerPage    = 50
	commentsPerPage = 100
)

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures the collection of one LinkedIn organization (a
// company page).
type Config struct {
	// OrganizationID is the organization's numeric ID (in the URL of the
	// page's admin view, linkedin.com/company/ID/admin). Required.
	OrganizationID string `yaml:"organization_id"`
	// AccessToken is a 3-legged OAuth 2.0 access token of a page admin
	// with r_organization_social, from an app with the Community
	// Management API, as "env:NAME" or "file:/path". Required.
	AccessToken collectors.Secret `yaml:"access_token"`
	// APIVersion is the LinkedIn-Version header, YYYYMM. LinkedIn keeps a
	// version for about a year. Default 202505.
	APIVersion string `yaml:"api_version"`
	// BrandAccounts are the brand's own accounts, as URNs
	// ("urn:li:organization:2414183", "urn:li:person:AbC123") or numeric
	// organization IDs: their posts and comments are marked as the
	// brand's. Default: the organization itself.
	BrandAccounts []string `yaml:"brand_accounts"`
	// Backfill is how far back the first run (with no cursor) collects.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// Revisit is how long after it is created a post is read again on
	// every run, for new comments, replies and edits. Default 72h.
	Revisit time.Duration `yaml:"revisit"`
	// MaxPages caps the requests of one run (pages of posts, of comments
	// and of replies). A run that reaches it remembers where it stopped
	// and the next run carries on. Default 50.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
	// BaseURL is the API's root. Default https://api.linkedin.com.
	BaseURL string `yaml:"base_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		APIVersion: "202505",
		Backfill:   24 * time.Hour,
		Revisit:    72 * time.Hour,
		MaxPages:   50,
		Limits:     collectors.DefaultLimits(),
		BaseURL:    "https://api.linkedin.com",
	}
}

var (
	idPattern      = regexp.MustCompile(`^[0-9]{1,20}$`)
	versionPattern = regexp.MustCompile(`^20[0-9]{2}(0[1-9]|1[0-2])$`)
	urnPattern     = regexp.MustCompile(`^urn:li:[A-Za-z]+:[A-Za-z0-9_-]{1,100}$`)
)

// validAccount reports whether a is a URN or an organization ID.
func validAccount(a string) bool { return idPattern.MatchString(a) || urnPattern.MatchString(a) }

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case !idPattern.MatchString(c.OrganizationID):
		return bad("organization_id", "required: the organization's numeric ID")
	case c.AccessToken == "":
		return bad("access_token", `required (an OAuth access token, as "env:NAME" or "file:/path")`)
	case !versionPattern.MatchString(c.APIVersion):
		return bad("api_version", `must be a LinkedIn-Version, YYYYMM, such as "202505"`)
	}
	return collectors.Checks(bad,
		collectors.BackfillCheck(c.Backfill),
		collectors.Check{Key: "revisit", OK: c.Revisit > 0, Problem: "must be a positive duration such as 72h"},
		collectors.MaxPagesCheck(c.MaxPages), collectors.MaxBytesCheck(c.MaxBytes),
		collectors.TimeoutCheck(c.Timeout),
		collectors.EveryCheck("brand_accounts", c.BrandAccounts, validAccount,
			`is not a URN ("urn:li:person:…") or an organization ID`),
		collectors.BaseURLCheck("base_url", c.BaseURL))
}

// Collector collects a LinkedIn organization's posts with the comments
// and replies under them. It is safe for concurrent use, though the
// caller normally runs one Collect at a time, passing each the cursor the
// previous one returned.
type Collector struct {
	collectors.API[Config]
	org   string   // the organization's URN
	brand []string // URNs
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. Zero fields of deps get
// collectors' defaults.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	c := &Collector{
		API: collectors.NewAPI(name, cfg, deps, strings.TrimSuffix(cfg.BaseURL, "/")+"/rest"),
		org: "urn:li:organization:" + cfg.OrganizationID,
	}
	for _, a := range cfg.BrandAccounts {
		if idPattern.MatchString(a) {
			a = "urn:li:organization:" + a
		}
		c.brand = append(c.brand, a)
	}
	c.brand = collectors.OwnAccounts(c.brand, c.org)
	return c, nil
}

// Collect reads the organization's posts from the newest down to those it
// revisits (see the package documentation) and returns the posts,
// comments and replies that are new or whose text changed, with the
// cursor to pass next time. An error before anything was collected is
// returned with the cursor unchanged; one after is logged, and what was
// collected is returned with a cursor that remembers where to carry on.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	token, err := c.Credential(Kind, now, "access_token", c.Cfg.AccessToken)
	if err != nil {
		return nil, cursor, err
	}
	r := &run{c: c, token: token,
		RevisitRun: collectors.StartRevisitRun[sweepOffset](cursor, c.Cfg.OrganizationID, now, c.Cfg.Backfill, c.Deps.Log)}
	return r.Finish(cursor, c.Cfg.Revisit, func(since int64, from sweepOffset) (bool, sweepOffset, error) {
		done, next, err := r.pass(ctx, since, int(from))
		return done, sweepOffset(next), err
	}, c.Backoff.Until, c.Deps.Log)
}

// run is the state of one Collect.
type run struct {
	collectors.RevisitRun[sweepOffset]
	c     *Collector
	token string
}

// pass reads the posts created from since on, newest first, from the
// list's index offset. It returns done when it reached since or the end,
// else the offset to carry on from.
func (r *run) pass(ctx context.Context, since int64, offset int) (done bool, next int, err error) {
	start := offset
	for {
		if r.Requests >= r.c.Cfg.MaxPages {
			return false, start, nil
		}
		q := "q=author&author=" + escapeURN(r.c.org) + "&sortBy=CREATED" +
			"&count=" + strconv.Itoa(postsPerPage) + "&start=" + strconv.Itoa(start)
		var page list[post]
		if err := r.get(ctx, "/posts?"+q, &page); err != nil {
			return false, start, err
		}
		older := false
		for i, p := range page.Elements {
			created := millis(p.CreatedAt)
			if created.IsZero() || created.Unix() < since {
				older = true // posts come newest first: the rest are older
				continue
			}
			ok, err := r.thread(ctx, p)
			if err != nil || !ok {
				return false, start + i, err // from this post again
			}
		}
		if older || page.last(start, postsPerPage) {
			return true, 0, nil
		}
		start += len(page.Elements)
	}
}

// thread takes post p and the comments and replies under it. ok is false
// when the run ran out of requests before the end.
func (r *run) thread(ctx context.Context, p post) (ok bool, err error) {
	created := millis(p.CreatedAt)
	th := r.Cursor.Thread(p.ID, created.Unix())
	if p.LifecycleState == "" || p.LifecycleState == "PUBLISHED" {
		if pub := millis(p.PublishedAt); !pub.IsZero() {
			created = pub
		}
		r.take(th, item{urn: p.ID, text: p.Commentary, url: postURL(p.ID), author: p.Author,
			created: created, kind: earshot.KindPost})
	}
	return r.comments(ctx, th, p.ID, p.ID, true)
}

// comments takes the comments on urn (a post, or a comment for its
// replies), whose post is postURN, and with nested the replies to each.
func (r *run) comments(ctx context.Context, th *collectors.RevisitThread, urn, postURN string, nested bool) (ok bool, err error) {
	for start := 0; ; {
		if r.Requests >= r.c.Cfg.MaxPages {
			return false, nil
		}
		q := "count=" + strconv.Itoa(commentsPerPage) + "&start=" + strconv.Itoa(start)
		var page list[comment]
		if err := r.get(ctx, "/socialActions/"+escapeURN(urn)+"/comments?"+q, &page); err != nil {
			return false, err
		}
		for _, cm := range page.Elements {
			id := cm.CommentURN
			parent := urn
			if cm.ParentComment != "" {
				parent = cm.ParentComment
			}
			text := ""
			if cm.Message != nil {
				text = cm.Message.Text
			}
			r.take(th, item{urn: id, text: text, author: cm.Actor, created: millis(cm.Created.Time),
				kind: earshot.KindComment, parent: parent,
				url: postURL(postURN) + "?commentUrn=" + url.QueryEscape(id)})
			if nested && id != "" && cm.replies() {
				if ok, err := r.comments(ctx, th, id, postURN, false); err != nil || !ok {
					return false, err
				}
			}
		}
		if page.last(start, commentsPerPage) {
			return true, nil
		}
		start += len(page.Elements)
	}
}

// take adds the post of it unless it was returned before with the same
// text.
func (r *run) take(th *collectors.RevisitThread, it item) {
	p, ok := r.c.toPost(it, r.Now)
	if !ok {
		r.c.Deps.Log.Debug("skipping item without text", "urn", it.urn)
		return
	}
	r.Keep(th, it.urn, p)
}

// get fetches the path and query pathQuery (escaped) into v with the
// headers LinkedIn's versioned API wants.
func (r *run) get(ctx context.Context, pathQuery string, v any) error {
	r.Requests++
	ctx, cancel := context.WithTimeout(ctx, r.c.Cfg.Timeout)
	defer cancel()
	h := http.Header{
		"Authorization":             {"Bearer " + r.token},
		"Linkedin-Version":          {r.c.Cfg.APIVersion},
		"X-Restli-Protocol-Version": {"2.0.0"},
	}
	_, err := collectors.GetJSON(ctx, r.c.Deps, r.c.Root+pathQuery, h, r.c.Cfg.MaxBytes, v)
	return describe(err)
}
