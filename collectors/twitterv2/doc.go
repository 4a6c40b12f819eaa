// Package twitterv2 collects tweets from the X (Twitter) API v2 recent
// search, GET /2/tweets/search/recent, with net/http. It registers the
// collector kind "twitter_v2":
//
//	collectors:
//	  twitter_v2:
//	    acme-mentions:
//	      query: '("Acme Cloud" OR @acmecloud OR #acmedown) -is:retweet'
//	      bearer_token: env:X_BEARER_TOKEN   # or file:/run/secrets/x-bearer
//	      backfill: 24h        # first run: tweets of the last 24h (at most 168h)
//	      max_pages: 10        # pages per run; the rest comes next run
//	      max_results: 100     # tweets per page, 10 to 100
//	      max_bytes: 10485760  # default 10 MiB per response
//	      timeout: 30s         # default 30s per request
//	      # base_url: https://x-proxy.internal   # default https://api.twitter.com
//
// # Credentials
//
// An app-only bearer token of an app attached to a project in the developer
// portal (developer.x.com), on an access level that includes the recent
// search (Basic or above). No user context is needed. The token is read
// from the environment ("env:NAME") or a file ("file:/path") when the
// collector is built; it travels only in the Authorization header, and is
// never logged nor put in an error.
//
// # Tweets to posts
//
// Each request asks for expansions=author_id,referenced_tweets.id,
// referenced_tweets.id.author_id, user.fields=public_metrics,username,name
// and tweet.fields=created_at,lang,public_metrics,conversation_id,
// referenced_tweets,author_id,note_tweet. A tweet's ID is "twitter:" and its
// id, the same as the v1.1 collector's ("twitter"), so a tweet seen by both is
// stored once. The author comes from includes.users: id, username, name and
// public_metrics.followers_count (the reach); the URL is
// https://x.com/{username}/status/{id}. A reply (referenced_tweets
// replied_to) is a "reply" whose ParentID is the tweet it answers; a quote is
// a "post" whose ParentID is the quoted tweet. A retweet is collected as the
// tweet it retweets (from includes.tweets), once per run however many
// retweets the run sees, even when the original is older than the backfill;
// a retweet whose original the API does not return (deleted, protected) is
// skipped. The text is note_tweet.text for a long tweet, else text. The
// language is the tweet's, without "und", "zxx" and the "q…" codes.
//
// # Cursor
//
// The cursor is a small JSON document:
//
//	{"v":1,"since_id":"1929523463413514240","gaps":[{"since_id":"1929518430559092736","until_id":"1929521046567469056"}]}
//
// A run asks for the tweets after since_id (on the first run, after the
// Snowflake ID of now-backfill: tweet IDs encode their time, and the API
// refuses start_time together with until_id), newest first, following
// meta.next_token until there is none. since_id becomes the newest ID
// returned, so a restart resumes with no gap and no duplicate. When a run
// has to stop before reaching the old since_id (max_pages used up, or the
// rate limit exhausted), the range still to fetch is kept as a gap, since_id
// < id < until_id (a next_token is not kept: it belongs to its request). The
// next run fetches what is new first, then works through the gaps, newest
// first, with the pages it has left. A gap that falls out of the search's
// 7-day reach, or the oldest once more than 20 pile up, is given up with a
// warning naming its time range: a blind spot is logged, never silent.
//
// # Rate limits and errors
//
// When x-rate-limit-remaining reaches 0 the run stops after that page,
// returning what it has; until x-rate-limit-reset (Unix seconds), Collect
// returns a *collectors.RetryAfterError without a request. A 429 or 503 on
// the first request of a run is a *collectors.RetryAfterError (wrapping
// earshot.ErrRateLimited) with the wait from Retry-After or
// x-rate-limit-reset; later in a run it ends the run early, as above. 401
// and 403 (an expired or revoked token, an app without access) wrap
// collectors.ErrUnauthorized. Other statuses, a body that is not the search's
// JSON, and a body larger than max_bytes are errors naming the endpoint
// (query values redacted); the caller keeps its cursor.
package twitterv2
