// Package reddit collects Reddit posts and comments through Reddit's OAuth
// API, as an application with no user ("application only" OAuth, the
// client_credentials grant). It registers the collector kind "reddit":
//
//	collectors:
//	  reddit:
//	    acme-reddit:
//	      client_id: env:REDDIT_CLIENT_ID          # or file:/run/secrets/reddit_id
//	      client_secret: env:REDDIT_CLIENT_SECRET  # or file:/run/secrets/reddit_secret
//	      user_agent: "linux:earshot:v0.1 (by /u/acme_comms)"  # required, descriptive
//	      query: '"acme cloud"'        # search of all Reddit's posts
//	      subreddits: [acmecloud]      # every new post and comment there
//	      search_subreddits: [sysadmin, devops]  # only posts matching query there
//	      backfill: 24h                # default 24h: how far back the first run goes
//	      max_pages: 10                # default 10 requests per listing per run
//	      max_bytes: 10485760          # default 10 MiB per response
//	      timeout: 30s                 # default 30s per request
//	      # auth_url: https://www.reddit.com/api/v1/access_token  (the default)
//	      # api_url: https://oauth.reddit.com                      (the default)
//
// query, subreddits or both are required; search_subreddits needs query.
//
// # Credentials
//
// Create an app at https://www.reddit.com/prefs/apps (type "script" or
// "web"), and pass its ID (under the app's name) and secret as client_id and
// client_secret, from the environment ("env:NAME") or a file ("file:/path").
// Reddit's API terms apply. Reddit throttles or blocks generic user agents;
// user_agent must read "<platform>:<app ID>:<version> (by /u/<username>)",
// naming a Reddit account that can be contacted.
//
// The collector posts grant_type=client_credentials to auth_url with HTTP
// basic authentication (client_id:client_secret), caches the access token
// until a minute (or a tenth of its life) before expires_in, and fetches a
// new one when the API answers 401 (once per run). A token endpoint that
// refuses the credentials is an error wrapping collectors.ErrUnauthorized.
// Neither the credentials nor the token ever appear in errors or logs.
//
// # Listings
//
// Every request goes to api_url with "Authorization: bearer TOKEN" and the
// user agent, limit=100 and raw_json=1 (text without HTML entities):
//
//	/search?q=QUERY&sort=new&type=link                      query
//	/r/SUB/search?q=QUERY&sort=new&type=link&restrict_sr=1  each search_subreddits
//	/r/SUB/new                                              each subreddits: posts
//	/r/SUB/comments                                         each subreddits: comments
//
// Each is a stream with its own cursor, paged newest first with "after"
// (the fullname of the last item of the previous page) until it reaches what
// was collected, the listing ends ("after": null), or max_pages. Reddit's
// search covers posts only, not comments; Reddit serves about 1000 items of
// any listing, so older ones are out of reach (the collector logs it when a
// listing ends before the window it wanted).
//
// # Things to posts
//
// A link (t3) becomes a post of kind post whose text is its title and
// selftext (or its title and URL for a link to elsewhere); a comment (t1)
// becomes a comment whose text is its body and whose ParentID is the post ID
// of parent_id, the fullname of the post or comment it answers. IDs are
// "reddit:" and the fullname ("reddit:t3_1l1a2b3"); the author is
// {ID: author_fullname, Handle and Name: author} (Reddit gives no follower
// count, so reach is unknown; an account since deleted leaves the author
// empty); the URL is https://www.reddit.com and the permalink; CreatedAt is
// created_utc. Deleted and removed items (text "[deleted]" or "[removed]",
// or a removed_by_category) are skipped. A post found by two streams in one
// run comes once.
//
// # Cursor
//
// The cursor is a small JSON document with one entry per stream:
//
//	{"v":1,"streams":{
//	  "r/acmecloud/comments":{"newest":1748865000,"newest_ids":["t1_mvq3k2x"]},
//	  "search:acme cloud":{"newest":1748865000,"newest_ids":["t3_1l1f001"],
//	    "gaps":[{"after":"t3_1l1eff8","from":1748779200,"to":1748858400,"to_ids":["t3_1l1eff8"]}]}}}
//
// newest is the newest creation second a stream collected and newest_ids
// the items collected at that second: the next run pages from the top of
// the listing down to that second, drops those IDs, and stops at the first
// older item, so nothing is missed at the boundary and nothing comes twice.
// The first run of a stream (a new subreddit, a changed query) starts at
// now minus backfill.
//
// A stream that stops while paging back (at max_pages, at a rate limit, at
// an error) records the span it did not reach as a gap: the fullname to page
// on from ("after"), the old newest second ("from") and the oldest second
// it reached ("to"), with the IDs collected at both ends. The next run first
// collects what is new in every stream, then carries on with the gaps, so a
// restart resumes with no gap and no duplicate. At most 20 gaps are kept
// per stream; past that the two oldest merge, which fetches again what lies
// between them and loses nothing. A cursor that does not decode is ignored
// with a warning: the run starts afresh.
//
// # Rate limits and errors
//
// Reddit answers X-Ratelimit-Used, X-Ratelimit-Remaining (a count that can
// be fractional) and X-Ratelimit-Reset (seconds until the window resets).
// When Remaining drops below 1 the run stops paging, returns what it has
// (the cursor holds what is left), and later calls return a
// *collectors.RetryAfterError (wrapping earshot.ErrRateLimited) until the
// reset, without asking the API. A 429 or 503 is the same error with the
// wait from Retry-After, else from the reset header.
//
// When a run collected nothing, an error is returned as is, with the cursor
// unchanged. When one stream fails (a private subreddit's 403, a 5xx, a body
// that is not a listing) the others carry on; the posts collected are
// returned without an error and the failure is logged; the failed stream
// keeps its position. Errors name the URL with its query values redacted.
package reddit
