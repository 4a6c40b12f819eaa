package appstore_test

import (
	"testing"

	_ "github.com/earshot/earshot/collectors/appstore"
	"github.com/earshot/earshot/collectors/collectortest"
)

// TestCases runs testdata/*/case.yaml (see collectortest).
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:    "appstore",
		Config:  map[string]any{"app_id": "1500000001", "base_url": "http://itunes.apple.test"},
		Header:  map[string]string{"Content-Type": "text/javascript; charset=utf-8"},
		Repeats: true, // an edited review comes again under its ID
		Layout:  collectortest.Layout{Cursor: collectortest.CursorString},
	}
}
