package spikes

import (
	"math"
	"time"
)

// Point is the detector's reading of one bucket.
type Point struct {
	Time time.Time
	// Observed is the value given; Expected the baseline's forecast for
	// it, made before seeing it.
	Observed, Expected float64
	// Z is the deviation in units of the usual deviation (signed: positive
	// above the baseline), of the bucket alone.
	Z float64
	// Severity in [0, 1] is how rare a deviation this is for the series:
	// 0.5 for one seen about once a week. It is 0 during warm-up, for
	// buckets under the volume guards and for deviations in the other
	// direction. The Tracker follows it.
	Severity float64
	// Score in [0, 1] is the anomaly score, the alerting signal: Severity
	// less the part of it already reported (Novelty), so that it is high
	// when an episode starts or escalates and not at every bucket it
	// lasts. It crosses ReportAt once as an episode rises, and after that
	// only an escalation beyond the episode's peak scores again; an
	// episode ends after EpisodeGap of calm. It equals Severity when
	// Novelty is 0.
	Score float64
	// Alone in [0, 1] is the severity of the bucket by itself, before the
	// longer spans add their evidence (for a share, with its count test).
	// For a share, the Tracker asks a spike that only the spans raise to
	// hold for a second bucket.
	Alone float64
	// Rarity in [0, 1] is how rarely the series has taken a value like
	// this one: 1 for a value outside every value it has held in its
	// memory (RarityMemory), less as more of its history lies in the same
	// band. It is calibrated by the series' own history, so one threshold
	// (about 0.97) serves every series; it needs no rhythm and sees drops
	// as well as rises. It is the anomaly score `earshot detect` writes and
	// the NAB evaluation scores (see docs/spikes.md).
	Rarity float64
}

// Detector scores one series, bucket by bucket, against a baseline it
// learns as it goes. It keeps a fixed amount of state (about 1.9 KB),
// whatever the length of the series, and never looks ahead: the score of a
// bucket depends on it and the buckets before it only.
//
// A Detector is not safe for concurrent use.
type Detector struct {
	cfg Config
	loc *time.Location

	// Rates and spans derived from the bucket width, once known.
	bucket                          time.Duration
	aLevel, aDaily, aWeekly, aNoise float64
	aTail, aPeak                    float64
	calmAfter                       int32
	nScales                         int
	aScale, scaleNorm               [maxScales]float64
	warmUp, shiftAfter              int
	perWeek                         float64 // buckets per week

	last time.Time
	seen int // buckets learned from

	// The baseline: level + daily[hour] + weekly[hour of week], in
	// transformed space, and the usual absolute error.
	level, noise float64
	daily        [24]float32
	weekly       [168]float32
	dailySeen    [24]bool
	// A ratio's daily slot in its first visit (see firstVisit): the
	// visit's end (Unix nanoseconds), and the volume and the sum of
	// values times volume seen in it so far.
	visitEnd       int64
	visitN, visitK float32
	// The first week (from start, in Unix nanoseconds): while it lasts,
	// weekly[slot] holds the mean of the slot's values instead, for the
	// slots marked in visited; primed once it is over and the weekly
	// terms were started from those means.
	start   int64
	visited [3]uint64
	primed  bool
	// Evidence over longer spans: exponential averages of z, each with
	// its own tail model (index 0 is the single bucket).
	ew [maxScales]float64
	tl [maxScales + 1]tailModel
	// For a share (Config.Proportion), the counts behind each scale:
	// exponential averages, with the scale's weights, of the volume, the
	// count observed and the count expected.
	pn, pk, pe [maxScales]float64
	// For a share, the posts and the count behind it over the
	// calibration's memory (TailHalfLife), summed with fading weights:
	// the series' usual share, the least the count test expects.
	poolN, poolK float64

	// The value histogram behind Rarity.
	hist histogram

	// A run of deviations beyond the clip on one side (level shifts).
	shiftRun int
	shiftSum float64

	// Novelty: the surprise already reported (the current or last
	// episode's peak, fading with Refractory), whether the current
	// episode has been reported, and how long the series has been calm.
	peak         float64
	calm         int32
	reported     bool
	day          int64 // local day number of the last bucket
	perDay, aDay float64
}

