package reddit_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/reddit"
)

// testNow is the clock of every case at its first run: Unix 1748865600.
var testNow = collectortest.DefaultNow

// The credentials every case uses, through the environment. They, and the
// access tokens of the fixtures (a case's secrets), must never show in an
// error, a log or a cursor.
const (
	clientID     = "acmeClientID-7Hq2"
	clientSecret = "s3cr3t-acme-reddit-9XkP"
	userAgent    = "linux:earshot:v0.1 (by /u/acme_comms)"
)

// The hosts of auth_url and api_url.
const (
	authHost = "www.reddit.test"
	apiHost  = "oauth.reddit.test"
)

// TestCases runs testdata/*/case.yaml (see collectortest). A request's
// want names method, host and path ("POST www.reddit.test/api/v1/access_token");
// its query is checked by want_query.
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind: "reddit",
		Config: map[string]any{
			"client_id":     "env:EARSHOT_TEST_REDDIT_ID",
			"client_secret": "env:EARSHOT_TEST_REDDIT_SECRET",
			"user_agent":    userAgent,
			"auth_url":      "http://" + authHost + "/api/v1/access_token",
			"api_url":       "http://" + apiHost,
		},
		Env:          map[string]string{"EARSHOT_TEST_REDDIT_ID": clientID, "EARSHOT_TEST_REDDIT_SECRET": clientSecret},
		Secrets:      []string{clientID, clientSecret},
		Header:       map[string]string{"Content-Type": "application/json; charset=UTF-8"},
		WantPathOnly: true,
		Check:        checkRequest,
		Layout:       collectortest.Layout{Cursor: collectortest.CursorString},
	}
}

// checkRequest checks the user agent of every request, and the client's
// credentials on a token request.
func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	if g := r.Header.Get("User-Agent"); g != userAgent {
		r.Errorf(t, "User-Agent %q, want %q", g, userAgent)
	}
	if r.Method != http.MethodPost {
		return
	}
	req := &http.Request{Header: r.Header}
	if user, pass, ok := req.BasicAuth(); !ok || user != clientID || pass != clientSecret {
		r.Errorf(t, "token request without the client's basic auth")
	}
	if form := string(r.Body); form != "grant_type=client_credentials" {
		r.Errorf(t, "form %q", form)
	}
	if strings.Contains(r.URL.RawQuery, clientSecret) {
		r.Errorf(t, "the client secret is in the query")
	}
}
