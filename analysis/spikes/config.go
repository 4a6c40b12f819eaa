package spikes

import (
	"errors"
	"fmt"
	"time"

	"github.com/earshot/earshot"
)

// Transform says how observed values are compared with the baseline.
type Transform string

// Transforms.
const (
	// TransformLog compares log(1+v): for counts, whose rhythm and spikes
	// are multiplicative (twice the usual volume is as surprising at 3:00
	// as at 9:00), with a Poisson noise floor so that few posts are never
	// a crisis.
	TransformLog Transform = "log"
	// TransformLinear compares v itself: for ratios and means (negative
	// share, net sentiment), with a binomial noise floor from the volume
	// behind each value.
	TransformLinear Transform = "linear"
)

// Calibration says how deviations are calibrated to the series.
type Calibration string

// Calibrations.
const (
	CalibrateDailyMax    Calibration = "daily_max"
	CalibrateExceedances Calibration = "exceedances"
)

// Direction says which deviations are anomalies.
type Direction string

// Directions.
const (
	Up   Direction = "up"   // more than expected: volume, negative share
	Down Direction = "down" // less than expected: net sentiment
	Both Direction = "both"
)

// Config tunes a Detector and its Tracker. The zero value is not valid;
// start from DefaultConfig or ConfigFor.
type Config struct {
	// Bucket is the width of the series' buckets, from a minute to an
	// hour. 0 infers it from the first two observations.
	Bucket time.Duration `yaml:"bucket"`
	// Transform is "log" for counts, "linear" for ratios and means.
	Transform Transform `yaml:"transform"`
	// Direction is "up", "down" or "both": which deviations score.
	Direction Direction `yaml:"direction"`
	// LogOffset is c in log(v+c), the log transform: the larger, the less
	// a change among few posts counts (at 1, 1 → 3 posts is as large as
	// 100 → 300; at 10, it is a fifth of it).
	LogOffset float64 `yaml:"log_offset"`
	// TimeZone is the IANA zone whose days and weeks the rhythm follows
	// ("UTC", "America/New_York").
	TimeZone string `yaml:"time_zone"`

	// LevelHalfLife is how fast the baseline's level follows the series.
	LevelHalfLife time.Duration `yaml:"level_half_life"`
	// DailyHalfLife and WeeklyHalfLife are how many days, and weeks, it
	// takes the daily and weekly rhythm profiles to half forget an old
	// value.
	DailyHalfLife  float64 `yaml:"daily_half_life"`
	WeeklyHalfLife float64 `yaml:"weekly_half_life"`
	// NoiseHalfLife is how fast the estimate of the usual deviation
	// follows the series.
	NoiseHalfLife time.Duration `yaml:"noise_half_life"`
	// Clip bounds, in units of the usual deviation, how far one bucket may
	// pull the baseline: past spikes do not inflate it.
	Clip float64 `yaml:"clip"`
	// ShiftAfter is how long the series must stay far on one side of the
	// baseline before that is taken as a new level rather than an anomaly.
	ShiftAfter time.Duration `yaml:"shift_after"`
	// Scales are the spans (at most 3) over which evidence is also
	// accumulated, besides the single bucket: an exponential average of
	// the deviations over each span, calibrated by its own tail model. The
	// surprise of a bucket is the largest over the scales, so a sustained
	// rise of modest buckets is noticed as well as a one-bucket jump.
	Scales []time.Duration `yaml:"scales"`

	// TailHalfLife is how long the detector remembers how often the
	// series deviates how far: the calibration of Severity to the series.
	TailHalfLife time.Duration `yaml:"tail_half_life"`
	// Calibration is how a deviation is turned into a rarity:
	// "daily_max" fits an extreme-value (Gumbel) law to the series' daily
	// maxima, "exceedances" an exponential tail to its deviations over 2.
	Calibration Calibration `yaml:"calibration"`
	// Novelty in [0, 1] is how much of the surprise already reported (the
	// peak of the current or last episode, decaying with half-life
	// Refractory) a bucket must exceed to score: at 1, a spike scores at
	// its onset and as it escalates, not again at every bucket it lasts;
	// at 0, every bucket scores on its own.
	Novelty    float64       `yaml:"novelty"`
	Refractory time.Duration `yaml:"refractory"`
	// ReportAt in [0, 1) is the Score at which an episode counts as
	// reported. Until then its rise is measured against what was reported
	// before it, so that a slow rise scores once it has grown enough;
	// after, only an escalation beyond its peak scores. 0: every bucket's
	// surprise counts as reported at once.
	ReportAt float64 `yaml:"report_at"`
	// EpisodeGap is how long the series must stay calm (no deviation
	// beyond an everyday one at any scale) for an episode to end: its
	// peak is then forgotten, and a new rise is news even if it comes
	// soon after a bigger one. 0: episodes never end, the peak only fades.
	EpisodeGap time.Duration `yaml:"episode_gap"`

	// RarityMemory is how many buckets it takes the value histogram
	// behind Point.Rarity to half forget a value (3000: about ten days of
	// 5-minute buckets, four months of hours).
	RarityMemory float64 `yaml:"rarity_memory"`
	// RarityBands is how many bands the value histogram has, from 8 to
	// 64: the finer, the more values are new to the series.
	RarityBands int `yaml:"rarity_bands"`

	// Proportion says the value is a share of the volume n (the negative
	// share): a rise then scores only as far as it is also significant
	// for the count behind it (a binomial test of the observed count out
	// of n against the expected share), at every scale. A rare share over
	// a handful of posts is chance, not news.
	Proportion bool `yaml:"proportion"`

	// MinVolume is the least volume (posts in the bucket; for a ratio, the
	// posts behind it) a bucket needs to score at all.
	MinVolume float64 `yaml:"min_volume"`
	// MinExcess is the least difference between observed and expected, in
	// the series' own units (posts, or share), for a bucket to score.
	MinExcess float64 `yaml:"min_excess"`
	// Z50 is the deviation, in units of the usual deviation, that scores
	// 0.5. The score is z²/(z²+Z50²).
	Z50 float64 `yaml:"z50"`
	// WarmUp is how long a new series is watched before it may score.
	WarmUp time.Duration `yaml:"warm_up"`

	// Threshold is the severity (Point.Severity) at which the Tracker
	// opens a spike, once it has held for MinDuration.
	Threshold   float64       `yaml:"threshold"`
	MinDuration time.Duration `yaml:"min_duration"`
	// CloseBelow is the severity under which an open spike starts closing
	// (hysteresis: below Threshold); it closes after staying under it for
	// CloseAfter.
	CloseBelow float64       `yaml:"close_below"`
	CloseAfter time.Duration `yaml:"close_after"`
}