// maxScales bounds len(Config.Scales).
const maxScales = 3

// tailModel calibrates the deviations of one scale: how often the series
// deviates how far. It keeps, in float32 to stay small, an exponential
// model of the exceedances over tailU (their rate and mean excess) and an
// extreme-value fit of the daily maxima (today's maximum, and the
// exponentially weighted mean and variance of past days').
type tailModel struct {
	exceed, excess, n       float32
	dmax, gMean, gVar, days float32
}

// NewDetector returns a detector for cfg, which must be valid (see
// Config.Validate); an unknown time zone falls back to UTC.
func NewDetector(cfg Config) *Detector {
	loc := time.UTC
	if cfg.TimeZone != "" && cfg.TimeZone != "UTC" {
		if l, err := time.LoadLocation(cfg.TimeZone); err == nil {
			loc = l
		}
	}
	d := &Detector{cfg: cfg, loc: loc}
	d.hist.keep = math.Exp2(-1 / max(1, cfg.RarityMemory))
	d.hist.nb = max(2, min(maxBands, cfg.RarityBands))

	if cfg.Bucket > 0 {
		d.setBucket(cfg.Bucket)
	}
	return d
}

// Bucket returns the bucket width, configured or inferred (0 until the
// second observation when inferred).
func (d *Detector) Bucket() time.Duration { return d.bucket }

// halfLifeAlpha is the weight of a new value in an exponential average
// that half forgets an old one after n updates.
func halfLifeAlpha(n float64) float64 {
	if n <= 1 {
		return 0.5
	}
	return 1 - math.Exp2(-1/n)
}

func (d *Detector) setBucket(b time.Duration) {
	d.bucket = b
	per := float64(time.Hour) / float64(b) // buckets per hour-slot visit
	if per < 1 {
		per = 1
	}
	steps := func(h time.Duration) float64 { return float64(h) / float64(b) }
	d.aLevel = halfLifeAlpha(steps(d.cfg.LevelHalfLife))
	d.aNoise = halfLifeAlpha(steps(d.cfg.NoiseHalfLife))
	d.aDaily = halfLifeAlpha(d.cfg.DailyHalfLife * per)
	d.aWeekly = halfLifeAlpha(d.cfg.WeeklyHalfLife * per)

	d.nScales = min(len(d.cfg.Scales), maxScales)
	for k := range d.nScales {
		a := 2 / (max(steps(d.cfg.Scales[k]), 1) + 1)
		d.aScale[k] = a
		d.scaleNorm[k] = math.Sqrt(a / (2 - a))
	}
	d.aTail = halfLifeAlpha(steps(d.cfg.TailHalfLife))
	d.aPeak = math.Exp2(-1 / max(1, steps(d.cfg.Refractory)))
	d.calmAfter = int32(min(math.Ceil(steps(d.cfg.EpisodeGap)), math.MaxInt32))
	d.perWeek = steps(7 * 24 * time.Hour)
	d.perDay = steps(24 * time.Hour)
	d.aDay = halfLifeAlpha(float64(d.cfg.TailHalfLife) / float64(24*time.Hour))
	d.warmUp = int(math.Ceil(steps(d.cfg.WarmUp)))
	d.shiftAfter = max(1, int(math.Ceil(steps(d.cfg.ShiftAfter))))
}

// transform maps an observed value into the space the baseline lives in.
func (d *Detector) transform(v float64) float64 {
	if d.cfg.Transform == TransformLog {
		return math.Log(max(v, 0) + d.cfg.LogOffset)
	}
	return v
}

