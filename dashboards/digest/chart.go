package digest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"time"
)

// Chart is a small PNG chart of the digest, drawn in Go: mail clients show
// it inline (a CID attachment) and the web page as a data: URL.
type Chart struct {
	// Name is its file name and Content-ID, such as volume.png.
	Name string
	// Alt describes it in words, for readers that show no images.
	Alt string
	PNG []byte
}

const (
	chartW, chartH = 560, 140
	chartPad       = 8
)

var (
	colBackground = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colAxis       = color.RGBA{0xe4, 0xe7, 0xec, 0xff}
	colVolume     = color.RGBA{0x9a, 0xa4, 0xb2, 0xff}
	colNegative   = color.RGBA{0xd1, 0x45, 0x3b, 0xff}
	colBaseline   = color.RGBA{0x2f, 0x5f, 0xb3, 0xff}
)

// dailySeries is the period's daily buckets with the days that had no posts
// filled in, oldest first.
func dailySeries(d Digest) []dayPoint {
	byStart := map[int64]dayPoint{}
	for _, b := range d.Days {
		byStart[b.Start.Unix()] = dayPoint{b.Start, b.Count, b.Scored, b.Negative}
	}
	var out []dayPoint
	for t := d.From.Truncate(24 * time.Hour); t.Before(d.To); t = t.Add(24 * time.Hour) {
		p, ok := byStart[t.Unix()]
		if !ok {
			p = dayPoint{Start: t}
		}
		out = append(out, p)
	}
	return out
}

type dayPoint struct {
	Start                   time.Time
	Count, Scored, Negative int64
}

// Charts draws the digest's charts: posts per day (the negative ones in
// red) and the daily negative share against the previous period's.
func Charts(d Digest) ([]Chart, error) {
	days := dailySeries(d)
	if len(days) == 0 {
		return nil, nil
	}
	var most int64
	for _, p := range days {
		most = max(most, p.Count)
	}
	vol := newCanvas()
	slot := float64(chartW-2*chartPad) / float64(len(days))
	plotH := float64(chartH - 2*chartPad)
	for i, p := range days {
		if most == 0 {
			break
		}
		x0 := chartPad + int(float64(i)*slot+slot*0.15)
		x1 := chartPad + int(float64(i+1)*slot-slot*0.15)
		h := int(plotH * float64(p.Count) / float64(most))
		neg := 0
		if p.Count > 0 {
			neg = int(plotH * float64(p.Negative) / float64(most))
		}
		base := chartH - chartPad
		fill(vol, x0, base-h, x1, base, colVolume)
		fill(vol, x0, base-neg, x1, base, colNegative)
	}
	volPNG, err := encode(vol)
	if err != nil {
		return nil, err
	}
	charts := []Chart{{Name: "volume.png", PNG: volPNG,
		Alt: fmt.Sprintf("Posts per day, %s to %s: %s in all, the negative ones in red; the busiest day had %s.", day(d.From), day(d.To.Add(-time.Nanosecond)), thousands(d.Current.Posts), thousands(most))}}

	if d.Current.Scored == 0 {
		return charts, nil
	}
	share := newCanvas()
	y := func(s float64) int { return chartH - chartPad - int(plotH*s) }
	if d.Previous.Scored > 0 {
		by := y(d.Previous.NegativeShare)
		for x := chartPad; x < chartW-chartPad; x += 8 {
			fill(share, x, by-1, x+4, by+1, colBaseline)
		}
	}
	var prevX, prevY int
	have := false
	peak := 0.0
	for i, p := range days {
		if p.Scored == 0 {
			continue
		}
		s := float64(p.Negative) / float64(p.Scored)
		peak = max(peak, s)
		x := chartPad + int((float64(i)+0.5)*slot)
		yy := y(s)
		if have {
			line(share, prevX, prevY, x, yy, colNegative)
		}
		fill(share, x-3, yy-3, x+3, yy+3, colNegative)
		prevX, prevY, have = x, yy, true
	}
	sharePNG, err := encode(share)
	if err != nil {
		return nil, err
	}
	alt := fmt.Sprintf("Negative share per day (0 to 100%%), peaking at %s; the period's share is %s", percent(peak), percent(d.Current.NegativeShare))
	if d.Previous.Scored > 0 {
		alt += fmt.Sprintf(", against %s before (the dashed line)", percent(d.Previous.NegativeShare))
	}
	charts = append(charts, Chart{Name: "negative-share.png", PNG: sharePNG, Alt: alt + "."})
	return charts, nil
}

func newCanvas() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, chartW, chartH))
	draw.Draw(img, img.Bounds(), &image.Uniform{colBackground}, image.Point{}, draw.Src)
	fill(img, chartPad, chartH-chartPad, chartW-chartPad, chartH-chartPad+1, colAxis)
	return img
}

func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1).Intersect(img.Bounds()), &image.Uniform{c}, image.Point{}, draw.Src)
}

// line draws a two-pixel line (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		fill(img, x0, y0, x0+2, y0+2, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int { return max(v, -v) }

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func encode(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encoding a chart: %w", err)
	}
	return b.Bytes(), nil
}
