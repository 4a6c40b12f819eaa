package hackernews_test

import (
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/hackernews"
)

// testNow is the clock of every case at its first run: Unix 1748865600.
var testNow = collectortest.DefaultNow

// apiHost is the host of base_url in every case.
const apiHost = "hn.algolia.test"

// TestCases runs testdata/*/case.yaml (see collectortest).
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:   "hackernews",
		Config: map[string]any{"base_url": "http://" + apiHost + "/api/v1"},
		Header: map[string]string{"Content-Type": "application/json; charset=utf-8"},
		Layout: collectortest.Layout{Cursor: collectortest.CursorString},
	}
}
