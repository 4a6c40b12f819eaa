package rss_test

import (
	"testing"

	"github.com/earshot/earshot/collectors/collectortest"
	_ "github.com/earshot/earshot/collectors/rss"
)

// testNow is the fixed clock of every case.
var testNow = collectortest.DefaultNow

// feedHost is the host every case's feed URL names; the test client dials
// the case's server whatever the host, so post URLs resolved against the
// feed's do not depend on a port.
const feedHost = "feeds.acme.test"

// TestCases runs testdata/*/case.yaml (see collectortest): one request a
// run, the feed at /feed.xml unless the case's config names another url.
// The golden lines number the runs as "step", and an item the source edits
// comes again under its ID.
func TestCases(t *testing.T) {
	collectortest.Suite{
		Kind:    "rss",
		Config:  map[string]any{"url": "http://" + feedHost + "/feed.xml"},
		Repeats: true,
		Layout:  collectortest.Layout{RunKey: "step"},
	}.Run(t)
}
