// Package appstore collects an app's customer reviews from Apple's App
// Store, through the public customer-review feed (JSON), one storefront
// (country) at a time. It registers the collector kind "appstore":
//
//	collectors:
//	  - type: appstore
//	    name: acme-ios
//	    interval: 30m
//	    app_id: "1500000001"       # from apps.apple.com/us/app/acme-cloud/id1500000001
//	    countries: [us, gb, de]    # default [us]; each storefront has its own reviews
//	    backfill: 168h             # default a week: how far back the first run goes
//	    max_pages: 10              # default and most: Apple serves 10 pages of 50
//	    max_bytes: 10485760
//	    timeout: 30s
//	    # base_url: https://itunes.apple.com   (the default)
//
// # Credentials
//
// None: the feed is public. It is not an official API and carries no rate
// limit headers; a 429 or 503 is a *collectors.RetryAfterError (with
// Retry-After when given), and the other countries wait for the next run.
// Developer responses are not in the feed (App Store Connect's API has
// them, with an API key).
//
// # Requests
//
//	GET {base_url}/{country}/rss/customerreviews/page={n}/id={app_id}/sortby=mostrecent/json
//
// Pages 1 to max_pages, newest first, until a review older than the
// cursor, or a page of fewer than 50 reviews. Entries are objects whose
// values sit under "label"; a page with one review has "entry" as an
// object, a page with none has no "entry"; an entry without im:rating (the
// app itself, at the top of older feeds) is skipped.
//
// # Reviews to posts
//
// Each review is a post of kind review, ID "appstore:12199990100" (Apple's
// review ID), with Rating from im:rating (1 to 5: the pipeline makes a 1-
// or 2-star review negative whatever its words). The text is the title, a
// blank line and the content; the author is the reviewer's numeric ID
// (from author.uri) and name; CreatedAt is "updated", when the review was
// written or last edited; the URL is the app's reviews page in that
// storefront. The app version (im:version) has no field in a post and is
// not kept.
//
// # Cursor and edits
//
// Per country, the newest "updated" second collected and the review IDs
// at that second:
//
//	{"v":1,"app":"1500000001","countries":{
//	  "us":{"newest":1748862000,"ids":["12199990100"]},
//	  "gb":{"newest":1748841303,"ids":["12199980001"]}}}
//
// A run takes every review updated after that second, and those at it
// not listed. An edited review moves to the top with a newer "updated":
// it comes again under its ID, and the newer text and rating win. A
// country is read whole or not at all: when one of its pages fails, its
// reviews of this run are dropped and its position kept, so a restart
// neither skips nor repeats; the other countries carry on. A country added
// to the list starts at the backfill. Apple serves 500 reviews per
// country: when more were written between two runs, the older ones are out
// of reach (logged). A cursor of another app is ignored with a warning.
package appstore
