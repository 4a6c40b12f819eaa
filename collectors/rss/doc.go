// Package rss collects posts from web feeds: RSS 0.9x, 1.0 and 2.0, Atom,
// and JSON Feed 1.0 and 1.1, parsed with github.com/mmcdole/gofeed. It
// registers the collector kind "rss":
//
//	collectors:
//	  rss:
//	    acme-blog-comments:
//	      url: https://blog.acme.example/comments/feed/
//	      kind: comment        # article (default), comment, post, reply, review
//	      source: acme-blog    # default "rss"; prefixes post IDs
//	      max_bytes: 10485760  # default 10 MiB; a larger body is an error
//	      timeout: 30s         # default 30s
//
// # Items to posts
//
// Each item becomes an earshot.Post: its ID is source:native, where native
// is the item's GUID (an Atom id, a JSON Feed id) when it is an absolute URI,
// else the GUID scoped by the feed's URL, else the item's link, else a hash of
// its content. The text is the title and the content (or, lacking content,
// the description) as the feed has them, markup included: the pipeline
// normalizes text, the collector only makes it valid UTF-8. For comments
// the text is the content alone. Links are made absolute against the feed's
// URL; the language is the feed's; the creation time is the item's
// published time, else its updated time, else the time of collection.
//
// # Cursor
//
// The cursor Collect returns is a small JSON document:
//
//	{"v":1,"etag":"\"v7\"","last_modified":"Mon, 02 Jun 2025 10:00:00 GMT","seen":[{"k":"9c1e0b7d5a3f2e41","t":1748858400}]}
//
// The validators of the last response (ETag, Last-Modified) make the next
// fetch conditional; a 304 answer is earshot.ErrNotModified. The seen list
// remembers, newest first, a key for every item collected (a hash of its
// native ID and updated time), so a second fetch of the same feed, or one
// after a restart, returns only the new items, and an item the source edits
// (a new updated time) comes again under the same post ID. The list keeps at
// most 1000 keys; when it drops older ones, "floor" rises to the newest
// time it dropped, and items dated at or before the floor count as seen.
// An unreadable cursor is logged and ignored: the next fetch starts afresh,
// and the store's idempotent saves absorb the repeats.
//
// # Errors
//
// On 429 and 503 Collect returns a *collectors.RetryAfterError, which wraps
// earshot.ErrRateLimited and carries the Retry-After wait. Other non-2xx
// answers, bodies over max_bytes and feeds that do not parse are errors that
// name the feed's URL (with query values and passwords redacted) and the
// problem. A UTF-8 feed with invalid bytes is parsed with those bytes
// replaced by U+FFFD rather than rejected.
package rss
