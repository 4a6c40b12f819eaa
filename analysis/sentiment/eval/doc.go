// Package eval measures sentiment scorers on labelled data: it reads the
// labelled sets Earshot is measured on (airline tweets CSV, SemEval TSV,
// VADER's ground truth TSV, or plain CSV/JSONL with id, text and label)
// and counts a confusion matrix, from which accuracy, per-class precision,
// recall and F1, macro-F1 and macro recall follow. Measure runs a
// sentiment.Scorer over a set's items and counts the labels and the
// complaint reasons, for `earshot eval sentiment`; a Run prints as tables
// and its Summary as one JSON line.
//
// The held-out split (HeldOut) is by a hash of each item's ID, so it is
// the same for every tool that reads the sets: the fit
// (analysis/sentiment/internal/fit) never sees a held-out item and the
// figures in docs/sentiment.md are computed on held-out items only.
//
// Print is `earshot eval sentiment`: load, score, measure, print.
package eval
