// Package bluesky collects Bluesky posts matching a search
// (app.bsky.feed.searchPosts, newest first). It registers the collector
// kind "bluesky":
//
//	collectors:
//	  bluesky:
//	    acme-bsky:
//	      query: acme cloud                      # required; searchPosts syntax
//	      base_url: https://public.api.bsky.app  # AppView without credentials (default)
//	      identifier: acme-monitor.bsky.social   # optional: log in...
//	      app_password: env:BLUESKY_APP_PASSWORD #   ...with an app password
//	      pds: https://bsky.social               # the account's PDS (default)
//	      backfill: 24h                          # first run: how far back (default 24h)
//	      max_pages: 10                          # searches per run, 100 posts each (default 10)
//	      max_bytes: 10485760                    # cap on one response (default 10 MiB)
//	      timeout: 30s                           # one request (default 30s)
//
// # Credentials
//
// Without credentials the collector asks the public AppView, which may
// refuse or limit search for anonymous callers. With identifier and
// app_password (create one in Settings > Privacy and security > App
// passwords; never use the account's main password) it logs in on the PDS
// (com.atproto.server.createSession) and then sends every request there
// with "Authorization: Bearer" and the access token: a PDS's tokens are
// good only at that PDS, which passes app.bsky.* calls on to the AppView,
// so base_url is not used when logged in. The access token is renewed
// with com.atproto.server.refreshSession a minute before its exp, or when
// a request is refused (401, or 400 ExpiredToken / InvalidToken); when
// refreshing fails too, the collector logs in again, and a refused login
// is an error wrapping collectors.ErrUnauthorized. Sessions live in
// memory only; no token or password appears in errors, logs or cursors.
//
// # Posts
//
// A post's ID is "bluesky:" and its at-uri (at://did/app.bsky.feed.post/rkey),
// which names the author by DID and so never changes. The author is the
// DID, the handle and the display name; the follower count comes from
// app.bsky.actor.getProfiles, 25 authors a call, cached for 6 hours (a
// failed lookup leaves it 0 and is logged). The text is record.text, the
// language the first of record.langs, the creation time record.createdAt
// (else indexedAt), the URL https://bsky.app/profile/{handle}/post/{rkey}
// (by DID when the handle does not verify). A reply's ParentID is its
// record.reply.parent; a quote's is the quoted post (embed
// app.bsky.embed.record or recordWithMedia), kind "post".
//
// # Cursor
//
// searchPosts' own cursor only pages through one search, so the
// collector's cursor is the sort time of the newest post collected ("top":
// the earlier of createdAt and indexedAt, as the AppView sorts, to the
// millisecond), the URIs collected at exactly that time, and the gaps
// earlier runs left:
//
//	{"v":1,"q":"acme cloud","top":"2025-06-02T11:58:00.12Z","top_uris":["at://…"],
//	 "gaps":[{"since":"2025-06-01T12:00:00Z","until":"2025-06-02T11:30:00Z","until_uris":["at://…"]}]}
//
// Each run searches since the top (since is inclusive; the URIs at the top
// are skipped), newest first, so that fresh posts come first, then works
// through the gaps, newest first, each with since and until, all within
// max_pages requests. A run that stops early, out of pages or asked to
// stop (a 429, ratelimit-remaining at 0), records what it did not reach as
// a gap, from the old top to the oldest post it got, that time included
// and that post skipped, so the next run fills it: no gap and no duplicate
// across restarts, even for posts sharing a millisecond. The first run has
// no top and goes back as far as backfill. Past 20 gaps the two oldest
// merge, refetching what lay between them rather than losing anything. A
// change of query, or an unreadable cursor, starts afresh.
//
// Limits: a post whose createdAt is backdated (an import, a wrong clock)
// sorts below a top already passed and is missed, as it is in the app's
// "Latest" tab.
//
// # Rate limits and errors
//
// The ratelimit-remaining and ratelimit-reset (Unix seconds) headers are
// read on every answer. When none is left, or a request gets 429 or 503,
// the run stops: with posts already collected it returns them and a cursor
// holding the rest (follower counts not looked up stay 0); with none it
// returns a *collectors.RetryAfterError (wrapping earshot.ErrRateLimited)
// carrying the wait. Until the reset, Collect returns that error without a
// request. Any other failure (5xx, a malformed body) is an error naming the
// URL, query values redacted, with the XRPC error name when the server
// gave one, and the caller keeps its cursor.
package bluesky
