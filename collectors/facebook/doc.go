// Package facebook collects a Facebook Page's feed, the Page's own posts
// and visitors' posts, with the comments and replies under them, through
// the Graph API with a Page access token. It registers the collector kind
// "facebook":
//
//	collectors:
//	  - type: facebook
//	    name: acme-facebook
//	    interval: 5m
//	    page_id: "104857600123"              # required: the Page's numeric ID
//	    access_token: env:FACEBOOK_PAGE_TOKEN  # required, or file:/run/secrets/fb_page_token
//	    api_version: v21.0                   # default v21.0
//	    brand_accounts: ["104857600123"]     # default: the Page itself
//	    backfill: 24h                        # default 24h: how far back the first run goes
//	    revisit: 72h                         # default 72h: posts re-read for new comments and edits
//	    max_pages: 20                        # default 20 requests per run
//	    usage_threshold: 80                  # default 80: % of a rate limit at which a run stops paging
//	    max_bytes: 10485760                  # default 10 MiB per response
//	    timeout: 30s                         # default 30s per request
//	    # base_url: https://graph.facebook.com   (the default)
//
// # Credentials
//
// A Page access token of an app with the pages_read_engagement and
// pages_read_user_content permissions (the latter gives the authors of
// comments and visitor posts), from a user with a task on the Page; a
// long-lived one (a Page token from a long-lived user token, or a system
// user's token) does not expire every hour. It is sent in the
// Authorization header, never in a URL, and never appears in errors,
// logs or cursors.
//
// # Requests
//
// Each run reads
//
//	GET {base_url}/{api_version}/{page_id}/feed?fields=id,message,created_time,from,permalink_url,
//	    comments.limit(100){id,message,created_time,from,parent{id},permalink_url,comment_count,
//	    comments.limit(100){…}}&since=SINCE[&until=UNTIL]&limit=25[&after=CURSOR]
//
// newest first, paging with paging.cursors.after while paging.next is
// there. A post with more comments than the feed holds is paged through
// GET /{post-id}/comments?after=…, a comment with more replies through
// GET /{comment-id}/comments?after=…. Every request, comment pages
// included, counts toward max_pages.
//
// # Items to posts
//
// A feed post becomes a post (kind post), a comment or reply a comment
// whose ParentID is the post ID of what it answers: the post, or for a
// reply its parent comment. IDs are "facebook:" and the Graph ID; the URL
// is permalink_url; the author is from's ID and name (the Graph API has no
// public handles, and gives no author without pages_read_user_content).
// Items of the accounts in brand_accounts are marked FromBrand. Items
// without a message (a photo without a caption, a sticker) are skipped,
// but the comments under such a post are not; a deleted comment is no
// longer in the answer, and its stored version is left alone.
//
// # Cursor and edits
//
// Comments keep coming under posts of the last days, and comments are
// edited, so a run reads again every post created since the cursor's
// since, which trails the run by revisit (72h): a post is re-read for
// revisit after it is published, or since the first run's backfill. The
// cursor keeps a short fingerprint of the text of every item returned
// under those posts, by ID; an item comes again only when its text
// changed (an edit: the same ID with the newer text, which the store
// keeps as the latest version). Comments on posts older than revisit are
// not collected.
//
//	{"v":2,"owner":"104857600123","since":1748606400,
//	 "sweep":{"start":1748865600,"until":1748851201},
//	 "seen":{"104857600123_1202":{"t":1748854800,"ids":{"104857600123_1202":"5c9a635d","1202_3301":"90c8effa"}}}}
//
// A run that cannot read down to since (at max_pages, at the usage
// threshold, at an error after some posts) records a sweep: when it began
// and the creation time to carry on from. The next runs read what is new
// since the sweep began, then carry it on with until, so a restart
// resumes with no gap, and the fingerprints keep what was returned from
// coming twice. A cursor for another page, or one that does not decode,
// is ignored with a warning: the run starts afresh.
//
// # Rate limits and errors
//
// After each answer the collector reads X-App-Usage, X-Page-Usage and
// X-Business-Use-Case-Usage; when a call count, CPU time or total time is
// at usage_threshold percent or more the run stops paging (the next run
// carries on), and waits the estimated_time_to_regain_access the API
// gives. An error with code 4, 17, 32, 613 or 80001-80014 is a
// *collectors.RetryAfterError (wrapping earshot.ErrRateLimited) with that
// estimate, or 10 minutes; until it is over, Collect answers with the same
// error without asking the API. Codes 190 (an expired or revoked token),
// 102, 10 and 200-299 (missing permissions) wrap
// collectors.ErrUnauthorized. Errors name the code, never the message
// (which a server may fill with what it was sent). An error before
// anything was collected is returned with the cursor unchanged; one after
// is logged, and what was collected is returned with the sweep.
package facebook
