// Package mastodon collects statuses from a Mastodon instance: its hashtag
// timelines (GET /api/v1/timelines/tag/:hashtag) and its full-text status
// search (GET /api/v2/search?type=statuses). It registers the collector
// kind "mastodon":
//
//	collectors:
//	  mastodon:
//	    acme-social:
//	      instance: https://mastodon.social   # required
//	      hashtags: [acmecloud, acme]          # hashtags and/or query
//	      query: '"acme cloud"'                # needs access_token on most instances
//	      access_token: env:MASTODON_TOKEN     # or file:/run/secrets/mastodon
//	      backfill: 24h                        # first run: how far back (default 24h)
//	      max_pages: 10                        # requests per stream and run (default 10)
//	      max_bytes: 10485760                  # cap on one response (default 10 MiB)
//	      timeout: 30s                         # one request (default 30s)
//
// # Credentials
//
// Hashtag timelines need no token on instances that show them to visitors.
// Status search needs one on most instances (Mastodon searches statuses
// only for a logged-in user, and pages search results only for one): in
// the instance's Preferences > Development, create an application with the
// scopes read:statuses and read:search, and put its access token in the
// environment or a file. It is sent as "Authorization: Bearer" and never
// appears in errors or logs. A refused token is an error wrapping
// collectors.ErrUnauthorized.
//
// # Statuses to posts
//
// A status's ID differs from instance to instance, so a post's ID is
// "mastodon:" and the status's canonical uri (its ActivityPub ID, the same
// wherever it is seen), which makes the same status collected through two
// instances, or through a hashtag and the search, one post. A boost is
// replaced by the status it boosts, collected once. The author is
// identified by the profile URL; the handle is acct with its domain
// ("alice@mastodon.social", the instance's host for its local accounts).
// The text is the content HTML as is (the pipeline normalizes it); the
// language, URL and creation time are the status's.
//
// A reply's ParentID is the post ID of the status it answers, built from
// that status's canonical uri, so that a thread can be put together from
// post IDs whichever instance each status came through. Mastodon gives
// only the parent's local ID (in_reply_to_id), so the collector maps local
// IDs to URIs from the statuses it has seen and otherwise looks the parent
// up (GET /api/v1/statuses/:id, at most 20 a run, remembered). A parent
// that cannot be looked up (deleted, private, over the budget) leaves
// ParentID empty rather than hold an ID no post will ever have.
//
// # Cursor
//
// The cursor is JSON holding, for each hashtag and the search, the newest
// status ID collected ("top") and the gaps that earlier runs left:
//
//	{"v":1,"streams":{"tag:acmecloud":{"top":"114600000000000100",
//	  "gaps":[{"since":"114590000000000000","max":"114595000000000000"}]}}}
//
// Each run pages back from the newest status (since_id the top) so that
// fresh statuses come first, then works through the gaps, newest first,
// each from its upper end down (max_id), all within max_pages requests per
// stream. A run that stops early, out of pages or asked by the instance to
// stop (a 429, X-RateLimit-Remaining at 0), records the part it did not
// reach as a gap (from the old top to the oldest status it got), so the
// next run fills it: no gap and no duplicate across restarts. The first run
// has no top and goes back as far as backfill (by creation time). Past 20
// gaps the two oldest merge, refetching what lay between them rather than
// losing anything. Timelines page through the Link header (rel="next");
// search pages by offset within fixed bounds, widened to whole seconds
// because Mastodon turns min_id and max_id into after: and before: dates,
// with statuses outside the span dropped by ID. An unreadable cursor is
// logged and ignored: the next run backfills afresh.
//
// Limits: a remote status that reaches the instance late can get a local ID
// below a top already passed and is then missed; Mastodon's public APIs
// offer no way to see such statuses.
//
// # Rate limits and errors
//
// Mastodon allows 300 requests per 5 minutes per token or address and
// says so in X-RateLimit-Remaining and X-RateLimit-Reset (an ISO 8601
// time). When a response says none are left, or a request gets 429 or
// 503, the run stops: with statuses already collected it returns them and
// a cursor holding the rest; with none it returns a
// *collectors.RetryAfterError (wrapping earshot.ErrRateLimited) carrying
// the wait. Until the reset, Collect returns that error without a request.
// Any other failure (5xx, a malformed body, a refused token) is an error
// naming the URL, query values redacted, and the caller keeps its cursor.
package mastodon
