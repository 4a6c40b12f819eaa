// Package csvseries scores a time series read from CSV for anomalies, for
// `earshot detect`: rows timestamp,value (and optionally the volume behind
// a ratio metric) in, timestamp,value,anomaly_score out, one row per input
// row, in order.
//
// Score runs the spike detector as production does, streaming: each
// row's score comes from that row and the rows before it only. Real
// exports are read as they are: a row it cannot read is written back with
// score 0, not learned from, and counted in Skipped with its reason; only
// an empty input or a bad header stops it.
package csvseries