func (d *Detector) untransform(y float64) float64 {
	if d.cfg.Transform == TransformLog {
		return max(0, math.Exp(y)-d.cfg.LogOffset)
	}
	return y
}

// slots returns the hour-of-day and hour-of-week of t.
func (d *Detector) slots(t time.Time) (hour, week int) {
	lt := t.In(d.loc)
	hour = lt.Hour()
	week = int(lt.Weekday())*24 + hour
	return hour, week
}

// Observe scores the bucket starting at t with value v and learns from it.
// n is the volume behind a ratio (the posts a negative share is computed
// over), used by the volume guards; for a count, pass the count itself
// (or any n < 0, which means "v is the volume").
//
// Buckets come in increasing time order, one per bucket: a missing bucket
// of a count is a bucket with v = 0. A bucket not after the previous one
// is taken as the one after it (the bucket width known; before that, it
// is scored 0 and not learned from). A NaN or infinite value is scored 0
// and not learned from. A ratio bucket whose
// volume is under MinVolume is scored 0 and not learned from (it says too
// little).
func (d *Detector) Observe(t time.Time, v, n float64) Point {
	p := Point{Time: t, Observed: v}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return p
	}
	if n < 0 {
		n = v
	}
	if d.seen > 0 && !t.After(d.last) {
		if d.bucket == 0 {
			p.Expected = d.untransform(d.expectedAt(t))
			return p
		}
		// A timestamp told twice or going back (an hour repeated when
		// clocks go back, a duplicated row) is the next bucket: real
		// exports have them, and every row is a reading.
		t = d.last.Add(d.bucket)
	}
	if d.bucket == 0 && d.seen > 0 {
		d.setBucket(t.Sub(d.last))
	}
	linear := d.cfg.Transform == TransformLinear
	if linear && d.cfg.MinVolume > 0 {
		d.firstVisit(t, v, n)
	}
	if linear && d.cfg.MinVolume > 0 && n < d.cfg.MinVolume {
		if d.seen > 0 {
			p.Expected = d.untransform(d.expectedAt(t))
		}
		return p
	}
	// Rarity, of every value the forecast learns from, in the series'
	// own units; not in the warm-up, nor under the volume guard.
	p.Rarity = d.hist.rarity(v)
	if d.seen < d.warmUp || (d.cfg.MinVolume > 0 && n < d.cfg.MinVolume) {
		p.Rarity = 0
	}
	y := d.transform(v)
	hour, week := d.slots(t)
	if d.seen == 0 {
		d.last = t
		d.start = t.UnixNano()
		d.level = y
		d.seen = 1
		p.Expected = v
		return p
	}
	d.last = t

	fy, first := d.forecast(t, y, hour, week)
	expected := d.untransform(fy)
	p.Expected = expected

	sigma := d.deviation(linear, n, expected)
	e := y - fy
	z := e / sigma

	// Score before learning: no look-ahead, and the bucket cannot hide
	// itself.
	p.Z = z
	d.peak *= d.aPeak
	share := d.cfg.Proportion && linear
	d.closeDays(t, share)
	u := d.surprise(0, z)
	if share {
		// A share's rise must also be beyond chance for the posts behind
		// it: rare for the series and significant for its count.
		u = min(u, countSurprise(n, v*n, d.countExpected(expected)*n))
	}
	alone := u
	u = max(u, d.spans(z, v, n, d.countExpected(expected), share))
	if share {
		d.pool(v, n)
	}
	p.Severity, p.Score = d.score(u, v, expected, n)
	if p.Severity > 0 && alone > 0 {
		u50 := math.Log10(max(d.perWeek, 10))
		p.Alone = alone * alone / (alone*alone + u50*u50)
	}

	d.learn(e, z, sigma, hour, week)
	if first {
		d.noteFirstWeek(t, fy+math.Max(-3*sigma, math.Min(3*sigma, e)), week)
	}
	d.seen++
	return p
}

