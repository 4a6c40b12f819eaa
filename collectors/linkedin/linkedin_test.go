package linkedin_test

import (
	"strings"
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/linkedin"
)

// token is the access token of every case.
const token = "AQXacme-test-token-1"

// TestCases runs testdata/*/case.yaml (see collectortest). A request's
// want names method and path; its query is checked by want_query.
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind: "linkedin",
		Config: map[string]any{
			"organization_id": "2414183",
			"access_token":    "env:EARSHOT_TEST_LINKEDIN_TOKEN",
			"base_url":        "http://api.linkedin.test",
		},
		Env:          map[string]string{"EARSHOT_TEST_LINKEDIN_TOKEN": token},
		Secrets:      []string{token},
		Header:       map[string]string{"Content-Type": "application/json", "X-Restli-Protocol-Version": "2.0.0"},
		WantPathOnly: true,
		Repeats:      true, // edited comments come again
		Check:        checkRequest,
		Layout:       collectortest.Layout{Cursor: collectortest.CursorJSON},
	}
}

// checkRequest checks the headers every request of LinkedIn's versioned
// API must carry.
func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	want := map[string]string{
		"Authorization":             "Bearer " + token,
		"LinkedIn-Version":          "202505",
		"X-Restli-Protocol-Version": "2.0.0",
	}
	for k, v := range want {
		if g := r.Header.Get(k); g != v {
			r.Errorf(t, "header %s = %q, want %q", k, g, v)
		}
	}
	// Rest.li 2.0 wants the URN in a path encoded.
	if p := r.URL.EscapedPath(); strings.HasPrefix(p, "/rest/socialActions/") && !strings.HasPrefix(p, "/rest/socialActions/urn%3Ali%3A") {
		r.Errorf(t, "URN not encoded in %s", p)
	}
}
