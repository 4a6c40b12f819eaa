package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// px is an SVG coordinate; it prints with one decimal.
type px float64

func (p px) String() string { return strconv.FormatFloat(float64(p), 'f', 1, 64) }

// chart is everything the template needs to draw one SVG chart, with every
// coordinate computed here.
type chart struct {
	Label        string // what the chart shows, for screen readers
	W, H         px
	Left, Top    px
	Right, Floor px // right edge and bottom of the plot area
	PlotW, PlotH px
	YLabel       string
	Grid         []tick
	XTicks       []tick
	Bands        []band
	Bars         []bar
	Hover        []bar
	Line         string
	ZeroY        px
}

type tick struct {
	X, Y  px
	Label string
}

type bar struct {
	X, W, Y, H px
	NY, NH     px // the negative part, drawn over the bar's foot
	Tip        string
}

type band struct {
	X, W           px
	LabelX, LabelY px
	Anchor         string
	Label          string
	Tip            string
	Class          string
}

const (
	chartW     = 1000
	chartLeft  = 60
	chartRight = 14
)

// frame sets up a chart's plot area and time scale over the bins.
func frame(h, top, bottom px, bins []bin, step time.Duration) (chart, func(time.Time) px) {
	c := chart{W: chartW, H: h, Left: chartLeft, Top: top}
	c.PlotW = chartW - chartLeft - chartRight
	c.PlotH = h - top - bottom
	c.Right = c.Left + c.PlotW
	c.Floor = c.Top + c.PlotH
	first := bins[0].start
	span := bins[len(bins)-1].start.Add(step).Sub(first)
	x := func(t time.Time) px {
		f := float64(t.Sub(first)) / float64(span)
		return c.Left + px(math.Max(0, math.Min(1, f)))*c.PlotW
	}
	c.XTicks = timeTicks(first, first.Add(span), x)
	return c, x
}

var tickSteps = []time.Duration{
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 48 * time.Hour, 72 * time.Hour, 96 * time.Hour, 120 * time.Hour, 168 * time.Hour,
}