// DefaultConfig returns the configuration for mention volume.
func DefaultConfig() Config {
	return Config{
		Transform:      TransformLog,
		Direction:      Up,
		LogOffset:      10,
		TimeZone:       "UTC",
		LevelHalfLife:  6 * time.Hour,
		DailyHalfLife:  4,
		WeeklyHalfLife: 3,
		NoiseHalfLife:  24 * time.Hour,
		Clip:           1,
		ShiftAfter:     6 * time.Hour,
		Scales:         []time.Duration{30 * time.Minute, 2 * time.Hour, 6 * time.Hour},
		Calibration:    CalibrateDailyMax,
		TailHalfLife:   28 * 24 * time.Hour,
		Novelty:        0.7,
		Refractory:     48 * time.Hour,
		ReportAt:       0.25,
		EpisodeGap:     12 * time.Hour,
		RarityMemory:   3000,
		RarityBands:    32,
		MinVolume:      5,
		MinExcess:      5,
		Z50:            4,
		WarmUp:         24 * time.Hour,
		Threshold:      0.6,
		MinDuration:    0,
		CloseBelow:     0.4,
		CloseAfter:     30 * time.Minute,
	}
}

// ConfigFor returns the default configuration for a metric.
func ConfigFor(m earshot.Metric) Config {
	c := DefaultConfig()
	switch m {
	case earshot.MetricNegativeShare:
		c.Transform = TransformLinear
		c.Proportion = true
		c.MinVolume = 10
		c.MinExcess = 0.1
	case earshot.MetricNetSentiment:
		c.Transform = TransformLinear
		c.Direction = Down
		c.MinVolume = 10
		c.MinExcess = 0.15
	}
	return c
}

