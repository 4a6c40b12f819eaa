// Package spikes finds spikes in per-scope series of posts: more mentions,
// a larger negative share or a lower net sentiment than the series' own
// rhythm leads to expect.
//
// A [Detector] follows one series (one scope's metric, in buckets of a
// minute to an hour), streaming: [Detector.Observe] takes the next bucket
// and returns a [Point] with the value expected before seeing it, a
// Severity and a Score in [0, 1]. Nothing is looked up later: a bucket's
// Point depends on it and on the buckets before it only. A Detector keeps
// about 1.9 KB whatever the length of the series, so a deployment can
// follow thousands of scopes.
//
// The baseline, in log(v+c) space for counts (linear for ratios), is
//
//	expected = level + daily[hour of day] + weekly[hour of week]
//
// three exponentially weighted estimates updated Holt-Winters style by
// the forecast error, with per-slot rates given as half-lives in days and
// weeks, so Monday 9:00 and Sunday 3:00 are expected differently. The
// weekly terms are not learned from zero: through the series' first week
// each slot keeps the mean of its values, and when the week is over each
// term starts at how far its slot lay from the same hour's mean over that
// week (shrunk by the part chance explains), the level losing the part of
// the rhythm it had followed; so the Monday after a quiet weekend is
// expected from the second week on. Every
// update is clipped to Clip usual deviations (Huber): a past spike moves
// the baseline by a bounded amount, and never inflates it. A deviation
// that lasts ShiftAfter on one side is taken as a new level and the level
// jumps to it. The usual deviation is an exponentially weighted mean
// absolute error with a sampling-noise floor (Poisson for counts, binomial
// for ratios). The volume guards give Severity 0 to buckets under
// MinVolume posts, or within MinExcess of the expected value: 3 posts
// instead of 1 is not a crisis.
//
// Severity calibrates the deviation z (error over usual deviation) to the
// series, at several scales: the bucket alone, and exponential averages of
// z over each of Scales (30 min, 2 h, 6 h), so a sustained rise of modest
// buckets counts as well as a jump. Each scale has its own calibration
// (Calibration): by default an extreme-value (Gumbel) fit of the series'
// daily maxima of that scale's z, over TailHalfLife, gives the probability
// of a deviation at least as large; the surprise of a bucket is the largest
// -log10 over the scales, and Severity maps it so that a deviation seen
// about once a week scores 0.5. A noisy series must deviate further than a
// calm one for the same severity.
//
// Score is the alerting signal, the one `earshot detect` writes: the
// severity less Novelty times the surprise already reported, in the same
// -log10 units. It follows episodes: a rise is measured against what came
// before it until its Score reaches ReportAt (so a slow rise alerts once
// it has grown enough), after which only an escalation beyond the
// episode's peak scores, and only by what goes beyond it; the episode ends, and its peak is forgotten,
// after EpisodeGap of calm, so a new episode alerts even soon after a
// bigger one. It does not re-alert at every bucket a spike lasts.
//
// A [Tracker] turns Points into [earshot.Spike] records with hysteresis,
// following Severity: a spike opens once severity has held at or above
// Threshold for MinDuration, is updated when it peaks higher, bridges dips
// above CloseBelow and closes once severity has stayed under CloseBelow
// for CloseAfter. Each change is an [Event] whose Spike is ready for
// earshot.SpikeStore.SaveSpike (the ID is stable: scope, metric, start).
//
// [Series] bundles a Detector and a Tracker for one (scope, metric) and
// takes [earshot.Bucket]s as earshot.PostStore.Series returns them,
// filling the empty buckets the store leaves out; [Value] reads a metric
// off a bucket. That is the unit the pipeline keeps per scope.
//
// Package nab scores detectors as the Numenta Anomaly Benchmark does;
// docs/spikes.md has the figures.
package spikes
