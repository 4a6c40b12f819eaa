package facebook_test

import (
	"strings"
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/facebook"
)

// token is the Page access token of every case.
const token = "EAAGacme-test-page-token-1"

// TestCases runs testdata/*/case.yaml (see collectortest). A request's
// want names method and path; its query is checked by want_query.
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind: "facebook",
		Config: map[string]any{
			"page_id":      "104857600123",
			"access_token": "env:EARSHOT_TEST_FACEBOOK_TOKEN",
			"base_url":     "http://graph.facebook.test",
		},
		Env:          map[string]string{"EARSHOT_TEST_FACEBOOK_TOKEN": token},
		Secrets:      []string{token},
		Header:       map[string]string{"Content-Type": "application/json; charset=UTF-8"},
		WantPathOnly: true,
		Repeats:      true, // edited comments come again
		Check:        checkRequest,
		Layout:       collectortest.Layout{Cursor: collectortest.CursorJSON},
	}
}

// checkRequest checks that every request carries the token in its
// Authorization header, never in the URL, and asks for fields.
func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	if g := r.Header.Get("Authorization"); g != "Bearer "+token {
		r.Errorf(t, "Authorization %q", g)
	}
	if strings.Contains(r.URL.RawQuery, "access_token") || strings.Contains(r.URL.RawQuery, token) {
		r.Errorf(t, "the token is in the query %q", r.URL.RawQuery)
	}
	if r.URL.Query().Get("fields") == "" {
		r.Errorf(t, "no fields asked")
	}
}
