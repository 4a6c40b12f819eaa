// Package disqus collects the comments of a Disqus forum (the comments
// under a site's pages) through Disqus's API, forums/listPosts. It
// registers the collector kind "disqus":
//
//	collectors:
//	  - type: disqus
//	    name: acme-blog-disqus
//	    interval: 5m
//	    forum: acmecloud               # the short name, as in acmecloud.disqus.com
//	    api_key: env:DISQUS_API_KEY    # or file:/run/secrets/disqus_key
//	    brand_authors: [acmecloud]     # usernames (or user IDs) of the brand's accounts
//	    backfill: 24h     # default 24h: how far back the first run goes
//	    reread: 24h       # default 24h: how long a post is watched for edits
//	    max_pages: 10     # default 10 requests (of 100 posts) per run
//	    max_bytes: 10485760
//	    timeout: 30s
//	    # base_url: https://disqus.com/api/3.0   (the default)
//
// # Credentials
//
// api_key is the public key of a Disqus API application
// (https://disqus.com/api/applications/): listing a forum's public posts
// needs no user and no secret key. Disqus keys do not expire; a revoked or
// wrong key (Disqus errors 4, 5, 9, 11, 12, 17, 18) is an error wrapping
// collectors.ErrUnauthorized that names the code. The key travels in the
// query, which errors and logs redact; it never reaches the cursor.
//
// # Requests
//
//	GET {base_url}/forums/listPosts.json?forum=acmecloud&api_key=KEY
//	    &since=1748779200&order=asc&limit=100&related=thread[&cursor=NEXT]
//
// Pages are followed through cursor.next while cursor.hasNext. Disqus's
// rate limits (errors 13 and 14, with any HTTP status, and 429) are a
// *collectors.RetryAfterError waiting until X-Ratelimit-Reset; when a page
// says no request is left (X-Ratelimit-Remaining: 0) the run stops and the
// next carries on.
//
// # Posts
//
// Each post is a post of kind comment, ID "disqus:6712345001". Its
// ParentID is the post it answers ("parent"), or for a top-level post its
// thread, "disqus:thread/9876543204" (the page the comments are under).
// The text is raw_message, what the author typed (message, the HTML with
// links rewritten through disq.us, when it is missing); the URL is the
// thread's link with "#comment-ID"; CreatedAt is createdAt (UTC). The
// author is {ID: author.id, Handle: username, Name: name}; a guest has no
// ID, and their name stands in. Posts by brand_authors are marked
// FromBrand. Deleted and spam posts (isDeleted, isSpam) are skipped.
//
// # Cursor and edits
//
// listPosts has no modification date: since filters by creation. So every
// run reads again the posts of the last reread (by default 24h, or from
// the newest collected when that is older), and the cursor remembers each
// with a hash of its text and author:
//
//	{"v":1,"forum":"acmecloud","since":1748779200,"newest":1748862000,
//	 "seen":[{"id":"6712345001","at":1748862000,"h":"9f3c1a2b"}]}
//
// A post comes again only when its text changed (an edit: isEdited, same
// ID, the newer text wins in the store). An edit after reread is missed;
// a post deleted after it was collected stays in the store. A run that
// stops early (max_pages, the quota, an error after some pages) saves the
// listing's since and Disqus's cursor as "resume", and the next run
// carries on there: a restart leaves no gap and brings no duplicate. A
// cursor of another forum, or one that does not decode, is ignored with a
// warning.
package disqus
