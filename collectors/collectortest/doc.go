// Package collectortest runs a collector's golden cases, for the tests of
// the collectors/* packages; nothing else imports it.
//
// A case is a folder testdata/<case>/ holding case.yaml, the response
// bodies it names and expected.jsonl. Adding a case is adding a folder:
//
//	# What the case is about, in prose.
//	config: {max_pages: 2}       # keys over the suite's Config
//	cursor: '{"v":1,...}'        # the cursor of the first run ("" by default)
//	secrets: [acmeTestToken1]    # more strings no error, log or cursor may hold
//	runs:                        # Collect calls, in order
//	  - at: 5m                   # the clock: Suite.Now plus at
//	    restart: true            # a new collector first, as after a restart
//	    requests:                # the requests the run must make, in order
//	      - want: GET /api/v1/timelines/tag/acme?limit=40
//	        want_query: {since_id: "1929145904133046272", max_id: ""}
//	        want_headers: {If-None-Match: '"v1"', Authorization: ""}
//	        want_body: grant_type=client_credentials
//	        want_token: acmeTestToken1
//	        status: 429          # default 200
//	        headers: {Retry-After: "120"}
//	        body: page1.json     # a file of the case folder
//	    want_cursor: '{"v":1,"since_id":"1929508040340406289"}'
//	    want_error: "retry after 2m0s"
//	    want_error_excludes: "token="
//	    want_is: rate_limited    # or unauthorized, not_modified
//	    want_retry_after: 2m
//
// want is "METHOD [host]/path[?query]": the method, the host when written,
// the path and the query (in any order; none when not written) must match,
// unless the suite sets WantPathOnly. want_query and want_headers name
// values the request must carry, an empty value meaning absent; want_token
// is the end of the bearer token in Authorization.
//
// A run that fails must return no posts and the cursor it was given, as
// the poller keeps its cursor then; the next run starts from it. A run that
// succeeds must return each post once and no post an earlier run returned
// (unless Suite.Repeats), and the cursor want_cursor names, when it does.
// The secrets (Suite.Secrets and the case's) must appear in no error, no
// log line (the collector logs at debug level) and no cursor.
//
// expected.jsonl holds what the runs returned, laid out as Suite.Layout
// says. After a deliberate change rewrite it with
//
//	go test ./collectors/<kind> -run TestCases -update
//
// and read the diff before keeping it. Requests never leave the machine:
// Client dials the case's httptest server whatever the URL's host.
package collectortest
