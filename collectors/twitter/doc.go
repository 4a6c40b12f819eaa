// Package twitter collects tweets from the Twitter/X API v1.1 standard
// search (GET /1.1/search/tweets.json), through
// github.com/dghubble/go-twitter. It registers the collector kind "twitter":
//
//	collectors:
//	  twitter:
//	    acme-mentions:
//	      query: '"Acme Cloud" OR @acmecloud OR #acmedown'
//	      bearer_token: env:TWITTER_BEARER_TOKEN   # or file:/run/secrets/twitter
//	      backfill: 24h        # first run: tweets of the last 24h (at most 168h)
//	      max_pages: 10        # pages of 100 tweets per run; the rest comes next run
//	      max_bytes: 10485760  # default 10 MiB per response
//	      timeout: 30s         # default 30s per request
//	      # base_url: https://twitter-proxy.internal   # default https://api.twitter.com
//
// # Credentials
//
// An app-only bearer token: create a project and app in the developer
// portal (developer.x.com) with access to the v1.1 search, and copy the
// app's Bearer Token. No user context is needed. The token is read from the
// environment ("env:NAME") or a file ("file:/path") when the collector is
// built; it is sent only to the API's host, never logged and never put in an
// error.
//
// # Tweets to posts
//
// Each tweet is searched with tweet_mode=extended, so its text is whole.
// Its ID is "twitter:" and the tweet's id_str, the same as the twitter_v2
// collector's, so a tweet seen by both is stored once. The author is the
// user's id_str, screen_name, name and followers_count (the reach); the URL
// is https://x.com/{screen_name}/status/{id}. A reply (in_reply_to_status_id
// set) is a "reply" whose ParentID is the tweet it answers; a quote tweet is
// a "post" whose ParentID is the quoted tweet. A retweet is collected as the
// tweet it retweets, once per run however many retweets the run sees: an old
// tweet retweeted now is news, so it comes even when older than the backfill
// (the store keeps one copy). The language is the tweet's ("und" dropped).
//
// # Cursor
//
// The cursor is a small JSON document:
//
//	{"v":1,"since_id":"1929523463413514240","gaps":[{"since_id":"1929518430559092736","until_id":"1929521046567469056"}]}
//
// A run asks for the tweets after since_id (on the first run, after the
// Snowflake ID of now-backfill: tweet IDs encode their time), newest first,
// and pages back with max_id until the search has nothing older. since_id
// becomes the newest ID returned, so a restart resumes with no gap and no
// duplicate. When a run has to stop before reaching the old since_id
// (max_pages used up, or the rate limit exhausted), the range still to fetch
// is kept as a gap: since_id < id < until_id (the search's max_id is
// until_id - 1; the cursor is the same [collectors.IDWatermark] as the v2
// collector's). The next run fetches what is new first, then works
// through the gaps, newest first, with the pages it has left. A gap that falls out of the search's 7-day reach, or the oldest once
// more than 20 pile up, is given up with a warning naming its time range:
// a blind spot is logged, never silent.
//
// # Rate limits and errors
//
// When the x-rate-limit-remaining header of a page reaches 0 the run stops
// after that page, returning what it has; until x-rate-limit-reset, Collect
// returns a *collectors.RetryAfterError without a request. A 429 or 503 on
// the first request of a run is a *collectors.RetryAfterError (wrapping
// earshot.ErrRateLimited) with the wait from Retry-After or
// x-rate-limit-reset; later in a run it ends the run early, as above. 401
// and 403 (a revoked or expired token) wrap collectors.ErrUnauthorized. Other
// statuses, a body that is not the search's JSON, and a body larger than
// max_bytes are errors naming the endpoint; the caller keeps its cursor.
package twitter
