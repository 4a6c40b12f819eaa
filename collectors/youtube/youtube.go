package youtube

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
const Kind = "youtube"

// maxResults is the page size asked of the API, its maximum.
const maxResults = 100

func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }

// Config configures the collection of the comments on one YouTube
// channel.
type Config struct {
	// ChannelID is the channel's ID, "UC" and 22 more characters (YouTube
	// Studio, Settings, Channel, Advanced settings). Required.
	ChannelID string `yaml:"channel_id"`
	// APIKey is a Google Cloud API key with the YouTube Data API v3
	// enabled, as "env:NAME" or "file:/path". It or AccessToken is
	// required.
	APIKey collectors.Secret `yaml:"api_key"`
	// AccessToken is an OAuth 2.0 access token (scope
	// youtube.force-ssl or youtube.readonly) of the channel's owner,
	// instead of APIKey; it also shows comments held for review.
	AccessToken collectors.Secret `yaml:"access_token"`
	// BrandAccounts are the channel IDs of the brand's own accounts: their
	// comments and replies are marked as the brand's. Default: the
	// channel itself.
	BrandAccounts []string `yaml:"brand_accounts"`
	// Backfill is how far back the first run (with no cursor) collects.
	// Default 24h.
	Backfill time.Duration `yaml:"backfill"`
	// Revisit is how long after its top-level comment a thread is read
	// again on every run, for new replies and edits. Default 72h.
	Revisit time.Duration `yaml:"revisit"`
	// MaxPages caps the requests of one run (pages of threads and of
	// replies; one quota unit each). A run that reaches it remembers where
	// it stopped and the next run carries on. Default 20.
	MaxPages          int `yaml:"max_pages"`
	collectors.Limits `yaml:",inline"`
	// BaseURL is the API's root. Default https://www.googleapis.com.
	BaseURL string `yaml:"base_url"`
}

// DefaultConfig returns the configuration used for the keys a user leaves
// out.
func DefaultConfig() Config {
	return Config{
		Backfill: 24 * time.Hour,
		Revisit:  72 * time.Hour,
		MaxPages: 20,
		Limits:   collectors.DefaultLimits(),
		BaseURL:  "https://www.googleapis.com",
	}
}

var channelPattern = regexp.MustCompile(`^UC[0-9A-Za-z_-]{22}$`)

// Validate checks c without touching the network. name is the collector's
// name, used in the error, which is a *collectors.ConfigError.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	switch {
	case !channelPattern.MatchString(c.ChannelID):
		return bad("channel_id", `required: the channel's ID, "UC" and 22 more characters`)
	case c.APIKey == "" && c.AccessToken == "":
		return bad("api_key", `api_key or access_token required (as "env:NAME" or "file:/path")`)
	case c.APIKey != "" && c.AccessToken != "":
		return bad("access_token", "give api_key or access_token, not both")
	}
	return collectors.Checks(bad,
		collectors.BackfillCheck(c.Backfill),
		collectors.Check{Key: "revisit", OK: c.Revisit > 0, Problem: "must be a positive duration such as 72h"},
		collectors.MaxPagesCheck(c.MaxPages), collectors.MaxBytesCheck(c.MaxBytes),
		collectors.TimeoutCheck(c.Timeout),
		collectors.EveryCheck("brand_accounts", c.BrandAccounts, channelPattern.MatchString, "is not a channel ID"),
		collectors.BaseURLCheck("base_url", c.BaseURL))
}

// Collector collects the comment threads of a YouTube channel's videos,
// replies included. It is safe for concurrent use, though the caller
// normally runs one Collect at a time, passing each the cursor the
// previous one returned.
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
	cfg.BrandAccounts = collectors.OwnAccounts(cfg.BrandAccounts, cfg.ChannelID)
	return &Collector{collectors.NewAPI(name, cfg, deps, strings.TrimSuffix(cfg.BaseURL, "/")+"/youtube/v3")}, nil
}

// Collect reads the channel's comment threads from the newest down to
// those it revisits (see the package documentation) and returns the
// comments and replies that are new or whose text changed, with the
// cursor to pass next time. An error before anything was collected is
// returned with the cursor unchanged; one after is logged, and what was
// collected is returned with a cursor that remembers where to carry on.
func (c *Collector) Collect(ctx context.Context, cursor string) ([]earshot.Post, string, error) {
	now := c.Deps.Now()
	// The API key when there is one, else the access token.
	key, secret := "api_key", c.Cfg.APIKey
	if secret == "" {
		key, secret = "access_token", c.Cfg.AccessToken
	}
	cred, err := c.Credential(Kind, now, key, secret)
	if err != nil {
		return nil, cursor, err
	}
	r := &run{c: c,
		RevisitRun: collectors.StartRevisitRun[sweepToken](cursor, c.Cfg.ChannelID, now, c.Cfg.Backfill, c.Deps.Log)}
	if key == "api_key" {
		r.key = cred
	} else {
		r.token = cred
	}
	return r.Finish(cursor, c.Cfg.Revisit, func(since int64, from sweepToken) (bool, sweepToken, error) {
		done, next, err := r.pass(ctx, since, string(from))
		return done, sweepToken(next), err
	}, c.Backoff.Until, c.Deps.Log)
}

