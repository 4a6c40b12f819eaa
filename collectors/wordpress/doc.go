// Package wordpress collects the comments of a WordPress site through its
// REST API, /wp-json/wp/v2/comments. It registers the collector kind
// "wordpress":
//
//	collectors:
//	  - type: wordpress
//	    name: acme-blog
//	    interval: 5m
//	    site: https://blog.acme.example   # where /wp-json/ lives
//	    brand_authors: [3, 7]             # user IDs of the brand's accounts
//	    # Optional: an application password, to see comments held for
//	    # moderation too (status: all).
//	    # username: earshot
//	    # app_password: env:WP_APP_PASSWORD   # or file:/run/secrets/wp
//	    # status: all                         # default approve
//	    backfill: 24h     # default 24h: how far back the first run goes
//	    reread: 24h       # default 24h: how long a comment is watched for edits
//	    max_pages: 10     # default 10 requests (of 100 comments) per run
//	    max_bytes: 10485760
//	    timeout: 30s
//
// # Credentials
//
// None for the comments visitors see: the REST API serves approved
// comments to anyone. With username and app_password (an application
// password, WordPress 5.6 or later: Users → Profile → Application
// Passwords; never the account's own password) the requests carry HTTP
// basic authentication, and status "all" also collects the comments held
// for moderation (the account must be able to moderate comments). A
// refused password is an error wrapping collectors.ErrUnauthorized, naming
// WordPress's error code ("incorrect_password"); application passwords do
// not expire, so there is nothing to refresh. The password never appears in
// errors, logs or the cursor.
//
// # Requests
//
//	GET {site}/wp-json/wp/v2/comments?after=2025-06-01T10:00:00&per_page=100
//	    &orderby=date&order=asc&page=N&_fields=id,post,parent,...[&status=all]
//
// Pages are read oldest first until X-WP-TotalPages (or a short page when
// a proxy dropped the header); a 400 "rest_comment_invalid_page_number"
// past the first page (comments deleted while paging) ends the listing. A
// 429 or 503 is a *collectors.RetryAfterError with the wait of Retry-After.
//
// # Comments to posts
//
// Each comment is a post of kind comment, ID
// "wordpress:blog.acme.example/comment/311" (the site's host and path keep
// two sites apart). Its ParentID is the comment it answers ("parent"), or,
// for a top-level comment, the article it sits under:
// "wordpress:blog.acme.example/post/204". The text is content.rendered, the
// HTML as WordPress shows it (the pipeline makes it plain text); the URL is
// the comment's link; CreatedAt is date_gmt. The author is the user ID for
// an account ("3"), else the name the guest gave; comments by
// brand_authors are marked FromBrand. Spam and trashed comments (seen only
// with credentials) are skipped.
//
// # Cursor, edits and late approvals
//
// WordPress keeps no modification date for comments (the REST API has
// modified_after for posts only), and compares "after" with the comment's
// local date, whatever zone the parameter names. So every run reads again
// the comments of the last reread (by default 24h, or from the newest
// collected when that is older), asking from 14 hours earlier still and
// keeping only what was created in the window by date_gmt. The cursor
// remembers each comment of the window with a hash of its text and author:
//
//	{"v":1,"site":"blog.acme.example","since":1748779200,"newest":1748862000,
//	 "seen":[{"id":311,"at":1748862000,"h":"9f3c1a2b"}]}
//
// A comment comes again only when it changed (an edit: same ID, the newer
// text wins in the store), and a comment approved late within the window
// comes then. An edit after reread is missed; a comment deleted after it
// was collected stays in the store. A run that stops early (max_pages, an
// error after some pages) saves its query and page as "resume": the next
// run carries on there, so a restart leaves no gap and brings no
// duplicate. A cursor of another site, or one that does not decode, is
// ignored with a warning.
//
// # Other blog engines
//
// Blogs that are not WordPress (Ghost, Blogger, Hugo with a comment
// system, a WordPress site with the REST API turned off) publish comment
// feeds in RSS or Atom: collect those with the rss collector and
// kind: comment, no code of this package:
//
//	collectors:
//	  - type: rss
//	    name: acme-blog-comments
//	    interval: 10m
//	    url: https://blog.acme.example/comments/feed/
//	    kind: comment
//	    source: acme-blog
//
// A feed carries neither the brand's user IDs nor reply structure, and
// shows only the latest comments (ten by default in WordPress), so a busy
// blog is better read through this collector.
package wordpress
