package wordpress_test

import (
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/wordpress"
)

// appPassword is the application password of the cases that use one,
// through the environment: it must never show in an error, a log or a
// cursor.
const appPassword = "abcd EFGH 1234 ijkl MNOP 6789"

// TestCases runs testdata/*/case.yaml (see collectortest). A request's
// want names method, host and path; its query is checked by want_query
// and, for the parameters every request carries, by checkRequest.
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:         "wordpress",
		Config:       map[string]any{"site": "http://blog.acme.test/"},
		Env:          map[string]string{"EARSHOT_TEST_WP_PASSWORD": appPassword},
		Secrets:      []string{appPassword},
		Header:       map[string]string{"Content-Type": "application/json; charset=UTF-8"},
		WantPathOnly: true,
		Repeats:      true, // an edited comment comes again under its ID
		Check:        checkRequest,
		Layout:       collectortest.Layout{Cursor: collectortest.CursorString},
	}
}

// checkRequest checks the parameters every request carries.
func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	want := map[string]string{
		"per_page": "100", "orderby": "date", "order": "asc",
		"_fields": "id,post,parent,author,author_name,author_url,date_gmt,content,link,status,type",
	}
	q := r.URL.Query()
	for k, v := range want {
		if g := q.Get(k); g != v {
			r.Errorf(t, "%s = %q, want %q", k, g, v)
		}
	}
	if r.Header.Get("User-Agent") != collectortest.UserAgent {
		r.Errorf(t, "User-Agent %q", r.Header.Get("User-Agent"))
	}
}
