package twitterv2_test

import (
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/twitterv2"
)

// testToken is the bearer token of every case; it must never appear in an
// error or a log line.
const testToken = "AAAAAAAAAAAAAAAAAAAAAEarshotTestTokenDoNotLeak0123456789"

const (
	testQuery = `("Acme Cloud" OR @acmecloud) -is:retweet`
	// apiHost is the host of every case's base_url.
	apiHost  = "api.x.test"
	tokenEnv = "EARSHOT_TEST_TWITTER_V2_BEARER"
)

// TestCases runs testdata/*/case.yaml (see collectortest).
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:    "twitter_v2",
		Config:  map[string]any{"query": testQuery, "bearer_token": "env:" + tokenEnv, "base_url": "http://" + apiHost},
		Env:     map[string]string{tokenEnv: testToken},
		Secrets: []string{testToken},
		Header:  map[string]string{"Content-Type": "application/json;charset=utf-8"},
		Check:   checkRequest,
	}
}

// checkRequest checks what every search request must carry.
func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	if r.URL.Path != "/2/tweets/search/recent" {
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
		"query":        testQuery,
		"expansions":   "author_id,referenced_tweets.id,referenced_tweets.id.author_id",
		"user.fields":  "public_metrics,username,name",
		"tweet.fields": "created_at,lang,public_metrics,conversation_id,referenced_tweets,author_id,note_tweet",
	}
	if _, ok := r.Exchange.WantQuery["max_results"]; !ok {
		fixed["max_results"] = "100"
	}
	for k, v := range fixed {
		if q.Get(k) != v {
			r.Errorf(t, "%s = %q, want %q", k, q.Get(k), v)
		}
	}
}
