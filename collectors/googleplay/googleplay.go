package googleplay

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
	"sync"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the collector kind this package registers; it is also the
// source of the posts and the prefix of their IDs.
const Kind = "googleplay"

// maxResults is the page size asked of the API, its maximum.
const maxResults = 100

// window is how far back reviews.list reaches: reviews created or
// modified in the last week.
const window = 7 * 24 * time.Hour

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures the Google Play reviews of one app.
type Config struct {
	// PackageName is the app's package, "com.acme.cloud". Required.
	PackageName string `yaml:"package_name"`
	// ServiceAccount is the JSON key file of a Google Cloud service
	// account that the Play Console lets reply to reviews, as
	// "env:NAME" (the JSON itself) or "file:/path". Required.
	ServiceAccount collectors.Secret `yaml:"service_account"`
	// Backfill is how far back the first run collects; the API serves a
	// week at most. Default 168h.
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages caps the requests (of 100 reviews) of one run. Default 10.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
	// BaseURL is the API's root. Default
	// https://androidpublisher.googleapis.com. The token endpoint is the
	// key file's token_uri.
	BaseURL string `yaml:"base_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Backfill: window,
		MaxPages: 10,
		Limits:   collectors.DefaultLimits(),
		BaseURL:  "https://androidpublisher.googleapis.com",
	}
}

var packagePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$`)

// Validate checks c without touching the network (the key file is read
// at the first request). name is the collector's name, used in the error,
// which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case c.PackageName == "":
		return bad("package_name", "required (the app's package, such as com.acme.cloud)")
	case !packagePattern.MatchString(c.PackageName):
		return bad("package_name", fmt.Sprintf("%q is not a package name such as com.acme.cloud", c.PackageName))
	case c.ServiceAccount == "":
		return bad("service_account", `required (a service account's JSON key, as "env:NAME" or "file:/path")`)
	case c.Backfill <= 0 || c.Backfill > window:
		return bad("backfill", "must be a positive duration of at most 168h (the API serves a week)")
	}
	return collectors.Checks(bad,
		collectors.MaxPagesCheck(c.MaxPages), collectors.MaxBytesCheck(c.MaxBytes),
		collectors.TimeoutCheck(c.Timeout),
		collectors.BaseURLCheck("base_url", c.BaseURL))
}

// Collector collects the reviews of one app in Google Play, and the
// developer's answers. It is safe for concurrent use, though the caller
// normally runs one Collect at a time, passing each the cursor the
// previous one returned.
type Collector struct {
	collectors.Base[Config]
	api string

	mu  sync.Mutex
	tok token
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
		api:  strings.TrimSuffix(cfg.BaseURL, "/") + "/androidpublisher/v3/applications/" + url.PathEscape(cfg.PackageName) + "/reviews",
	}, nil
}

// Collect returns the reviews and developer answers written or changed
// since the cursor, newest first, and the cursor to pass next time (see
// the package documentation). A run is all or nothing: on an error it
// returns no posts, the error and the cursor unchanged.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now().UTC()
	st := state{Package: c.Cfg.PackageName, Newest: now.Add(-c.Cfg.Backfill).Unix()}
	if cursor != "" {
		old, err := parseCursor(cursor, c.Cfg.PackageName)
		if err != nil {
			c.Deps.Log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
		} else {
			st = old
		}
	}
	if floor := now.Add(-window).Unix(); st.Newest < floor {
		c.Deps.Log.Warn("the cursor is older than the week the API serves; reviews in between are lost",
			"from", time.Unix(st.Newest, 0).UTC().Format(time.RFC3339))
	}

	next := st
	var posts []earshot.Post
	seen := map[string]bool{}
	renewed := false
	page := ""
	for n := 0; ; n++ {
		if n == c.Cfg.MaxPages {
			c.Deps.Log.Warn("stopping at max_pages; older changes of this span are skipped", "pages", n)
			break
		}
		list, err := c.list(ctx, page, now, &renewed)
		if err != nil {
			return nil, cursor, err
		}
		reached := false
		for _, r := range list.Reviews {
			if r.ReviewID == "" || seen[r.ReviewID] {
				continue
			}
			seen[r.ReviewID] = true
			got, version, old := c.take(r, st, now)
			if old {
				reached = true
				continue
			}
			posts = append(posts, got...)
			switch {
			case version > next.Newest:
				next.Newest, next.IDs = version, []string{r.ReviewID}
			case version == next.Newest && !slices.Contains(next.IDs, r.ReviewID):
				next.IDs = append(next.IDs, r.ReviewID)
			}
		}
		if reached || list.TokenPagination == nil || list.TokenPagination.NextPageToken == "" || len(list.Reviews) == 0 {
			break
		}
		page = list.TokenPagination.NextPageToken
	}
	c.Deps.Log.Debug("collected", "posts", len(posts))
	return posts, next.String(), nil
}

