package storetest

import (
	"slices"
	"testing"

	"github.com/earshot/earshot"
)

// Suite runs the conformance cases against one backend.
type Suite struct {
	// New returns a fresh, empty store (each call independent).
	New func(t *testing.T) earshot.Store
	// CleanUp, if set, is called after each case, once its store is closed.
	CleanUp func(t *testing.T)
	// NewRetained returns a fresh, empty store that keeps posts and the
	// rollup for r, as the backend's address sets it, for the case
	// Retention (which also runs DropExpired on a store from New, kept
	// for ever). A backend sets it or names Retention in Skip.
	NewRetained func(t *testing.T, r earshot.Retention) earshot.Store
	// Skip lists case names a backend is excused from, explicitly (zero
	// value runs all). Names are those of [Cases].
	Skip []string
}

// testCase is one conformance case; run gets a fresh store.
type testCase struct {
	name string
	run  func(t *testing.T, st earshot.Store)
}

var cases = []testCase{
	{"EmptyStore", testEmptyStore},
	{"PostRoundTrip", testPostRoundTrip},
	{"PostNotFound", testPostNotFound},
	{"PostReplay", testPostReplay},
	{"PostBatchDuplicates", testPostBatchDuplicates},
	{"PostLargeBatch", testPostLargeBatch},
	{"PostConcurrentSaves", testPostConcurrentSaves},
	{"CountPosts", testCountPosts},
	{"Series", testSeries},
	{"SeriesGrouping", testSeriesGrouping},
	{"SeriesAfterEdits", testSeriesAfterEdits},
	{"SeriesEraseRepeated", testSeriesEraseRepeated},
	{"TopNegative", testTopNegative},
	{"TopNegativeDefaultLimit", testTopNegativeDefaultLimit},
	{"Authors", testAuthors},
	{"EraseAuthor", testEraseAuthor},
	{"IncidentRoundTrip", testIncidentRoundTrip},
	{"IncidentWindows", testIncidentWindows},
	{"IncidentClosure", testIncidentClosure},
	{"FollowUpRoundTrip", testFollowUpRoundTrip},
	{"FollowUpOrdering", testFollowUpOrdering},
	{"FollowUpMoves", testFollowUpMoves},
	{"SpikeRoundTrip", testSpikeRoundTrip},
	{"SpikeWindows", testSpikeWindows},
	{"SpikeOrdering", testSpikeOrdering},
	{"Cursors", testCursors},
	{"PostHashes", testPostHashes},
	{"PostHashesLargeBatch", testPostHashesLargeBatch},
	{"HealthRoundTrip", testHealthRoundTrip},
	{"HealthOrdering", testHealthOrdering},
	{"GapRoundTrip", testGapRoundTrip},
	{"GapWindows", testGapWindows},
	{"Posts", testPosts},
	{"PostsLimits", testPostsLimits},
	{"LinkPosts", testLinkPosts},
	{"LinkSurvivesRecollection", testLinkSurvivesRecollection},
	{"LinkedPostHashes", testLinkedPostHashes},
	{"AlertRoundTrip", testAlertRoundTrip},
	{"AlertWindows", testAlertWindows},
	{"DeliveryRoundTrip", testDeliveryRoundTrip},
	{"DeliveryWindows", testDeliveryWindows},
	{"Episodes", testEpisodes},
	{"Threads", testThreads},
	{"Silences", testSilences},
	{"DigestRoundTrip", testDigestRoundTrip},
	{"Accounts", testAccounts},
	{"TokensAndSessions", testTokensAndSessions},
	{"Publications", testPublications},
	{"SocialAccountsRoundTrip", testSocialAccountsRoundTrip},
	{"EraseAuthorData", testEraseAuthorData},
}

// suiteCases are the cases that also make stores of their own with the
// suite; they run after cases, each with a fresh store from New too.
var suiteCases = []struct {
	name string
	run  func(t *testing.T, s Suite, st earshot.Store)
}{
	{"Retention", testRetention},
}

// Cases returns the names of the suite's cases, in the order Run runs them.
func Cases() []string {
	var names []string
	for _, c := range cases {
		names = append(names, c.name)
	}
	for _, c := range suiteCases {
		names = append(names, c.name)
	}
	return names
}

// Run runs every case not in s.Skip as a subtest of t.
func (s Suite) Run(t *testing.T) {
	t.Helper()
	if s.New == nil {
		t.Fatal("storetest: Suite.New is nil")
	}
	for _, name := range s.Skip {
		if !slices.Contains(Cases(), name) {
			t.Errorf("storetest: Skip names unknown case %q (known: %v)", name, Cases())
		}
	}
	all := slices.Clone(cases)
	for _, c := range suiteCases {
		all = append(all, testCase{c.name, func(t *testing.T, st earshot.Store) { c.run(t, s, st) }})
	}
	for _, c := range all {
		t.Run(c.name, func(t *testing.T) {
			if slices.Contains(s.Skip, c.name) {
				t.Skipf("backend is excused from %s", c.name)
			}
			if s.CleanUp != nil {
				t.Cleanup(func() { s.CleanUp(t) })
			}
			st := s.New(t)
			if st == nil {
				t.Fatal("storetest: New returned a nil store")
			}
			// Registered after CleanUp, so it runs first.
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("closing store: %v", err)
				}
			})
			c.run(t, st)
		})
	}
}
