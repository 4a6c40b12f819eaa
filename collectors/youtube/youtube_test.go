package youtube_test

import (
	"strings"
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/youtube"
)

// The credentials of the cases: an API key, and an OAuth access token for
// the case that uses one.
const (
	apiKey = "AIzaSyAcmeTestKey000000000000000000001"
	token  = "ya29.acme-test-oauth-token"
)

// TestCases runs testdata/*/case.yaml (see collectortest). A request's
// want names method and path; its query is checked by want_query.
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind: "youtube",
		Config: map[string]any{
			"channel_id": "UCacmeCloud0000000000001",
			"api_key":    "env:EARSHOT_TEST_YOUTUBE_KEY",
			"base_url":   "http://youtube.googleapis.test",
		},
		Env:          map[string]string{"EARSHOT_TEST_YOUTUBE_KEY": apiKey, "EARSHOT_TEST_YOUTUBE_TOKEN": token},
		Secrets:      []string{apiKey, token},
		Header:       map[string]string{"Content-Type": "application/json; charset=UTF-8"},
		WantPathOnly: true,
		Repeats:      true, // edited comments come again
		Check:        checkRequest,
		Layout:       collectortest.Layout{Cursor: collectortest.CursorJSON},
	}
}

// checkRequest checks that every request carries one credential: the key
// in the query, or a bearer token and no key.
func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	key, auth := r.URL.Query().Get("key"), r.Header.Get("Authorization")
	switch {
	case key == apiKey && auth == "":
	case key == "" && auth == "Bearer "+token:
	default:
		r.Errorf(t, "key %q with Authorization %q", key, auth)
	}
	if strings.Contains(r.URL.RawQuery, token) {
		r.Errorf(t, "the token is in the query")
	}
	if r.URL.Query().Get("textFormat") != "plainText" {
		r.Errorf(t, "textFormat %q, want plainText", r.URL.Query().Get("textFormat"))
	}
}