// firstWeek tells whether t is in the series' first week, while the
// weekly slots hold their first visit's mean.
func (d *Detector) firstWeek(t time.Time) bool {
	return !d.primed && t.UnixNano()-d.start < int64(7*24*time.Hour)
}

// weeklyTerm is the weekly slot's part of the forecast: none in the first
// week (the slot holds its mean then).
func (d *Detector) weeklyTerm(week int) float64 {
	if !d.primed {
		return 0
	}
	return float64(d.weekly[week])
}

func (d *Detector) wasVisited(week int) bool {
	return d.visited[week/64]&(1<<(week%64)) != 0
}

// noteFirstWeek folds y, a first-week value of slot week at t (clipped
// at three usual deviations from the forecast: a spike in the first week
// is not the slot's rhythm), into the slot's mean.
func (d *Detector) noteFirstWeek(t time.Time, y float64, week int) {
	w, bit := week/64, uint64(1)<<(week%64)
	if d.visited[w]&bit == 0 {
		d.visited[w] |= bit
		d.weekly[week] = float32(y)
		return
	}
	// The k-th bucket of the slot's hour weighs 1/(k+1).
	k := 0
	if d.bucket > 0 {
		k = int(t.Sub(t.Truncate(time.Hour)) / d.bucket)
	}
	d.weekly[week] += float32((y - float64(d.weekly[week])) / float64(k+1))
}

// primeWeekly starts the weekly terms once the first week is over: each
// slot's is how far its first-week mean lay from the mean of the same hour
// over that week's days, shrunk toward 0 by the part of their spread that
// chance explains (the noise of a mean of one visit's buckets; all of it
// for a series with no weekly rhythm), and bounded, as the daily
// profile's first guess is. Learned from zero instead, the terms
// take weeks to hold a rhythm the level and the daily profile miss (the
// Monday after a quiet weekend), which reads as a spike meanwhile. The
// difference is taken within the first week, not against the level when
// the slot recurs: a level that is off then (an outage) would otherwise
// be built into the rhythm.
func (d *Detector) primeWeekly(t time.Time) {
	d.primed = true
	per := 1.0
	if d.bucket > 0 {
		per = max(1, float64(time.Hour)/float64(d.bucket))
	}
	// Each slot's difference from its hour's mean over the week, and
	// their spread against what a mean of one visit's buckets would
	// spread by chance.
	var diff [168]float32
	sum2, cnt := 0.0, 0
	for h := range 24 {
		mean, n := 0.0, 0
		for day := range 7 {
			if w := day*24 + h; d.wasVisited(w) {
				mean += float64(d.weekly[w])
				n++
			}
		}
		if n < 2 {
			continue
		}
		mean /= float64(n)
		for day := range 7 {
			if w := day*24 + h; d.wasVisited(w) {
				diff[w] = float32(float64(d.weekly[w]) - mean)
				sum2 += float64(diff[w]) * float64(diff[w]) * float64(n) / float64(n-1)
				cnt++
			}
		}
	}
	chance := (1.25 * d.noise) * (1.25 * d.noise) / per
	shrink := 0.0
	if cnt > 0 && sum2 > 0 {
		shrink = max(0, 1-chance/(sum2/float64(cnt)))
	}
	var primed [168]float32
	for w := range primed {
		primed[w] = float32(math.Max(-1, math.Min(1, shrink*float64(diff[w]))))
	}
	d.weekly = primed
	// The level followed the first week's rhythm that the weekly terms
	// now hold (it fell over the weekend): take out of it their part, as
	// the level's weights saw them over the hours before t.
	keep := math.Pow(1-d.aLevel, per) // a level weight kept over an hour
	wsum, corr := 0.0, 0.0
	for j, w := 1, 1-keep; j <= 168; j, w = j+1, w*keep {
		_, slot := d.slots(t.Add(-time.Duration(j) * time.Hour))
		wsum += w
		corr += w * float64(primed[slot])
	}
	if wsum > 0 {
		d.level -= corr / wsum
	}
}

