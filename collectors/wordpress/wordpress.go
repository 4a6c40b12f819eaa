package wordpress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
const Kind = "wordpress"

// perPage is the page size asked of WordPress, its maximum.
const perPage = 100

// zoneSlack is how much earlier than the window the collector asks:
// WordPress compares "after" with the comment's local date, and local
// time is at most 14 hours ahead of UTC.
const zoneSlack = 14 * time.Hour

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Status values of Config.Status.
const (
	StatusApproved = "approve"
	StatusAll      = "all"
)

// Config configures one WordPress site's comments.
type Config struct {
	// Site is the site's address, where /wp-json/ lives:
	// "https://blog.acme.example". Required.
	Site string `yaml:"site"`
	// Username and AppPassword are an account's application password
	// (Users → Profile → Application Passwords), as "env:NAME" or
	// "file:/path". Optional: public comments need none; status "all"
	// needs an account that may moderate comments.
	Username    string            `yaml:"username"`
	AppPassword collectors.Secret `yaml:"app_password"`
	// Status is which comments to collect: "approve" (the default: what
	// visitors see) or "all" (also those held for moderation; needs
	// credentials).
	Status string `yaml:"status"`
	// BrandAuthors are the user IDs of the brand's own accounts: their
	// comments are marked as the brand's.
	BrandAuthors []int64 `yaml:"brand_authors"`
	// Backfill is how far back the first run (with no cursor) collects.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// Reread is how long after it was written a comment is read again,
	// so that an edit, or a late approval, is collected. Default 24h.
	Reread time.Duration `yaml:"reread"`
	// MaxPages caps the requests (of 100 comments) of one run; the next
	// run carries on where it stopped. Default 10.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Status:   StatusApproved,
		Backfill: 24 * time.Hour,
		Reread:   24 * time.Hour,
		MaxPages: 10,
		Limits:   collectors.DefaultLimits(),
	}
}

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case c.Site == "":
		return bad("site", "required (the site's address, such as https://blog.acme.example)")
	case !collectors.ValidBaseURL(c.Site):
		return bad("site", collectors.BaseURLProblem)
	case (c.Username == "") != (c.AppPassword == ""):
		return bad("app_password", "username and app_password go together")
	case c.Status != StatusApproved && c.Status != StatusAll:
		return bad("status", fmt.Sprintf(`must be "approve" or "all" (got %q)`, c.Status))
	case c.Status == StatusAll && c.AppPassword == "":
		return bad("status", `"all" needs username and app_password`)
	case c.Backfill <= 0:
		return bad("backfill", "must be a positive duration such as 24h")
	case c.Reread < 0:
		return bad("reread", "must be a duration such as 24h, or 0s")
	}
	if err := collectors.Checks(bad,
		collectors.MaxPagesCheck(c.MaxPages), collectors.MaxBytesCheck(c.MaxBytes),
		collectors.TimeoutCheck(c.Timeout)); err != nil {
		return err
	}
	for _, id := range c.BrandAuthors {
		if id <= 0 {
			return bad("brand_authors", "user IDs are positive numbers")
		}
	}
	return nil
}

// Collector collects the comments of one WordPress site. It is safe for
// concurrent use, though the caller normally runs one Collect at a time,
// passing each the cursor the previous one returned.
type Collector struct {
	collectors.Base[Config]
	// api is the comments endpoint; site keys IDs and the cursor:
	// "blog.acme.test", with the path of a site in a folder.
	api  string
	site string
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. Zero fields of deps get
// collectors' defaults.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.Site)
	root := strings.TrimSuffix(cfg.Site, "/")
	return &Collector{
		Base: collectors.NewBase(name, cfg, deps),
		api:  root + "/wp-json/wp/v2/comments",
		site: strings.ToLower(u.Host) + strings.TrimSuffix(u.Path, "/"),
	}, nil
}

