// Package nab scores anomaly detectors the way the Numenta Anomaly
// Benchmark (NAB) does, so that Earshot's spike detector can be compared
// with the detectors NAB published.
//
// A [Corpus] holds, for each data file, the rows' timestamps, a detector's
// anomaly scores and the file's labelled anomaly windows. Scoring follows
// NAB's sweeper:
//
//   - The first min(floor(0.15*rows), 750) rows of each file are a
//     probationary period and are not scored.
//   - A row is a detection when its anomaly score is at least the
//     threshold.
//   - Inside a window, only the earliest detection counts, weighted by the
//     scaled sigmoid 2*sigmoid(-5*y)-1 of its relative position
//     y = -(right-i+1)/width, normalised so the left edge is worth about
//     A_TP. A window without a detection costs A_FN.
//   - Every detection outside a window costs A_FP, scaled by the sigmoid of
//     its distance past the previous window's right edge (in widths), or by
//     1 when no window came before it.
//
// The raw score of a file or corpus is the sum of those parts; [Normalize]
// maps it so that the null detector (no detection) scores 0 and the perfect
// one (every window detected at its left edge, no false positive) 100.
// [Corpus.Optimize] picks the threshold that maximises the raw corpus
// score, as NAB's optimizer does, and [Corpus.At] scores one threshold.
//
// The package reproduces NAB's published raw scores bit for bit from its
// published result files: sums are taken in the same order as NAB's Python.
// [LoadDir] reads a folder laid out like Earshot's copy of NAB's realTweets
// (data/*.csv, windows.json, profiles.json, results/DETECTOR/*.csv).
package nab