// firstVisit starts a ratio's daily slot (a share, a mean sentiment: a
// value over a volume n, with a volume guard) from the first visit of its
// hour as a whole: the daily profile's first guess is the volume-weighted
// mean of every bucket of that visit so far, under the volume guard or
// not, less the level. One bucket's ratio is mostly sampling noise: taken
// alone as the first guess (as a count's is, in forecast), one bucket of
// twelve posts with no negative one had a generated demo's 19:00 expect a
// share of 3-5% for ten days, where the ninety posts of that hour held
// 19% (the daily profile learns by a clipped step a bucket, and few
// buckets of the evening pass the guard), and ordinary evening buckets
// then read as a rise.
func (d *Detector) firstVisit(t time.Time, v, n float64) {
	if d.seen == 0 || n <= 0 {
		return
	}
	hour, _ := d.slots(t)
	if !d.dailySeen[hour] {
		d.dailySeen[hour] = true
		lt := t.In(d.loc)
		start := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), 0, 0, 0, d.loc)
		d.visitEnd = start.Add(time.Hour).UnixNano()
		d.visitN, d.visitK = 0, 0
	} else if t.UnixNano() >= d.visitEnd {
		return
	}
	d.visitN += float32(n)
	d.visitK += float32(v * n)
	d.daily[hour] = float32(math.Max(-1, math.Min(1, float64(d.visitK/d.visitN)-d.level)))
}

// forecast is the baseline's forecast, in transformed space, for the
// bucket at t of value y in slots hour and week, and whether t is in the
// series' first week. A slot's first visit starts its rhythm: the daily
// profile's first guess is that value (bounded: the first day may hold a
// spike), and the week's end starts the weekly terms (primeWeekly).
func (d *Detector) forecast(t time.Time, y float64, hour, week int) (float64, bool) {
	if !d.dailySeen[hour] {
		d.dailySeen[hour] = true
		d.daily[hour] = float32(math.Max(-1, math.Min(1, y-d.level)))
	}
	first := d.firstWeek(t)
	if !first && !d.primed {
		d.primeWeekly(t)
	}
	return d.level + float64(d.daily[hour]) + d.weeklyTerm(week), first
}

// closeDays folds the day's maxima into the tail models when t starts a
// new local day.
func (d *Detector) closeDays(t time.Time, share bool) {
	day := d.localDay(t)
	if day == d.day {
		return
	}
	if d.day != 0 {
		for k := range d.tl {
			d.tl[k].closeDay(d.aDay, share)
		}
	}
	d.day = day
}

// spans feeds the bucket's deviation z (and, for a share, its counts: v
// of n, expected the expected share) to the longer spans and returns the
// largest surprise among those that are about now.
func (d *Detector) spans(z, v, n, expected float64, share bool) float64 {
	u := 0.0
	least := math.Inf(1) // the least mean deviation of the shorter spans
	posts := share || d.cfg.Transform == TransformLog
	for k := range d.nScales {
		d.ew[k] += d.aScale[k] * (math.Max(-zCap, math.Min(zCap, z)) - d.ew[k])
		uk := d.surprise(k+1, d.ew[k]/d.scaleNorm[k])
		if share {
			a := d.aScale[k]
			d.pn[k] += a * (n - d.pn[k])
			d.pk[k] += a * (v*n - d.pk[k])
			d.pe[k] += a * (expected*n - d.pe[k])
			// The averages' weights sum to 1 and their squares to
			// a/(2-a): as many posts as (2-a)/a buckets' worth.
			w := (2 - a) / a
			uk = min(uk, countSurprise(w*d.pn[k], w*d.pk[k], w*d.pe[k]))
		}
		// For posts (a count or a share), a longer span's evidence is
		// about now only while every shorter span still deviates at
		// least half as much on average: once they have faded, the span
		// remembers an event that is over (the hours after an outage or
		// a burst of mentions), and a bucket that merely clears the
		// guards must not borrow its surprise.
		current := !posts || least >= d.ew[k]/2
		if share && !current {
			// Nor may a later rise: a share's span forgets what lies
			// beyond twice its shorter spans' mean deviation, so that a
			// few chance negatives in the evening after an outage do not
			// revive the outage's memory in the two-hour span.
			d.ew[k] = 2 * max(least, 0)
		}
		least = min(least, d.ew[k])
		if current {
			u = max(u, uk)
		}
	}
	return u
}

