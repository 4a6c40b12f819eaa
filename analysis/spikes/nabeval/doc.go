// Package nabeval evaluates the spike detector as the Numenta Anomaly
// Benchmark does, next to NAB's published detectors, for `earshot eval
// spikes`.
//
// Evaluate runs the detector (streaming, one configuration for every
// file) over a nab.Dataset and scores its Rarity at the threshold that
// maximises each profile, the spikes the Tracker opens as a 0/1 detector,
// and every published detector, overall and per category. CrossValidate
// adds the leave-one-category-out or leave-one-file-out figure; Write
// prints the tables. Print is `earshot eval spikes`: it loads a folder and
// does all of that.
package nabeval