// GenericConfig returns the configuration for a measurement of any kind
// (latency, CPU, temperature, prices): compared as it is, without volume
// guards, and anomalous both ways. `earshot detect --metric value` and
// `earshot eval spikes` use it.
func GenericConfig() Config {
	c := DefaultConfig()
	c.Transform = TransformLinear
	c.Direction = Both
	c.MinVolume = 0
	c.MinExcess = 0
	return c
}

// Validate reports the first bad key, by its yaml name.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if c.Bucket != 0 && (c.Bucket < time.Second || c.Bucket > 24*time.Hour) {
		bad("bucket", "%v is out of range (a second to a day; 0 infers it)", c.Bucket)
	}
	switch c.Transform {
	case TransformLog, TransformLinear:
	default:
		bad("transform", "%q is not log or linear", c.Transform)
	}
	switch c.Direction {
	case Up, Down, Both:
	default:
		bad("direction", "%q is not up, down or both", c.Direction)
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		bad("time_zone", "%q is not a known time zone", c.TimeZone)
	}
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			bad(key, "must be positive, got %v", d)
		}
	}
	positive("level_half_life", c.LevelHalfLife)
	positive("noise_half_life", c.NoiseHalfLife)
	positive("shift_after", c.ShiftAfter)
	positive("tail_half_life", c.TailHalfLife)
	if c.DailyHalfLife <= 0 {
		bad("daily_half_life", "must be positive, got %v", c.DailyHalfLife)
	}
	if c.WeeklyHalfLife <= 0 {
		bad("weekly_half_life", "must be positive, got %v", c.WeeklyHalfLife)
	}
	if c.Transform == TransformLog && c.LogOffset <= 0 {
		bad("log_offset", "must be positive, got %v", c.LogOffset)
	}
	if c.Clip <= 0 {
		bad("clip", "must be positive, got %v", c.Clip)
	}
	switch c.Calibration {
	case CalibrateDailyMax, CalibrateExceedances:
	default:
		bad("calibration", "%q is not daily_max or exceedances", c.Calibration)
	}
	if len(c.Scales) > maxScales {
		bad("scales", "at most %d spans, got %d", maxScales, len(c.Scales))
	}
	for _, s := range c.Scales {
		if s <= 0 {
			bad("scales", "spans must be positive, got %v", s)
		}
	}
	if c.Novelty < 0 || c.Novelty > 1 {
		bad("novelty", "must be in [0, 1], got %v", c.Novelty)
	}
	if c.Refractory <= 0 {
		bad("refractory", "must be positive, got %v", c.Refractory)
	}
	if c.ReportAt < 0 || c.ReportAt >= 1 {
		bad("report_at", "must be in [0, 1), got %v", c.ReportAt)
	}
	if c.EpisodeGap < 0 {
		bad("episode_gap", "must not be negative, got %v", c.EpisodeGap)
	}
	if c.RarityMemory < 1 {
		bad("rarity_memory", "must be at least 1 bucket, got %v", c.RarityMemory)
	}
	if c.RarityBands < 8 || c.RarityBands > maxBands {
		bad("rarity_bands", "must be from 8 to %d, got %d", maxBands, c.RarityBands)
	}
	if c.MinVolume < 0 {
		bad("min_volume", "must not be negative, got %v", c.MinVolume)
	}
	if c.MinExcess < 0 {
		bad("min_excess", "must not be negative, got %v", c.MinExcess)
	}
	if c.Z50 <= 0 {
		bad("z50", "must be positive, got %v", c.Z50)
	}
	if c.WarmUp < 0 {
		bad("warm_up", "must not be negative, got %v", c.WarmUp)
	}
	if c.Threshold <= 0 || c.Threshold > 1 {
		bad("threshold", "must be in (0, 1], got %v", c.Threshold)
	}
	if c.CloseBelow < 0 || c.CloseBelow > c.Threshold {
		bad("close_below", "must be in [0, threshold], got %v", c.CloseBelow)
	}
	if c.MinDuration < 0 {
		bad("min_duration", "must not be negative, got %v", c.MinDuration)
	}
	if c.CloseAfter < 0 {
		bad("close_after", "must not be negative, got %v", c.CloseAfter)
	}
	return errors.Join(errs...)
}