// countExpected is the share a count test expects: the forecast, but never
// less than the series' usual share. With few posts a bucket (at night),
// the forecast learns a share below the usual one (most buckets hold no
// negative post, and one bucket pulls the baseline by a clipped amount
// only), and against it a chance handful of negatives reads as a rare
// count.
func (d *Detector) countExpected(expected float64) float64 {
	if d.poolN <= 0 {
		return expected
	}
	return max(expected, d.poolK/d.poolN)
}

// pool adds a share's bucket, v of n, to the usual share, its count
// bounded at three binomial deviations over the usual share (an outage
// must not raise the bar for the next one).
func (d *Detector) pool(v, n float64) {
	keep := 1 - d.aTail
	k := v * n
	if d.poolN > 0 {
		q := d.poolK / d.poolN
		k = min(k, n*q+3*math.Sqrt(n*q*(1-q))+1)
	}
	d.poolN = keep*d.poolN + n
	d.poolK = keep*d.poolK + k
}

// deviation is the usual deviation of the transformed series: learned,
// with a sampling-noise floor for a bucket of volume n expected to hold
// expected.
func (d *Detector) deviation(linear bool, n, expected float64) float64 {
	sigma := 1.25 * d.noise
	var floor float64
	if linear {
		floor = 0.5 / math.Sqrt(max(n, 1))
	} else {
		// Poisson: the deviation of log(X+c) is about sqrt(λ)/(λ+c).
		floor = math.Sqrt(max(expected, 0)+1) / (max(expected, 0) + d.cfg.LogOffset)
	}
	return max(sigma, floor)
}

// learn updates the baseline with a bucket's error e (in transformed
// units), whose usual deviation was sigma, in daily slot hour and weekly
// slot week.
func (d *Detector) learn(e, z, sigma float64, hour, week int) {
	// Learn, robustly: one bucket pulls the baseline by at most Clip
	// usual deviations, so past spikes do not inflate it.
	c := d.cfg.Clip * sigma
	ec := math.Max(-c, math.Min(c, e))
	d.level += d.aLevel * ec
	d.daily[hour] += float32(d.aDaily * ec)
	if d.primed {
		d.weekly[week] += float32(d.aWeekly * (ec - d.aDaily*ec))
	}
	d.noise += d.aNoise * (math.Min(math.Abs(e), c) - d.noise)

	// A deviation that lasts is a new level, not an anomaly.
	if math.Abs(z) > d.cfg.Clip && (d.shiftRun == 0 || sameSign(e, d.shiftSum)) {
		d.shiftRun++
		d.shiftSum += e - ec
		if d.shiftRun >= d.shiftAfter {
			d.level += d.shiftSum / float64(d.shiftRun)
			d.shiftRun, d.shiftSum = 0, 0
			d.ew = [maxScales]float64{}
		}
	} else if math.Abs(z) < 1 || !sameSign(e, d.shiftSum) {
		d.shiftRun, d.shiftSum = 0, 0
	}
}

// expectedAt is the baseline's forecast at t in transformed space.
func (d *Detector) expectedAt(t time.Time) float64 {
	hour, week := d.slots(t)
	return d.level + float64(d.daily[hour]) + d.weeklyTerm(week)
}