// Collect returns the comments written since the cursor, oldest first, and
// those of the last Reread that changed since they were collected (see the
// package documentation). When nothing was collected an error is returned
// as is, with the cursor unchanged; an error after some pages is logged,
// and the comments are returned with a cursor to carry on from.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now().UTC()
	var st state
	fresh := cursor == ""
	if !fresh {
		var err error
		if st, err = parseCursor(cursor, c.site); err != nil {
			c.Deps.Log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
			fresh = true
		}
	}
	if fresh {
		st = state{Site: c.site, RereadWindow: collectors.NewRereadWindow[int64](now, c.Cfg.Backfill)}
	}

	q := st.Resume
	st.Resume = nil
	if q == nil {
		from := st.Start(now, c.Cfg.Reread)
		after := time.Unix(from, 0).UTC().Add(-zoneSlack).Format("2006-01-02T15:04:05")
		q = &resume{After: after, Page: 1, From: from}
	}

	var posts []earshot.Post
	var err error
	pages := 0
	for {
		if pages >= c.Cfg.MaxPages {
			st.Resume = q
			c.Deps.Log.Info("stopping at max_pages; the next run carries on", "page", q.Page)
			break
		}
		var list []comment
		var more bool
		list, more, err = c.page(ctx, q.After, q.Page)
		if err != nil {
			if pages > 0 {
				st.Resume = q
			}
			break
		}
		pages++
		for _, cm := range list {
			if p, ok := c.take(&st, cm, q.From, now); ok {
				posts = append(posts, p)
			}
		}
		if !more {
			break
		}
		q.Page++
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

// take returns the post of cm when it is new or changed, and records it
// in st.
func (c *Collector) take(st *state, cm comment, from int64, now time.Time) (earshot.Post, bool) {
	created, ok := c.created(cm)
	if !ok || created.Unix() < from || cm.ID <= 0 {
		return earshot.Post{}, false
	}
	if cm.gone() {
		c.Deps.Log.Debug("skipping removed comment", "id", cm.ID, "status", cm.Status)
		return earshot.Post{}, false
	}
	take, changed := st.Take(cm.ID, created.Unix(), cm.hash())
	if !take {
		return earshot.Post{}, false
	}
	if changed {
		c.Deps.Log.Debug("comment changed", "id", cm.ID)
	}
	return cm.post(c.site, created, now, c.Cfg.BrandAuthors), true
}

func (c *Collector) created(cm comment) (time.Time, bool) {
	t, ok := cm.created()
	if !ok {
		c.Deps.Log.Debug("skipping comment with an unreadable date_gmt", "id", cm.ID)
	}
	return t, ok
}

// invalidPage is the end of WordPress's error code for a page past the
// last ("rest_comment_invalid_page_number").
const invalidPage = "_invalid_page_number"

// codePattern is what of WordPress's error code may go in an error
// message.
var codePattern = regexp.MustCompile(`^[a-z_]{1,60}$`)

// page fetches one page of comments created after after (local time).
// more says there are pages after it.
func (c *Collector) page(ctx context.Context, after string, page int) ([]comment, bool, error) {
	q := url.Values{
		"after":    {after},
		"per_page": {strconv.Itoa(perPage)},
		"orderby":  {"date"},
		"order":    {"asc"},
		"page":     {strconv.Itoa(page)},
		"_fields":  {fields},
	}
	if c.Cfg.Status != StatusApproved {
		q.Set("status", c.Cfg.Status)
	}
	h := http.Header{}
	if c.Cfg.AppPassword != "" {
		pass, err := c.Cfg.AppPassword.Resolve(nil)
		if err != nil {
			return nil, false, &collectors.ConfigError{Kind: Kind, Name: c.Name(), Key: "app_password", Err: err}
		}
		r := http.Request{Header: h}
		r.SetBasicAuth(c.Cfg.Username, pass)
	}
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	var list []comment
	resp, err := collectors.GetJSON(ctx, c.Deps, c.api+"?"+q.Encode(), h, c.Cfg.MaxBytes, &list)
	var se *collectors.StatusError
	if errors.As(err, &se) {
		code := errorCode(se.Body)
		if page > 1 && strings.HasSuffix(code, invalidPage) {
			return nil, false, nil // the comments shrank under us: past the end
		}
		if code != "" {
			return nil, false, fmt.Errorf("%w (%s)", err, code)
		}
	}
	if err != nil {
		return nil, false, err
	}
	if list == nil && strings.TrimSpace(string(resp.Body)) != "[]" {
		return nil, false, fmt.Errorf("decoding %s: not a list of comments", c.api)
	}
	total, err := strconv.Atoi(resp.Header.Get("X-WP-TotalPages"))
	if err != nil {
		// No header (a cache or proxy dropped it): a full page may have
		// more after it.
		return list, len(list) == perPage, nil
	}
	return list, page < total && len(list) > 0, nil
}

// errorCode returns the code of a WordPress error body
// ({"code":"rest_forbidden", ...}) when it is safe to show.
func errorCode(body []byte) string {
	var e struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(body, &e) != nil || !codePattern.MatchString(e.Code) {
		return ""
	}
	return e.Code
}
