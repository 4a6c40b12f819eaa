package appstore

import (
	"context"
	"errors"
	"fmt"
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
const Kind = "appstore"

// maxFeedPages is how deep Apple's feed goes: 10 pages of 50 reviews.
const maxFeedPages = 10

// pageSize is how many reviews a full page holds.
const pageSize = 50

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures the App Store reviews of one app.
type Config struct {
	// AppID is the app's numeric ID, as in
	// https://apps.apple.com/us/app/acme-cloud/id1500000001. Required.
	AppID string `yaml:"app_id"`
	// Countries are the storefronts to read, as two-letter codes: each
	// has its own reviews. Default [us].
	Countries []string `yaml:"countries"`
	// Backfill is how far back the first run of a country collects.
	// Default 168h (a week).
	Backfill time.Duration `yaml:"backfill"`
	// MaxPages caps the pages (of 50 reviews) read per country and run;
	// Apple serves 10 at most, the default.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
	// BaseURL is the feed's root. Default https://itunes.apple.com.
	BaseURL string `yaml:"base_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Countries: []string{"us"},
		Backfill:  7 * 24 * time.Hour,
		MaxPages:  maxFeedPages,
		Limits:    collectors.DefaultLimits(),
		BaseURL:   "https://itunes.apple.com",
	}
}

var (
	appIDPattern   = regexp.MustCompile(`^[0-9]{1,15}$`)
	countryPattern = regexp.MustCompile(`^[a-z]{2}$`)
)

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case c.AppID == "":
		return bad("app_id", "required (the app's numeric ID, as in apps.apple.com/us/app/NAME/id1500000001)")
	case !appIDPattern.MatchString(c.AppID):
		return bad("app_id", fmt.Sprintf("%q is not an app ID (digits only, without \"id\")", c.AppID))
	case len(c.Countries) == 0:
		return bad("countries", "at least one country code, such as us")
	case c.Backfill <= 0:
		return bad("backfill", "must be a positive duration such as 168h")
	case c.MaxPages <= 0 || c.MaxPages > maxFeedPages:
		return bad("max_pages", "must be between 1 and 10 (Apple serves 10 pages)")
	}
	if err := collectors.Checks(bad,
		collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout)); err != nil {
		return err
	}
	for i, cc := range c.Countries {
		if !countryPattern.MatchString(cc) {
			return bad("countries", fmt.Sprintf("%q is not a two-letter country code in lower case, such as us", cc))
		}
		if slices.Contains(c.Countries[:i], cc) {
			return bad("countries", fmt.Sprintf("%q is listed twice", cc))
		}
	}
	if !collectors.ValidBaseURL(c.BaseURL) {
		return bad("base_url", collectors.BaseURLProblem)
	}
	return nil
}

// Collector collects the reviews of one app in the App Store. It is safe
// for concurrent use, though the caller normally runs one Collect at a
// time, passing each the cursor the previous one returned.
type Collector struct {
	collectors.Base[Config]
	base string
}

var _ earshot.Collector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration, for
// programs and tests that skip the registry. Zero fields of deps get
// collectors' defaults.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	return &Collector{Base: collectors.NewBase(name, cfg, deps), base: strings.TrimSuffix(cfg.BaseURL, "/")}, nil
}

// Collect returns, for each country, the reviews written or edited since
// the cursor, newest first, and the cursor to pass next time (see the
// package documentation). A country whose pages fail keeps its place and
// returns nothing this run; when no country returned anything the error
// is returned as is, with the cursor unchanged.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now().UTC()
	st := state{App: c.Cfg.AppID}
	if cursor != "" {
		old, err := parseCursor(cursor, c.Cfg.AppID)
		if err != nil {
			c.Deps.Log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
		} else {
			st = old
		}
	}
	countries := map[string]*countryState{}
	for _, cc := range c.Cfg.Countries {
		cs := st.Countries[cc]
		if cs == nil {
			cs = &countryState{Newest: now.Add(-c.Cfg.Backfill).Unix()}
		}
		countries[cc] = cs
	}
	st.Countries = countries

	var (
		posts    []earshot.Post
		firstErr error
		requests int
	)
	for _, cc := range c.Cfg.Countries {
		got, next, n, err := c.country(ctx, cc, *countries[cc], now)
		requests += n
		if err != nil {
			if firstErr == nil {
				firstErr = err
			} else {
				c.Deps.Log.Warn("country failed", "country", cc, "err", err)
			}
			var ra *collectors.RetryAfterError
			if errors.As(err, &ra) {
				break // the others would be refused too
			}
			continue
		}
		posts = append(posts, got...)
		*countries[cc] = next
	}
	if firstErr != nil {
		if len(posts) == 0 {
			return nil, cursor, firstErr
		}
		c.Deps.Log.Warn("some countries failed; they carry on next run", "err", firstErr, "posts", len(posts))
	}
	c.Deps.Log.Debug("collected", "posts", len(posts), "requests", requests)
	return posts, st.String(), nil
}

// country reads the reviews of one country, newest first, down to cs. It
// returns them with the country's new position, or an error and nothing:
// a country is read whole or not at all, so its position never skips.
func (c *Collector) country(ctx context.Context, cc string, cs countryState, now time.Time) ([]earshot.Post, countryState, int, error) {
	next := cs
	var posts []earshot.Post
	seen := map[string]bool{}
	page := 1
	for ; page <= c.Cfg.MaxPages; page++ {
		list, err := c.page(ctx, cc, page)
		if err != nil {
			return nil, cs, page, err
		}
		reached := false
		for _, e := range list {
			id, rating := e.ID.Label, e.rating()
			t, ok := e.updated()
			if id == "" || rating == 0 || !ok {
				continue // the app itself, or not a review
			}
			u := t.Unix()
			if u < cs.Newest {
				reached = true
				continue
			}
			if seen[id] || (u == cs.Newest && slices.Contains(cs.IDs, id)) {
				continue
			}
			seen[id] = true
			switch {
			case u > next.Newest:
				next = countryState{Newest: u, IDs: []string{id}}
			case u == next.Newest:
				next.IDs = append(next.IDs, id)
			}
			posts = append(posts, e.post(c.Cfg.AppID, cc, t, now))
		}
		if reached || len(list) < pageSize {
			return posts, next, page, nil
		}
	}
	c.Deps.Log.Info("the feed's pages end before the cursor; older reviews are out of reach", "country", cc)
	return posts, next, page - 1, nil
}

// page fetches one page of a country's reviews.
func (c *Collector) page(ctx context.Context, cc string, page int) ([]entry, error) {
	u := c.base + "/" + cc + "/rss/customerreviews/page=" + strconv.Itoa(page) + "/id=" + c.Cfg.AppID + "/sortby=mostrecent/json"
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()
	var f feed
	if _, err := collectors.GetJSON(ctx, c.Deps, u, nil, c.Cfg.MaxBytes, &f); err != nil {
		return nil, err
	}
	if f.Feed == nil {
		return nil, fmt.Errorf("decoding %s: not a review feed", u)
	}
	return f.Feed.Entry, nil
}