// surprise returns how surprising deviation z is at scale k, in decades
// (-log10 of how often the series deviates this much at that scale), and
// learns from it.
func (d *Detector) surprise(k int, z float64) float64 {
	z = d.directed(z)
	m := &d.tl[k]
	u := 0.0
	if z > 0 {
		if d.cfg.Calibration == CalibrateDailyMax && m.days >= 3 {
			u = m.gumbel(z, d.perDay)
		} else {
			u = -math.Log10(m.tail(z))
		}
	}
	m.learn(z, d.aTail)
	m.dmax = max(m.dmax, float32(z))
	// A deviation past every float (a series in the billions against a
	// noise floor for shares) is as surprising as can be, not NaN later.
	return min(u, maxSurprise)
}

// maxSurprise bounds a surprise, in decades.
const maxSurprise = 300

// zCap bounds the deviation one bucket adds to the longer-span evidence.
const zCap = 10

// score maps a surprise to severity and score in [0, 1], after the
// warm-up and volume guards.
func (d *Detector) score(u, v, expected, n float64) (severity, score float64) {
	// u50 is the surprise of a once-a-week deviation, uDay that of the
	// series' usual daily maximum.
	u50 := math.Log10(max(d.perWeek, 10))
	uDay := math.Log10(max(d.perDay, 1))
	guarded := d.seen < d.warmUp || u <= 0 ||
		(d.cfg.MinVolume > 0 && n < d.cfg.MinVolume && d.cfg.Transform == TransformLog) ||
		d.directed(v-expected) < d.cfg.MinExcess

	// Episodes. A bucket is calm when no scale deviates beyond the
	// series' daily maximum on an ordinary day (uDay + calmU); after
	// EpisodeGap of calm buckets, the episode is over: its peak is
	// released and the next rise is news again.
	if guarded || u <= uDay+calmU {
		d.calm = min(d.calm+1, math.MaxInt32-1)
		if d.calmAfter > 0 && d.calm >= d.calmAfter {
			d.reported = false
			d.peak = min(d.peak, uDay)
		}
	} else {
		d.calm = 0
	}
	if guarded {
		return 0, 0
	}
	squash := func(u float64) float64 {
		if u <= 0 {
			return 0
		}
		return u * u / (u*u + u50*u50)
	}
	// The news: what exceeds the surprise already reported, which is
	// never less than an everyday deviation's.
	news := u - d.cfg.Novelty*max(d.peak, uDay)
	if d.cfg.ReportAt > 0 && !d.reported {
		// Until the episode is reported, its own rise is measured
		// against what came before it: a slow rise is news once it has
		// grown enough, not damped by its own first buckets.
		if squash(news) < d.cfg.ReportAt {
			return squash(u), squash(news)
		}
		d.reported = true
	} else if d.cfg.ReportAt > 0 {
		// Once it is reported, only what goes beyond its peak is news:
		// an episode whose evidence creeps up as it lasts (the longer
		// spans filling) does not alert again for each step.
		news = min(news, u-d.peak)
	}
	d.peak = max(u, d.peak)
	return squash(u), squash(news)
}

// calmU is the margin over the surprise of the usual daily maximum under
// which a bucket is calm: a deviation no larger than the series' daily
// maximum on an ordinary day, which half the days exceed (log10 2).
const calmU = 0.30103

// tailU is the deviation above which the tail is modelled as exponential.
const tailU = 2

func (d *Detector) directed(z float64) float64 {
	switch d.cfg.Direction {
	case Up:
		return z
	case Down:
		return -z
	}
	return math.Abs(z)
}

