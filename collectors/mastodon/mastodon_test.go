package mastodon_test

import (
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/mastodon"
)

// instance is the URL every case's config names.
const instance = "http://mastodon.acme.test"

// secretMark is in every credential the cases use: it must never reach an
// error, a log line or a cursor.
const secretMark = "SECRET"

// TestCases runs testdata/*/case.yaml (see collectortest).
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:    "mastodon",
		Config:  map[string]any{"instance": instance},
		Secrets: []string{secretMark},
		Header:  map[string]string{"Content-Type": "application/json; charset=utf-8"},
		Layout:  collectortest.Layout{Nest: true, Cursor: collectortest.CursorJSON},
	}
}
