package bluesky_test

import (
	"testing"

	_ "github.com/earshot/earshot/collectors/bluesky"
	"github.com/earshot/earshot/collectors/collectortest"
)

// appView and pds are the URLs every case's config names.
const (
	appView = "http://api.bsky.test"
	pds     = "http://pds.bsky.test"
)

// secretMark is in every credential the cases use: it must never reach an
// error, a log line or a cursor.
const secretMark = "SECRET"

// TestCases runs testdata/*/case.yaml (see collectortest).
func TestCases(t *testing.T) { cases(t).Run(t) }

// cases is the suite TestCases runs and FuzzResponses fuzzes.
func cases(t testing.TB) collectortest.Suite {
	return collectortest.Suite{
		Kind:    "bluesky",
		Config:  map[string]any{"base_url": appView, "pds": pds},
		Secrets: []string{secretMark},
		Header:  map[string]string{"Content-Type": "application/json; charset=utf-8"},
		Layout:  collectortest.Layout{Nest: true, Cursor: collectortest.CursorJSON},
	}
}