// timeTicks labels the time axis with at most 8 ticks on round times (UTC).
func timeTicks(from, to time.Time, x func(time.Time) px) []tick {
	span := to.Sub(from)
	step := tickSteps[len(tickSteps)-1]
	for _, st := range tickSteps {
		if span/st <= 8 {
			step = st
			break
		}
	}
	var ticks []tick
	const day = 24 * time.Hour
	if step < day {
		t := from.Truncate(step)
		if t.Before(from) {
			t = t.Add(step)
		}
		for ; !t.After(to); t = t.Add(step) {
			label := t.Format("15:04")
			if t.Hour() == 0 && t.Minute() == 0 {
				label = t.Format("Jan 2")
			}
			ticks = append(ticks, tick{X: x(t), Label: label})
		}
		return ticks
	}
	t := from.Truncate(day)
	if t.Before(from) {
		t = t.Add(day)
	}
	every := int64(step / day)
	layout := "Jan 2"
	if every == 1 {
		layout = "Mon Jan 2"
	}
	for ; !t.After(to); t = t.Add(day) {
		if (t.Unix()/86400)%every == 0 {
			ticks = append(ticks, tick{X: x(t), Label: t.Format(layout)})
		}
	}
	return ticks
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func binTip(b bin, step time.Duration) string {
	end := b.start.Add(step)
	layout := "Jan 2 15:04"
	if step >= 24*time.Hour {
		layout = "Mon Jan 2"
	}
	s := fmt.Sprintf("%s–%s UTC · %d posts", b.start.Format(layout), end.Format("15:04"), b.count)
	if step >= 24*time.Hour {
		s = fmt.Sprintf("%s · %d posts", b.start.Format(layout), b.count)
	}
	if b.scored > 0 {
		s += fmt.Sprintf(" · %d negative (%s) · mean %+.2f", b.neg, percent(b.neg, b.scored), b.mean())
	}
	return s
}

func volumeChart(bins []bin, incidents []earshot.Incident, now time.Time, step time.Duration) chart {
	c, x := frame(270, 44, 30, bins, step)
	c.YLabel = "posts per " + stepName(step)
	var most int64
	for _, b := range bins {
		most = max(most, b.count)
	}
	yStep := max(1, niceStep(float64(most)/4))
	top := yStep * math.Max(1, math.Ceil(float64(most)/yStep))
	y := func(v float64) px { return c.Floor - px(v/top)*c.PlotH }
	for v := 0.0; v <= top+yStep/2; v += yStep {
		c.Grid = append(c.Grid, tick{Y: y(v), Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	slot := c.PlotW / px(len(bins))
	gap := px(0)
	if slot > 3 {
		gap = min(slot*0.2, 2)
	}
	for _, b := range bins {
		bx := x(b.start)
		hb := c.Floor - y(float64(b.count))
		hn := c.Floor - y(float64(b.neg))
		c.Bars = append(c.Bars, bar{X: bx + gap/2, W: slot - gap, Y: c.Floor - hb, H: hb, NY: c.Floor - hn, NH: hn, Tip: binTip(b, step)})
	}
	c.Bands = bands(incidents, bins, step, now, x, c, true)
	return c
}

func sentimentChart(bins []bin, incidents []earshot.Incident, now time.Time, step time.Duration) chart {
	c, x := frame(190, 14, 30, bins, step)
	c.YLabel = "mean sentiment"
	var most float64
	for _, b := range bins {
		if b.scored > 0 {
			most = math.Max(most, math.Abs(b.mean()))
		}
	}
	scale := 1.0
	switch {
	case most <= 0.25:
		scale = 0.25
	case most <= 0.5:
		scale = 0.5
	}
	y := func(v float64) px { return c.Top + px((scale-v)/(2*scale))*c.PlotH }
	for _, v := range []float64{scale, scale / 2, 0, -scale / 2, -scale} {
		c.Grid = append(c.Grid, tick{Y: y(v), Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	c.Grid[0].Label = "+" + c.Grid[0].Label
	c.Grid[1].Label = "+" + c.Grid[1].Label
	c.ZeroY = y(0)
	slot := c.PlotW / px(len(bins))
	var path strings.Builder
	open := false
	for i, b := range bins {
		bx := x(b.start)
		c.Hover = append(c.Hover, bar{X: bx, W: slot, Y: c.Top, H: c.PlotH, Tip: binTip(b, step)})
		if b.scored == 0 {
			open = false
			continue
		}
		cmd := "L"
		if !open {
			cmd = "M"
		}
		fmt.Fprintf(&path, "%s%s %s ", cmd, bx+slot/2, y(b.mean()))
		// A point with no neighbour still shows, as a dot.
		if !open && (i+1 == len(bins) || bins[i+1].scored == 0) {
			path.WriteString("l0.1 0 ")
		}
		open = true
	}
	c.Line = strings.TrimSpace(path.String())
	c.Bands = bands(incidents, bins, step, now, x, c, false)
	return c
}

// bands draws each incident as a shaded band from its start to its
// resolution (or now), labelled on the volume chart.
func bands(incidents []earshot.Incident, bins []bin, step time.Duration, now time.Time, x func(time.Time) px, c chart, labels bool) []band {
	var out []band
	for i, inc := range incidents {
		end := inc.ResolvedAt
		if end.IsZero() || end.After(now) {
			end = now
		}
		x1, x2 := x(inc.StartedAt), x(end)
		b := band{X: x1, W: max(x2-x1, 3), Class: "band-minor"}
		if s := strings.ToLower(inc.Severity); s == "major" || s == "critical" {
			b.Class = "band-major"
		}
		b.Tip = fmt.Sprintf("%s · %s · %s", inc.Title, inc.Status, inc.StartedAt.UTC().Format("Jan 2 15:04"))
		if inc.ResolvedAt.IsZero() {
			b.Tip += " – ongoing"
		} else {
			b.Tip += " – " + inc.ResolvedAt.UTC().Format("Jan 2 15:04") + " UTC"
		}
		if labels {
			b.Label = truncate(inc.Title, 52) + " · " + string(inc.Status)
			b.LabelY = c.Top - 24 + px(i%2)*14
			b.LabelX, b.Anchor = x1, "start"
			if x1 > c.Left+c.PlotW*0.6 {
				b.LabelX, b.Anchor = x1+b.W, "end"
			}
		}
		out = append(out, b)
	}
	return out
}
