// Package googleplay collects an app's Google Play reviews, and the
// developer's answers to them, through the Google Play Developer API
// (Android Publisher v3, reviews.list), signed in as a service account. It
// registers the collector kind "googleplay":
//
//	collectors:
//	  - type: googleplay
//	    name: acme-android
//	    interval: 15m
//	    package_name: com.acme.cloud
//	    service_account: file:/run/secrets/play-reviews.json  # or env:PLAY_SERVICE_ACCOUNT (the JSON)
//	    backfill: 168h      # default and most: the API serves the last week
//	    max_pages: 10       # default 10 requests (of 100 reviews) per run
//	    max_bytes: 10485760
//	    timeout: 30s
//	    # base_url: https://androidpublisher.googleapis.com   (the default)
//
// # Credentials
//
// A Google Cloud service account with a JSON key, invited in the Play
// Console (Users and permissions) with the "Reply to reviews" permission
// for the app, the Google Play Android Developer API enabled in its
// project. service_account holds the key file: its path ("file:/path") or
// the JSON itself in an environment variable ("env:NAME").
//
// The collector signs its own assertion (a JWT, RS256 with the key's
// private_key: iss the client_email, scope
// https://www.googleapis.com/auth/androidpublisher, aud the token_uri, an
// hour from iat to exp) and exchanges it at token_uri with grant_type
// urn:ietf:params:oauth:grant-type:jwt-bearer. The access token is cached
// until a minute before expires_in; a 401 from the API drops it and gets
// a new one, once per run. A refused assertion (invalid_grant: a deleted
// key, a clock far off) or a second 401 is an error wrapping
// collectors.ErrUnauthorized, and so is a 403 other than a quota
// (the account lost its access). Neither the key nor the token ever
// appears in errors, logs or the cursor.
//
// # Requests
//
//	GET {base_url}/androidpublisher/v3/applications/{package_name}/reviews?maxResults=100[&token=NEXT]
//
// Pages follow tokenPagination.nextPageToken. A 429, or a 403 whose body
// gives a quota reason (rateLimitExceeded, userRateLimitExceeded,
// quotaExceeded, RESOURCE_EXHAUSTED), is a *collectors.RetryAfterError.
//
// # Reviews to posts
//
// A review is a post of kind review, ID "googleplay:gp:AOqpTOFm…" (the
// reviewId), from its latest userComment: Rating is starRating (the
// pipeline makes a 1- or 2-star review negative whatever its words); the
// text is the review, a title given ("title\tbody") becoming its own
// paragraph; Lang is reviewerLanguage as a BCP 47 tag ("en-GB", from the
// device's settings); CreatedAt is the comment's lastModified; the author
// is the reviewer's name (Google gives no ID); the URL opens the review in
// Google Play. The app version (appVersionName) has no field in a post
// and is not kept.
//
// The developer's answer (developerComment) is a post of its own, kind
// reply, ID "googleplay:gp:AOqpTOFm…/reply", ParentID the review, author
// the package name, FromBrand: support's answers show in the thread and
// are never taken for a customer.
//
// # Cursor and edits
//
// The latest modification (of the review or the answer) collected, in
// Unix seconds, and the reviews modified at that second:
//
//	{"v":1,"package":"com.acme.cloud","newest":1748866000,"ids":["gp:AOqpTOFmAcme0006"]}
//
// The API lists the reviews created or modified in the last week, the
// latest modified first. A run reads pages until a review older than the
// cursor, and takes the review when the user's comment changed since, the
// answer when the developer's did: an edited review comes again under its
// ID with its newer text and rating, a new answer to an old review comes
// alone. A run is whole or nothing: on an error it returns no posts and
// the cursor stays, so a restart neither skips nor repeats. A run that
// reaches max_pages logs that older changes are skipped. A cursor older
// than a week logs what the API no longer serves; a cursor of another app
// is ignored with a warning.
package googleplay