// take returns the posts of r that are new since st: the user's review
// when it changed, the developer's answer when it changed, and the
// review's latest modification. old says r changed before st.
func (c *Collector) take(r review, st state, now time.Time) (posts []earshot.Post, version int64, old bool) {
	u, d := r.latest()
	if u == nil {
		return nil, 0, false
	}
	ut, ok := u.LastModified.time()
	if !ok {
		c.Deps.Log.Debug("skipping review without a readable lastModified", "id", r.ReviewID)
		return nil, 0, false
	}
	var dt time.Time
	if d != nil {
		dt, _ = d.LastModified.time()
	}
	version = max(ut.Unix(), dt.Unix())
	if version < st.Newest {
		return nil, version, true
	}
	handled := slices.Contains(st.IDs, r.ReviewID)
	isNew := func(t time.Time) bool {
		return !t.IsZero() && (t.Unix() > st.Newest || (t.Unix() == st.Newest && !handled))
	}
	if isNew(ut) {
		posts = append(posts, userPost(c.Cfg.PackageName, r, u, ut, now))
	}
	if d != nil && isNew(dt) && strings.TrimSpace(d.Text) != "" {
		posts = append(posts, replyPost(c.Cfg.PackageName, r, d, dt, now))
	}
	return posts, version, false
}

// list fetches one page of reviews. A 401 gets a new token and one more
// try per run (renewed).
func (c *Collector) list(ctx context.Context, page string, now time.Time, renewed *bool) (reviewList, error) {
	q := url.Values{"maxResults": {strconv.Itoa(maxResults)}}
	if page != "" {
		q.Set("token", page)
	}
	u := c.api + "?" + q.Encode()
	for {
		tok, err := c.token(ctx, now)
		if err != nil {
			return reviewList{}, err
		}
		rctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
		var l reviewList
		_, err = collectors.GetJSON(rctx, c.Deps, u, http.Header{"Authorization": {"Bearer " + tok}}, c.Cfg.MaxBytes, &l)
		cancel()
		var se *collectors.StatusError
		if errors.As(err, &se) {
			if se.Code == http.StatusUnauthorized && !*renewed {
				*renewed = true // the token expired early, or was revoked
				c.forgetToken(tok)
				continue
			}
			if wait, limited := rateLimited(se, now); limited {
				return reviewList{}, &collectors.RetryAfterError{Source: se.Where, Status: se.Status, Wait: wait}
			}
		}
		return l, err
	}
}

// rateLimitReasons are the reasons of a Google API error that mean a
// quota, not a permission.
var rateLimitReasons = []string{"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded"}

// rateLimited reports whether a 403 is a quota running out (Google
// answers some with a 403 and the reason in the body) and how long to
// wait.
func rateLimited(se *collectors.StatusError, now time.Time) (time.Duration, bool) {
	if se.Code != http.StatusForbidden {
		return 0, false
	}
	var body struct {
		Error struct {
			Status string `json:"status"`
			Errors []struct {
				Reason string `json:"reason"`
			} `json:"errors"`
		} `json:"error"`
	}
	if json.Unmarshal(se.Body, &body) != nil {
		return 0, false
	}
	limited := body.Error.Status == "RESOURCE_EXHAUSTED"
	for _, e := range body.Error.Errors {
		limited = limited || slices.Contains(rateLimitReasons, e.Reason)
	}
	return collectors.RateLimitWait(se.Header, now), limited
}
