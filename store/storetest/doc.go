// Package storetest is the conformance suite every earshot.Store backend
// runs, so that store/duckdb, store/clickhouse and any later backend answer
// every question the same way.
//
// A backend's test hands the suite a constructor and runs it:
//
//	func TestConformance(t *testing.T) {
//		storetest.Suite{
//			New: func(t *testing.T) earshot.Store { return openEmptyStore(t) },
//		}.Run(t)
//	}
//
// Each case is a subtest with its own fresh store from New; the suite closes
// it when the case ends, then calls CleanUp if set. The zero value of Skip
// runs every case: a backend is excused from a case only by naming it.
//
// The cases insert small, hand-made data sets built with [NewPost] around
// [Base], a fixed instant, and check every answer against values the suite
// computes itself from what it inserted (posts in [From, To), buckets at
// multiples of the width since the epoch, and so on), never against what
// another backend returned. No case depends on the wall clock or sleeps.
//
// Where the interface comments in package earshot leave a detail open, the
// suite pins it down, and says so in the case's comment:
//
//   - a Watch filter selects posts; grouping by watch then splits the
//     selected posts over all their watches, so a post matching both
//     "acme" and "acmecloud" filtered by "acme" counts in both groups;
//   - posts that matched no watch appear in no group of a GroupWatch series;
//   - AuthorStats.Author carries the ID, handle and name from the author's
//     most recently created post in the window (Followers is not checked;
//     Reach is);
//   - of two versions of a post with equal CollectedAt, the one saved last
//     wins, also within one SavePosts call;
//   - times come back in UTC, equal to what was saved at millisecond
//     precision (the suite saves millisecond-precise times only);
//   - a spike covers [Start, End): one ending exactly at from, or starting
//     exactly at to, does not overlap [from, to); an open spike (zero End)
//     overlaps every window that ends after its Start;
//   - spikes with equal Start are ordered by ID compared byte by byte;
//   - PostHashes hashes the version SavePosts keeps (the rule above) as
//     SavePosts was given it, and leaves out IDs not stored, once each
//     however often asked; an incident link kept from an earlier version
//     or set by LinkPosts is not part of the hash, so a post collected
//     again unchanged is still skipped by the pipeline;
//   - an incident link outlives re-collection: a winning version with no
//     IncidentID keeps the stored version's, one with its own replaces
//     it; versions within one SavePosts call are settled first (latest
//     collected, later in the slice among equals), then the winner meets
//     the stored version;
//   - Posts orders posts created at the same instant by ID compared byte
//     by byte, returns 100 when Limit is 0 and never more than 10,000;
//   - LinkPosts ignores Limit, replaces another incident, and links to ""
//     to unlink; it returns how many posts it changed: posts linked to
//     that incident already do not count, so linking twice returns 0;
//   - alerts and deliveries come back as saved, times in UTC (also those
//     of the posts in an alert's Why), nil and empty labels alike; a save
//     replaces the one with the same ID whole; Alerts and Deliveries hold
//     those with At in [from, to), by At then ID compared byte by byte;
//   - gaps follow the spikes' rules with From, To and ID: an open gap
//     (zero To) overlaps every window that ends after its From, and a
//     closed one ends at To whether filled or not; health is ordered by
//     collector name compared byte by byte;
//   - DropExpired may keep expired data longer, never shorter: a post
//     created in the month of the cut but before it may stay (ClickHouse
//     without TTL drops whole months), and so may the rollup's counts of
//     that month; posts of earlier months go, posts from the cut on stay,
//     and series read from the rollup keep counting the posts gone for age
//     while the rollup's retention lasts. Suite.NewRetained makes the
//     stores the case needs.
package storetest