// learn updates the exceedance model with one (directed) deviation.
func (m *tailModel) learn(z, aTail float64) {
	exceed, excess := float64(m.exceed), float64(m.excess)
	if m.n == 0 {
		exceed, excess = 0.05, 1
	}
	m.n++
	a := max(aTail, 1/(float64(m.n)+20))
	hit := 0.0
	if z > tailU {
		hit = 1
		ex := math.Min(z-tailU, 4*excess+1)
		// Mean excess over the exceedances only: weight by the rate.
		excess += a / max(exceed, a) * (ex - excess)
	}
	exceed += a * (hit - exceed)
	m.exceed, m.excess = float32(exceed), float32(excess)
}

// countSurprise is how surprising k events out of n are when e were
// expected (a binomial count), in decades: the Chernoff bound
// n·KL(k/n ‖ e/n), so never more than the exact tail says. Fewer than
// expected is no surprise.
func countSurprise(n, k, e float64) float64 {
	if n <= 0 || k <= e {
		return 0
	}
	p, q := k/n, max(e/n, 1e-9)
	if q >= 1 {
		return 0
	}
	kl := p * math.Log(p/q)
	if p < 1 {
		kl += (1 - p) * math.Log((1-p)/(1-q))
	}
	return n * kl / math.Ln10
}

// capDays sets where a share's day's maximum is clipped before it is
// folded into the fit of daily maxima, once the fit has a few days: at
// the maximum the fit expects to be exceeded one day in capDays. An
// incident's day tells how big incidents are, not how far an ordinary
// day deviates, and would otherwise numb the series to the next one for
// weeks; the count test (countSurprise) keeps the noise of small
// buckets out instead.
const capDays = 30

// closeDay folds today's maximum into the fit of daily maxima; a is the
// weight of a day (TailHalfLife); capped clips it first (capDays).
func (m *tailModel) closeDay(a float64, capped bool) {
	if capped && m.days >= 3 {
		beta := max(math.Sqrt(float64(m.gVar))*math.Sqrt(6)/math.Pi, 0.25)
		mu := float64(m.gMean) - 0.5772*beta
		m.dmax = min(m.dmax, float32(mu-beta*math.Log(-math.Log1p(-1.0/capDays))))
	}
	m.days++
	a = max(a, 1/float64(m.days))
	mean, v := float64(m.gMean), float64(m.gVar)
	d := float64(m.dmax) - mean
	mean += a * d
	v = (1 - a) * (v + a*d*d)
	m.gMean, m.gVar, m.dmax = float32(mean), float32(v), 0
}

// gumbel is the surprise of a deviation z, in decades (-log10 of its
// probability per bucket), under a Gumbel law fitted by moments to the
// daily maxima: a deviation as large as the usual daily maximum is about
// once a day, log10(buckets a day).
func (m *tailModel) gumbel(z, perDay float64) float64 {
	beta := max(math.Sqrt(float64(m.gVar))*math.Sqrt(6)/math.Pi, 0.25)
	mu := float64(m.gMean) - 0.5772*beta
	x := (z - mu) / beta
	var l float64 // log10 of the probability that a day's maximum exceeds z
	if x > 20 {
		l = -x / math.Ln10
	} else {
		l = math.Log10(-math.Expm1(-math.Exp(-x)))
	}
	return math.Log10(perDay) - l
}

// localDay numbers t's day in the detector's zone (UTC: no conversion).
func (d *Detector) localDay(t time.Time) int64 {
	if d.loc == time.UTC {
		return t.Unix() / 86400
	}
	y, m, dd := t.In(d.loc).Date()
	return int64(y)*400 + int64(m)*32 + int64(dd)
}

// tail is the modelled probability of a deviation of at least z.
func (m *tailModel) tail(z float64) float64 {
	if m.n == 0 {
		return 0.5
	}
	pu := max(float64(m.exceed), 1e-4)
	if z <= tailU {
		return math.Pow(pu/0.5, z/tailU) * 0.5
	}
	return pu * math.Exp(-(z-tailU)/max(float64(m.excess), 0.1))
}

func sameSign(a, b float64) bool { return (a >= 0) == (b >= 0) }