// run is the state of one Collect.
type run struct {
	collectors.RevisitRun[sweepToken]
	c          *Collector
	key, token string
}

// pass reads the threads started from since on, newest first, from the
// page token (empty: the first page). It returns done when it reached
// since or the end, else the page token to carry on from.
func (r *run) pass(ctx context.Context, since int64, token string) (done bool, next string, err error) {
	for {
		if r.Requests >= r.c.Cfg.MaxPages {
			return false, token, nil
		}
		q := url.Values{
			"part":                         {"snippet,replies"},
			"allThreadsRelatedToChannelId": {r.c.Cfg.ChannelID},
			"order":                        {"time"},
			"maxResults":                   {strconv.Itoa(maxResults)},
			"textFormat":                   {"plainText"},
		}
		if token != "" {
			q.Set("pageToken", token)
		}
		var list threadList
		if err := r.get(ctx, "/commentThreads", q, &list); err != nil {
			return false, token, err
		}
		older := false
		for _, th := range list.Items {
			top := th.Snippet.TopLevelComment
			if top.Snippet.PublishedAt.IsZero() || top.Snippet.PublishedAt.Unix() < since {
				older = true // threads come newest first: the rest are older
				continue
			}
			ok, err := r.thread(ctx, th)
			if err != nil || !ok {
				return false, token, err // this page again
			}
		}
		if older || list.NextPageToken == "" || len(list.Items) == 0 {
			return true, "", nil
		}
		token = list.NextPageToken
	}
}

// thread takes the top-level comment of th and its replies, fetching
// them with comments.list when th holds fewer than there are. ok is false
// when the run ran out of requests before the end.
func (r *run) thread(ctx context.Context, th commentThread) (ok bool, err error) {
	top := th.Snippet.TopLevelComment
	id := th.ID
	if id == "" {
		id = top.ID
	}
	rec := r.Cursor.Thread(id, top.Snippet.PublishedAt.Unix())
	video := th.Snippet.VideoID
	r.take(rec, top, video, video)
	for _, reply := range th.Replies.Comments {
		r.take(rec, reply, video, id)
	}
	if th.Snippet.TotalReplyCount <= len(th.Replies.Comments) {
		return true, nil
	}
	token := ""
	for {
		if r.Requests >= r.c.Cfg.MaxPages {
			return false, nil
		}
		q := url.Values{
			"part":       {"snippet"},
			"parentId":   {id},
			"maxResults": {strconv.Itoa(maxResults)},
			"textFormat": {"plainText"},
		}
		if token != "" {
			q.Set("pageToken", token)
		}
		var list commentList
		if err := r.get(ctx, "/comments", q, &list); err != nil {
			return false, err
		}
		for _, reply := range list.Items {
			r.take(rec, reply, video, id)
		}
		if list.NextPageToken == "" || len(list.Items) == 0 {
			return true, nil
		}
		token = list.NextPageToken
	}
}

// take adds the post of cm, which answers parent, unless it was returned
// before with the same text.
func (r *run) take(rec *collectors.RevisitThread, cm comment, video, parent string) {
	if cm.Snippet.ParentID != "" {
		parent = cm.Snippet.ParentID
	}
	p, ok := r.c.post(cm, video, parent, r.Now)
	if !ok {
		r.c.Deps.Log.Debug("skipping comment without text", "id", cm.ID)
		return
	}
	r.Keep(rec, cm.ID, p)
}

// get fetches path with q into v: the API key goes in the query (which
// errors and logs redact), an access token in the Authorization header.
func (r *run) get(ctx context.Context, path string, q url.Values, v any) error {
	r.Requests++
	var h http.Header
	if r.key != "" {
		q.Set("key", r.key)
	} else {
		h = http.Header{"Authorization": {"Bearer " + r.token}}
	}
	ctx, cancel := context.WithTimeout(ctx, r.c.Cfg.Timeout)
	defer cancel()
	_, err := collectors.GetJSON(ctx, r.c.Deps, r.c.Root+path+"?"+q.Encode(), h, r.c.Cfg.MaxBytes, v)
	return classify(err, r.Now)
}
