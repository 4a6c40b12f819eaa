package twitter_test

import (
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/twitter"
)

// testToken is the bearer token of every case; it must never appear in an
// error or a log line.
const testToken = "AAAAAAAAAAAAAAAAAAAAAEarshotTestTokenDoNotLeak0123456789"

const tokenEnv = "EARSHOT_TEST_TWITTER_BEARER"

const testQuery = `"Acme Cloud" OR @acmecloud`

// TestCases runs testdata/*/case.yaml (see collectortest). The client asks
// https://api.twitter.com/1.1/ (go-twitter's base), so the cases are
// served over TLS.
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:    "twitter",
		Config:  map[string]any{"query": testQuery, "bearer_token": "env:" + tokenEnv},
		Env:     map[string]string{tokenEnv: testToken},
		Secrets: []string{testToken},
		TLS:     true,
		Header:  map[string]string{"Content-Type": "application/json;charset=utf-8"},
		Check:   checkRequest,
	}
}

// checkRequest checks what every search request must carry.
func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	if r.URL.Path != "/1.1/search/tweets.json" {
		r.Errorf(t, "path %s", r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		r.Errorf(t, "Authorization = %q", got)
	}
	if got := r.Header.Get("User-Agent"); got != collectortest.UserAgent {
		r.Errorf(t, "User-Agent = %q", got)
	}
	q := r.URL.Query()
	fixed := map[string]string{
		"q": testQuery, "count": "100", "result_type": "recent",
		"tweet_mode": "extended", "include_entities": "false",
	}
	for k, v := range fixed {
		if q.Get(k) != v {
			r.Errorf(t, "%s = %q, want %q", k, q.Get(k), v)
		}
	}
}
