// Package linkedin collects a LinkedIn organization's (a company page's)
// posts with the comments and replies under them, through the Community
// Management API. It registers the collector kind "linkedin":
//
//	collectors:
//	  - type: linkedin
//	    name: acme-linkedin
//	    interval: 15m
//	    organization_id: "2414183"            # required: the organization's numeric ID
//	    access_token: env:LINKEDIN_TOKEN      # required, or file:/run/secrets/linkedin_token
//	    api_version: "202505"                 # default 202505: the LinkedIn-Version header
//	    brand_accounts: ["2414183", "urn:li:person:pRiYaSh99"]  # default: the organization
//	    backfill: 24h                         # default 24h: how far back the first run goes
//	    revisit: 72h                          # default 72h: posts re-read for new comments and edits
//	    max_pages: 50                         # default 50 requests per run
//	    max_bytes: 10485760                   # default 10 MiB per response
//	    timeout: 30s                          # default 30s per request
//	    # base_url: https://api.linkedin.com   (the default)
//
// # Credentials
//
// A 3-legged OAuth 2.0 access token of a member who is an administrator
// (or content admin) of the page, from an app approved for the Community
// Management API, with the r_organization_social scope. LinkedIn's tokens
// last 60 days; renew it (or use the refresh token LinkedIn grants
// approved apps) before then. It is sent in the Authorization header and
// never appears in errors, logs or cursors. LinkedIn retires an API
// version about a year after its release: keep api_version recent.
//
// # Requests
//
// Every request carries Authorization: Bearer, LinkedIn-Version and
// X-Restli-Protocol-Version: 2.0.0, with URNs encoded as Rest.li 2.0
// wants. Each run lists the posts
//
//	GET {base_url}/rest/posts?q=author&author=urn%3Ali%3Aorganization%3AID&sortBy=CREATED&count=50&start=N
//
// newest first, down to the oldest it revisits; for each post its comments
//
//	GET {base_url}/rest/socialActions/{post URN}/comments?count=100&start=N
//
// and, for a comment with comments of its own (commentsSummary), its
// replies from GET /rest/socialActions/{comment URN}/comments. Every
// request counts toward max_pages: a run makes at least one request per
// post it revisits, so keep the interval at 10 minutes or more for busy
// pages (LinkedIn's limits are per day, per app and per member).
//
// # Items to posts
//
// A post becomes a post (kind post) whose text is its commentary; a
// comment becomes a comment whose ParentID is the post, or for a reply
// the comment of its parentComment. IDs are "linkedin:" and the URN
// ("linkedin:urn:li:share:7335000000000000011",
// "linkedin:urn:li:comment:(urn:li:activity:…,…)"); the URL is the post's
// page on linkedin.com, with commentUrn for a comment; the author is the
// actor's URN (the API gives no names without more permissions). Posts
// and comments of brand_accounts (URNs, or numeric organization IDs) are
// marked FromBrand. Posts that are not PUBLISHED or have no commentary,
// and comments without a message (deleted), are skipped; the comments
// under such a post are not. A deleted comment is no longer in the answer,
// and its stored version is left alone.
//
// # Cursor and edits
//
// A run reads again every post created since the cursor's since, which
// trails the run by revisit (72h), with all its comments: new comments
// come, and edited ones (lastModified later) come again under their URN
// with the newer text, which the store keeps as the latest version. The
// cursor keeps a short fingerprint of the text of every item returned
// under those posts; an item comes again only when its text changed.
// Comments on posts older than revisit are not collected.
//
//	{"v":2,"owner":"2414183","since":1748606400,
//	 "sweep":{"start":1748865600,"offset":3},
//	 "seen":{"urn:li:share:7335000000000000011":{"t":1748854800,"ids":{"urn:li:share:7335000000000000011":"5c9a635d"}}}}
//
// A run that cannot read down to since (at max_pages, at an error after
// some posts) records a sweep: when it began and the index in the list to
// carry on from. The next runs read what is new since the sweep began,
// then carry it on from that index; posts published meanwhile push the
// list down, so some are read again, and the fingerprints keep them from
// coming twice. A cursor for another organization, or one that does not
// decode, is ignored with a warning: the run starts afresh.
//
// # Rate limits and errors
//
// A 429 is a *collectors.RetryAfterError (wrapping earshot.ErrRateLimited)
// with the Retry-After the API gave; until it is over, Collect answers
// with the same error without asking the API. 401 (an expired or revoked
// token) and 403 (a missing permission) wrap collectors.ErrUnauthorized.
// Errors name LinkedIn's error code (EXPIRED_ACCESS_TOKEN), never its
// message. An error before anything was collected is returned with the
// cursor unchanged; one after is logged, and what was collected is
// returned with the sweep.
package linkedin
