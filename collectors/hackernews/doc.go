// Package hackernews collects Hacker News stories and comments that match a
// query, through the Algolia search API that Hacker News links to
// (https://hn.algolia.com/api). It registers the collector kind
// "hackernews":
//
//	collectors:
//	  hackernews:
//	    acme-hn:
//	      query: '"acme cloud"'  # required: all the words, or a phrase in quotes
//	      backfill: 24h          # default 24h: how far back the first run goes
//	      max_pages: 10          # default 10 requests (of 100 hits) per run
//	      max_bytes: 10485760    # default 10 MiB per response
//	      timeout: 30s           # default 30s per request
//	      # base_url: https://hn.algolia.com/api/v1   (the default)
//
// The API needs no credentials. It allows about 10,000 requests an hour
// from one IP address; a run makes at most max_pages requests.
//
// # Requests
//
// Each request is
//
//	GET {base_url}/search_by_date?query=...&tags=(story,comment)
//	    &numericFilters=created_at_i>=FROM[,created_at_i<=TO]&hitsPerPage=100&page=K
//
// which lists the matching stories and comments between two creation times
// (Unix seconds), newest first, paged by page up to nbPages. Algolia pages
// through at most 1000 hits of a query; when more match, the collector
// narrows the window to the hits older than the oldest it has and pages
// again.
//
// # Hits to posts
//
// A story becomes a post of kind article whose text is its title and its
// story_text (HTML as Hacker News has it), or its title and URL for a link;
// a comment becomes a comment whose text is its comment_text (HTML as is)
// and whose ParentID is the post ID of the story or comment it answers.
// IDs are "hackernews:" and the objectID; the URL is the item's page on
// news.ycombinator.com; the author's ID and handle are the username (the
// API gives no follower count, so reach is unknown); CreatedAt is
// created_at_i. Hits with no text (deleted or dead items) are skipped.
//
// # Cursor
//
// The cursor is a small JSON document:
//
//	{"v":1,"query":"\"acme cloud\"","newest":1748864400,"newest_ids":["44100231"],
//	 "gaps":[{"from":1748779200,"to":1748851200,"to_ids":["44099870"]}]}
//
// newest is the newest creation second collected and newest_ids the items
// collected at that second: the next run asks for created_at_i>=newest and
// drops those IDs, so an item created in the same second as the last one
// seen, but indexed later, is not missed, and none comes twice. The first
// run, with no cursor, starts at now minus backfill.
//
// A run that stops while paging back (at max_pages, at a rate limit, or at
// an error after some posts) records the span it did not reach as a gap:
// from the old newest up to the oldest second it collected, with the IDs
// collected at both ends. The next run first collects what is new, then
// carries on with the gaps, newest first, within the same max_pages, so a
// restart resumes with no gap and no duplicate. At most 20 gaps are kept;
// past that the two oldest merge (which fetches again what lies between
// them, and loses nothing). A cursor for another query, or one that does
// not decode, is ignored with a warning: the run starts afresh.
//
// # Errors and rate limits
//
// A 429 or 503 is a *collectors.RetryAfterError (wrapping
// earshot.ErrRateLimited) with the wait the API gave; until that wait is
// over, Collect answers with the same error without asking the API.
// Rate-limit headers saying no request is left (X-RateLimit-Remaining: 0)
// stop the run's paging early. Other statuses, bodies over max_bytes and
// bodies that are not a search result are errors naming the URL, with its
// query values redacted. An error on a run's first request is returned with
// the cursor unchanged; one after posts were collected is logged, and the
// posts are returned with a cursor holding the gap.
package hackernews
