package disqus_test

import (
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/disqus"
)

// apiKey is the public key every case uses, through the environment: it
// travels in the query, and must never show in an error, a log or a
// cursor.
const apiKey = "Xq8vAcmeTestPublicKey0zR4tLm2"

// TestCases runs testdata/*/case.yaml (see collectortest). A request's
// want names method, host and path; its query is checked by want_query
// and, for the parameters every request carries, by checkRequest.
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:         "disqus",
		Config:       map[string]any{"forum": "acmecloud", "api_key": "env:EARSHOT_TEST_DISQUS_KEY", "base_url": "http://disqus.test/api/3.0"},
		Env:          map[string]string{"EARSHOT_TEST_DISQUS_KEY": apiKey},
		Secrets:      []string{apiKey},
		Header:       map[string]string{"Content-Type": "application/json"},
		WantPathOnly: true,
		Repeats:      true, // an edited post comes again under its ID
		Check:        checkRequest,
		Layout:       collectortest.Layout{Cursor: collectortest.CursorString},
	}
}

func checkRequest(t testing.TB, r *collectortest.Request) {
	t.Helper()
	want := map[string]string{"forum": "acmecloud", "api_key": apiKey, "order": "asc", "limit": "100", "related": "thread"}
	q := r.URL.Query()
	for k, v := range want {
		if g := q.Get(k); g != v {
			r.Errorf(t, "%s = %q, want %q", k, g, v)
		}
	}
}
