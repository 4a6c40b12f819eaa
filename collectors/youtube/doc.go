// Package youtube collects the comments on a YouTube channel's videos,
// replies included, through the YouTube Data API v3. It registers the
// collector kind "youtube":
//
//	collectors:
//	  - type: youtube
//	    name: acme-youtube
//	    interval: 10m
//	    channel_id: UCacmeCloud0000000000001   # required: "UC" and 22 characters
//	    api_key: env:YOUTUBE_API_KEY            # or access_token: env:YOUTUBE_TOKEN (not both)
//	    brand_accounts: [UCacmeCloud0000000000001]  # default: the channel itself
//	    backfill: 24h                           # default 24h: how far back the first run goes
//	    revisit: 72h                            # default 72h: threads re-read for replies and edits
//	    max_pages: 20                           # default 20 requests (quota units) per run
//	    max_bytes: 10485760                     # default 10 MiB per response
//	    timeout: 30s                            # default 30s per request
//	    # base_url: https://www.googleapis.com   (the default)
//
// # Credentials
//
// An API key of a Google Cloud project with the YouTube Data API v3
// enabled (public comments), or instead an OAuth 2.0 access token of the
// channel's owner (scope youtube.readonly or youtube.force-ssl). The key
// goes in the query (errors and logs redact query values), a token in the
// Authorization header; neither appears in errors, logs or cursors. Each
// request costs one unit of the project's daily quota (10,000 by default):
// a run every 10 minutes reading 3 pages uses about 430 a day.
//
// # Requests
//
// Each run lists the channel's comment threads
//
//	GET {base_url}/youtube/v3/commentThreads?part=snippet,replies&allThreadsRelatedToChannelId=CHANNEL
//	    &order=time&maxResults=100&textFormat=plainText[&pageToken=…]&key=KEY
//
// newest first, down to the oldest thread it revisits. A thread holds some
// of its replies; when totalReplyCount says there are more, they are
// listed with GET /youtube/v3/comments?part=snippet&parentId=THREAD.
// Every request counts toward max_pages.
//
// # Comments to posts
//
// Every comment becomes a post of kind comment: IDs are "youtube:" and
// the comment's ID; a top-level comment's ParentID is "youtube:" and the
// video's ID, a reply's the top-level comment it answers, so a thread can
// be shown whole. The text is textOriginal (given to the channel's owner)
// or the plain-text textDisplay; the author is authorChannelId, the handle
// (authorDisplayName without its "@") and the display name; the URL is
// the video's page with lc= the comment. Comments of the channels in
// brand_accounts are marked FromBrand. A comment with no text is skipped;
// a deleted one is no longer in the answer, and its stored version is
// left alone.
//
// # Cursor and edits
//
// A run reads again every thread started since the cursor's since, which
// trails the run by revisit (72h): new replies come, and edited comments
// (updatedAt later) come again under their ID with the newer text, which
// the store keeps as the latest version. The cursor keeps a short
// fingerprint of the text of every comment returned in those threads; a
// comment comes again only when its text changed. Replies to threads older
// than revisit are not collected.
//
//	{"v":2,"owner":"UCacmeCloud0000000000001","since":1748606400,
//	 "sweep":{"start":1748865600,"page_token":"CAIQAA"},
//	 "seen":{"UgzAcmeT1aaaaaaaaaaaaa4AaABAg":{"t":1748856000,"ids":{"UgzAcmeT1aaaaaaaaaaaaa4AaABAg":"90c8effa"}}}}
//
// A run that cannot read down to since (at max_pages, at an error after
// some comments) records a sweep: when it began and the page token to
// carry on from. The next runs read what is new since the sweep began,
// then carry it on, so a restart resumes with no gap, and the
// fingerprints keep what was returned from coming twice. A cursor for
// another channel, or one that does not decode, is ignored with a
// warning: the run starts afresh.
//
// # Quota and errors
//
// A 403 quotaExceeded (or dailyLimitExceeded) is a
// *collectors.RetryAfterError (wrapping earshot.ErrRateLimited) that waits
// until the quota resets, at midnight Pacific time; a 403
// rateLimitExceeded (a short-term limit) waits Retry-After, or a minute.
// Until the wait is over, Collect answers with the same error without
// asking the API. 401, a refused API key (400 API_KEY_INVALID) and other
// 403s wrap collectors.ErrUnauthorized. Errors name the reason, never the
// message. An error before anything was collected is returned with the
// cursor unchanged; one after is logged, and what was collected is
// returned with the sweep.
package youtube
