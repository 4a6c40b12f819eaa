package collectors

import "slices"

// Helpers for the cursors that keep a list of spans still to fetch (gaps)
// and the IDs seen at a span's edge: Bluesky, Hacker News, Mastodon,
// Reddit and the newest-ID watermark.

// MergeOldest merges the oldest gaps (the last ones) until at most limit
// are left: merge(newer, older) returns one gap spanning both, and what lay
// between them too, which comes again (the store keeps one copy) rather
// than never.
func MergeOldest[G any](gaps []G, limit int, merge func(newer, older G) G) []G {
	for len(gaps) > limit {
		n := len(gaps)
		gaps = append(gaps[:n-2], merge(gaps[n-2], gaps[n-1]))
	}
	return gaps
}

// UnionIDs returns ids with the elements of more it lacks appended, in
// order: the IDs collected at one edge of a span (the newest second, the
// end of a gap), so that the next run skips them there.
func UnionIDs(ids, more []string) []string {
	out := slices.Clone(ids)
	for _, id := range more {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
