package alerts

import (
	"math"
	"time"

	"github.com/earshot/earshot"
)

type noiseSettings struct {
	minScore    float64
	minDuration time.Duration
	cooldown    time.Duration
	newWave     float64
}

// settings are the noise controls of one watch.
func (n Noise) settings(watch string) noiseSettings {
	s := noiseSettings{n.MinScore, n.MinDuration, n.Cooldown, n.NewWave}
	o, ok := n.Watches[watch]
	if !ok {
		return s
	}
	if o.MinScore != nil {
		s.minScore = *o.MinScore
	}
	if o.MinDuration != nil {
		s.minDuration = *o.MinDuration
	}
	if o.Cooldown != nil {
		s.cooldown = *o.Cooldown
	}
	if o.NewWave != nil {
		s.newWave = *o.NewWave
	}
	return s
}

type coolKey struct {
	watch string
	kind  earshot.AlertKind
}

// coolState is the last alert notified for one watch and kind.
type coolState struct {
	at      time.Time
	peak    float64
	metric  earshot.Metric
	spikeID string
}

// peak is how far a spike rose above what was expected.
func peak(s *earshot.Spike) float64 {
	if s == nil {
		return 0
	}
	return math.Abs(s.Observed - s.Expected)
}

// admit applies the noise controls to a new alert at time t.
func (d *Dispatcher) admit(a earshot.Alert, s *earshot.Spike, t time.Time) Outcome {
	if a.Kind != earshot.AlertSpike && a.Kind != earshot.AlertUnreported {
		return Admitted
	}
	watch := Labels(a)["watch"]
	set := d.cfg.noise.settings(watch)
	if s != nil && s.Score < set.minScore {
		return BelowMinScore
	}
	if set.minDuration > 0 && !a.StartsAt.IsZero() {
		end := t
		if !a.EndsAt.IsZero() && a.EndsAt.Before(end) {
			end = a.EndsAt
		}
		if end.Sub(a.StartsAt) < set.minDuration {
			return TooShort
		}
	}
	if set.cooldown > 0 {
		st, ok := d.cool[coolKey{watch, a.Kind}]
		if ok && t.Before(st.at.Add(set.cooldown)) && (a.SpikeID == "" || a.SpikeID != st.spikeID) {
			p := peak(s)
			// Peaks compare within one metric only: posts and shares are
			// not in the same units.
			wave := set.newWave > 0 && st.peak > 0 && st.metric == a.Metric && p >= st.peak*(1+set.newWave/100)
			if !wave {
				return CoolingDown
			}
		}
	}
	return Admitted
}
