package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// pageRange is one choice of the range selector.
type pageRange struct {
	name string
	span time.Duration
}

var pageRanges = []pageRange{
	{"24h", 24 * time.Hour},
	{"7d", 7 * 24 * time.Hour},
	{"14d", 14 * 24 * time.Hour},
	{"30d", 30 * 24 * time.Hour},
}

const (
	maxBins       = 200 // bars on the charts
	negativePosts = 15
	// negativeFetch is how many of the most negative posts are read to
	// fill negativePosts distinct texts: the same complaint copied or
	// retweeted is shown once, with a count.
	negativeFetch = 200
	maxPostRunes  = 600
)

// steps are the widths a chart's bars may have; each divides a day, so
// time.Truncate aligns them with the store's epoch-aligned buckets.
var steps = []time.Duration{
	time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// plan picks the store's bucket for a span and the width of the bars drawn
// from it: minutes up to two days, hours up to 90 days, days beyond; bars
// as narrow as allowed while there are at most maxBins of them.
func plan(span time.Duration) (bucket, step time.Duration) {
	switch {
	case span <= 48*time.Hour:
		bucket = time.Minute
	case span <= 90*24*time.Hour:
		bucket = time.Hour
	default:
		bucket = 24 * time.Hour
	}
	for _, st := range steps {
		if st >= bucket && span/st <= maxBins {
			return bucket, st
		}
	}
	return bucket, 24 * time.Hour
}

func stepName(d time.Duration) string {
	switch {
	case d == 24*time.Hour:
		return "day"
	case d == time.Hour:
		return "hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	default:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
}

type rangeLink struct {
	Name    string
	URL     string
	Current bool
}

type summary struct {
	Posts         int64
	Negative      int64
	NegativeShare string
	MeanSentiment string
	Open          int
}

type sourceRow struct {
	Source        string
	URL           string
	Posts         int64
	Share         string
	Negative      int64
	NegativeShare string
	PositiveShare string
	MeanSentiment string
	Tone          string
	BarWidth      px // negative share bar, out of 100
}

type postView struct {
	Author    string
	Handle    string
	Followers string
	Source    string
	Kind      string
	Time      string
	ISO       string
	Score     string
	Tone      string
	Text      string
	Link      string
	Watches   string
	// Similar counts the other posts in the window with the same text
	// (shown once).
	Similar int
}

type incidentView struct {
	Title    string
	Status   string
	Severity string
	Services string
	Started  string
	Ended    string
	Duration string
	Link     string
	Latest   string
	View     string // the incident's page here
	// WarRoom is the address of the incident's war room.
	WarRoom string
}

type pageData struct {
	Title     string
	Now       string
	Range     string
	Ranges    []rangeLink
	Watch     string
	Source    string
	ClearURL  string
	Empty     bool
	Step      string
	Summary   summary
	Volume    chart
	Sentiment chart
	Incidents []incidentView
	Spikes    []spikeView
	// Silences are those pending, active or ended in the last day.
	Silences []silenceView
	Sources  []sourceRow
	Negative []postView
}

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	span, name, err := s.pageRange(q.Get("range"))
	if err != nil {
		pageError(w, http.StatusBadRequest, err.Error())
		return
	}
	watch, source, err := filters(q)
	if err != nil {
		pageError(w, http.StatusBadRequest, err.Error())
		return
	}
	now := s.opts.Now().UTC()
	bucket, step := plan(span)
	from := now.Add(-span).Truncate(step)
	in, what, err := s.loadPage(r.Context(), earshot.SeriesQuery{From: from, To: now, Bucket: bucket, Watch: watch, Source: source})
	if err != nil {
		s.pageFailed(w, r, what, err)
		return
	}
	d := pageData{
		Title:  s.opts.Title,
		Now:    now.Format("Mon 2 Jan 2006 15:04 UTC"),
		Range:  name,
		Watch:  watch,
		Source: source,
		Step:   stepName(step),
	}
	s.fillPage(&d, in, from, now, step)

	var buf bytes.Buffer
	if err := s.page.Execute(&buf, d); err != nil {
		s.log.Error("rendering the dashboard", "err", err)
		pageError(w, http.StatusInternalServerError, "rendering the dashboard failed; see the server log")
		return
	}
	w.Header().Set("Content-Security-Policy", liveCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// pageRange returns the span and name of the range asked for (the default
// when v is empty), or an error naming the ranges offered.
func (s *Server) pageRange(v string) (time.Duration, string, error) {
	span, name := s.opts.DefaultRange, ""
	for _, pr := range pageRanges {
		if pr.span == span {
			name = pr.name
		}
	}
	if v != "" {
		name = ""
		for _, pr := range pageRanges {
			if pr.name == v {
				span, name = pr.span, pr.name
			}
		}
		if name == "" {
			return 0, "", errors.New("range: must be one of 24h, 7d, 14d, 30d")
		}
	}
	if name == "" { // a DefaultRange the selector does not offer
		name = fmt.Sprintf("%dh", span/time.Hour)
		if span%(24*time.Hour) == 0 {
			name = fmt.Sprintf("%dd", span/(24*time.Hour))
		}
	}
	return span, name, nil
}

// pageInputs is what the page reads from the store.
type pageInputs struct {
	series, bySource []earshot.Bucket
	incidents        []earshot.Incident
	spikes           []earshot.Spike
	negative         []earshot.Post
	silences         []earshot.Silence
}

// loadPage reads the page's inputs for the window and filters of sq, all
// at once (the page waits for the slowest, not for their sum); on an error
// it also says what it was loading, the first in the page's order.
func (s *Server) loadPage(ctx context.Context, sq earshot.SeriesQuery) (pageInputs, string, error) {
	var in pageInputs
	daily := sq
	daily.Bucket, daily.GroupBy = 24*time.Hour, earshot.GroupSource
	pq := earshot.PostQuery{From: sq.From, To: sq.To, Watch: sq.Watch, Source: sq.Source, Limit: negativeFetch}
	loads := []struct {
		what string
		load func() error
	}{
		{"loading the series", func() (err error) { in.series, err = s.store.Series(ctx, sq); return }},
		{"loading the per-source series", func() (err error) { in.bySource, err = s.store.Series(ctx, daily); return }},
		{"loading incidents", func() (err error) { in.incidents, err = s.store.Incidents(ctx, sq.From, sq.To); return }},
		{"loading spikes", func() (err error) { in.spikes, err = s.store.Spikes(ctx, sq.From, sq.To); return }},
		{"loading negative posts", func() (err error) { in.negative, err = s.store.TopNegative(ctx, pq); return }},
		{"loading silences", func() (err error) {
			if s.opts.Silences != nil {
				in.silences, err = s.opts.Silences.Silences(ctx, sq.To.Add(-24*time.Hour))
			}
			return
		}},
	}
	errs := make([]error, len(loads))
	var wg sync.WaitGroup
	for i, l := range loads {
		wg.Go(func() { errs[i] = l.load() })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return in, loads[i].what, err
		}
	}
	return in, "", nil
}

// fillPage sets the page's views from its inputs.
func (s *Server) fillPage(d *pageData, in pageInputs, from, now time.Time, step time.Duration) {
	bins := rebin(in.series, from, now, step)
	for _, pr := range pageRanges {
		d.Ranges = append(d.Ranges, rangeLink{Name: pr.name, URL: pageURL(pr.name, d.Watch, d.Source), Current: pr.name == d.Range})
	}
	if d.Watch != "" || d.Source != "" {
		d.ClearURL = pageURL(d.Range, "", "")
	}
	d.Summary = summarize(bins, in.incidents, now)
	d.Empty = d.Summary.Posts == 0 && len(in.incidents) == 0
	if !d.Empty {
		d.Volume = volumeChart(bins, in.incidents, now, step)
		d.Volume.Label = "Posts per " + d.Step + ", negative posts highlighted, incidents shaded"
		d.Sentiment = sentimentChart(bins, in.incidents, now, step)
		d.Sentiment.Label = "Mean sentiment per " + d.Step + ", incidents shaded"
	}
	d.Sources = sourceRows(in.bySource, d.Range, d.Watch)
	for _, inc := range in.incidents {
		d.Incidents = append(d.Incidents, viewIncident(inc, now))
	}
	for _, sp := range in.spikes {
		if scopeShown(sp.Scope, d.Watch, d.Source, len(s.opts.Watches)) {
			d.Spikes = append(d.Spikes, viewSpike(sp, in.incidents))
		}
	}
	d.Negative = distinctPosts(in.negative, negativePosts)
	for _, sl := range in.silences {
		d.Silences = append(d.Silences, viewSilence(sl, now))
	}
}

func pageURL(rng, watch, source string) string {
	q := url.Values{}
	q.Set("range", rng)
	if watch != "" {
		q.Set("watch", watch)
	}
	if source != "" {
		q.Set("source", source)
	}
	return "/?" + q.Encode()
}

func pageError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

func (s *Server) pageFailed(w http.ResponseWriter, r *http.Request, doing string, err error) {
	s.logFailure(r, doing, err)
	pageError(w, http.StatusInternalServerError, doing+" failed; see the server log")
}

// bin is one bar of the charts.
type bin struct {
	start              time.Time
	count, scored, neg int64
	pos                int64
	sum                float64 // of scores
}

func (b bin) mean() float64 {
	if b.scored == 0 {
		return 0
	}
	return b.sum / float64(b.scored)
}

// rebin folds store buckets into step-wide bins covering [from, to), with
// empty bins where the store had nothing.
func rebin(series []earshot.Bucket, from, to time.Time, step time.Duration) []bin {
	var bins []bin
	for t := from.Truncate(step); t.Before(to); t = t.Add(step) {
		bins = append(bins, bin{start: t})
	}
	if len(bins) == 0 {
		return nil
	}
	first := bins[0].start
	for _, b := range series {
		i := int(b.Start.Truncate(step).Sub(first) / step)
		if i < 0 || i >= len(bins) {
			continue
		}
		bins[i].count += b.Count
		bins[i].scored += b.Scored
		bins[i].neg += b.Negative
		bins[i].pos += b.Positive
		bins[i].sum += b.MeanSentiment * float64(b.Scored)
	}
	return bins
}

func summarize(bins []bin, incidents []earshot.Incident, now time.Time) summary {
	var all bin
	for _, b := range bins {
		all.count += b.count
		all.scored += b.scored
		all.neg += b.neg
		all.sum += b.sum
	}
	s := summary{Posts: all.count, Negative: all.neg, NegativeShare: "–", MeanSentiment: "–"}
	if all.scored > 0 {
		s.NegativeShare = percent(all.neg, all.scored)
		s.MeanSentiment = fmt.Sprintf("%+.2f", all.mean())
	}
	for _, inc := range incidents {
		if inc.ActiveAt(now) {
			s.Open++
		}
	}
	return s
}

func percent(n, of int64) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(of))
}

func tone(score float64) string {
	switch {
	case score <= -0.2:
		return "neg"
	case score >= 0.2:
		return "pos"
	}
	return "neu"
}

func sourceRows(series []earshot.Bucket, rng, watch string) []sourceRow {
	by := map[string]*bin{}
	var total int64
	for _, b := range series {
		x := by[b.Key]
		if x == nil {
			x = &bin{}
			by[b.Key] = x
		}
		x.count += b.Count
		x.scored += b.Scored
		x.neg += b.Negative
		x.pos += b.Positive
		x.sum += b.MeanSentiment * float64(b.Scored)
		total += b.Count
	}
	var rows []sourceRow
	for key, x := range by {
		row := sourceRow{
			Source:        key,
			URL:           pageURL(rng, watch, key),
			Posts:         x.count,
			Share:         percent(x.count, total),
			Negative:      x.neg,
			NegativeShare: percent(x.neg, x.scored),
			PositiveShare: percent(x.pos, x.scored),
			MeanSentiment: "–",
			Tone:          "neu",
		}
		if key == "" {
			row.Source = "(unknown)"
		}
		if x.scored > 0 {
			row.MeanSentiment = fmt.Sprintf("%+.2f", x.mean())
			row.Tone = tone(x.mean())
			row.BarWidth = px(100 * float64(x.neg) / float64(x.scored))
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b sourceRow) int {
		return cmp.Or(cmp.Compare(b.Posts, a.Posts), cmp.Compare(a.Source, b.Source))
	})
	return rows
}

// safeLink returns u when it is an absolute http(s) URL, "" otherwise:
// a post's URL comes from the post's source and may be anything.
func safeLink(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	return p.String()
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func viewPost(p earshot.Post) postView {
	v := postView{
		Author: p.Author.Name,
		Source: p.Source,
		Kind:   string(p.Kind),
		Time:   p.CreatedAt.UTC().Format("Jan 2 15:04"),
		ISO:    p.CreatedAt.UTC().Format(time.RFC3339),
		Score:  fmt.Sprintf("%+.2f", p.Sentiment.Score),
		Tone:   tone(p.Sentiment.Score),
		Text:   truncate(p.Text, maxPostRunes),
		Link:   safeLink(p.URL),
	}
	if p.Author.Handle != "" {
		v.Handle = "@" + strings.TrimPrefix(p.Author.Handle, "@")
	}
	if v.Author == "" && v.Handle == "" {
		v.Author = p.Author.ID
	}
	if p.Author.Followers > 0 {
		v.Followers = humanCount(p.Author.Followers) + " followers"
	}
	v.Watches = strings.Join(p.Watches, ", ")
	return v
}

// distinctPosts views the first n posts with distinct texts, counting the
// repeats of each (earshot.DistinctTexts).
func distinctPosts(posts []earshot.Post, n int) []postView {
	var out []postView
	for _, r := range earshot.DistinctTexts(posts, n) {
		v := viewPost(r.Post)
		v.Similar = r.Repeats
		out = append(out, v)
	}
	return out
}

func humanCount(n int64) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	case n >= 1_000:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func viewIncident(inc earshot.Incident, now time.Time) incidentView {
	v := incidentView{
		Title:    inc.Title,
		Status:   string(inc.Status),
		Severity: inc.Severity,
		Services: strings.Join(inc.Services, ", "),
		Started:  inc.StartedAt.UTC().Format("Mon Jan 2 15:04"),
		Link:     safeLink(inc.URL),
		View:     "/incidents/" + url.PathEscape(inc.ID),
		WarRoom:  "/incidents/" + url.PathEscape(inc.ID) + "/warroom",
	}
	end := now
	if inc.ResolvedAt.IsZero() {
		v.Ended = "ongoing"
	} else {
		end = inc.ResolvedAt
		v.Ended = inc.ResolvedAt.UTC().Format("Mon Jan 2 15:04")
	}
	v.Duration = duration(end.Sub(inc.StartedAt))
	if n := len(inc.Updates); n > 0 {
		latest := slices.MaxFunc(inc.Updates, func(a, b earshot.IncidentUpdate) int { return a.At.Compare(b.At) })
		v.Latest = truncate(latest.Body, maxPostRunes)
	}
	return v
}

// spikeView is one detected spike, as the page lists it.
type spikeView struct {
	Scope, Metric      string
	Started, Ended     string
	Observed, Expected string
	Score              string
	Incident           string
	Unexplained        bool
}

// scopeShown reports whether a spike belongs on a page filtered to watch
// and source: with no filter, the spikes over all posts and each watch
// (but not those over all posts when a single watch is configured: the
// same spike twice); with one, that watch's or source's.
func scopeShown(sc earshot.Scope, watch, source string, watches int) bool {
	switch {
	case watch != "":
		return sc.Kind == earshot.ScopeWatch && sc.Value == watch
	case source != "":
		return sc.Kind == earshot.ScopeSource && sc.Value == source
	}
	return (sc.Kind == earshot.ScopeAll && watches != 1) || sc.Kind == earshot.ScopeWatch
}

type silenceView struct {
	ID, State, Matchers string
	Starts, Ends        string
	By, Comment         string
}

func viewSilence(sl earshot.Silence, now time.Time) silenceView {
	state := "active"
	switch {
	case now.Before(sl.StartsAt):
		state = "pending"
	case !now.Before(sl.EndsAt):
		state = "expired"
	}
	return silenceView{ID: sl.ID, State: state, Matchers: strings.Join(sl.Matchers, ", "),
		Starts: sl.StartsAt.UTC().Format("Mon Jan 2 15:04"), Ends: sl.EndsAt.UTC().Format("Mon Jan 2 15:04"),
		By: sl.CreatedBy, Comment: sl.Comment}
}

var metricNames = map[earshot.Metric]string{
	earshot.MetricVolume:        "volume",
	earshot.MetricNegativeShare: "negative share",
	earshot.MetricNetSentiment:  "net sentiment",
}

func viewSpike(sp earshot.Spike, incidents []earshot.Incident) spikeView {
	v := spikeView{
		Scope:    "all posts",
		Metric:   metricNames[sp.Metric],
		Started:  sp.Start.UTC().Format("Mon Jan 2 15:04"),
		Ended:    "ongoing",
		Score:    fmt.Sprintf("%.2f", sp.Score),
		Incident: sp.IncidentID,
	}
	if sp.Scope.Kind != earshot.ScopeAll {
		v.Scope = string(sp.Scope.Kind) + " " + sp.Scope.Value
	}
	if !sp.End.IsZero() {
		v.Ended = sp.End.UTC().Format("Mon Jan 2 15:04")
	}
	if sp.Metric == earshot.MetricVolume {
		v.Observed, v.Expected = fmt.Sprintf("%.0f", sp.Observed), fmt.Sprintf("%.0f", sp.Expected)
	} else if sp.Metric == earshot.MetricNegativeShare {
		v.Observed, v.Expected = fmt.Sprintf("%.0f%%", 100*sp.Observed), fmt.Sprintf("%.0f%%", 100*sp.Expected)
	} else {
		v.Observed, v.Expected = fmt.Sprintf("%+.2f", sp.Observed), fmt.Sprintf("%+.2f", sp.Expected)
	}
	for _, inc := range incidents {
		if inc.ID == sp.IncidentID {
			v.Incident = inc.Title
		}
	}
	v.Unexplained = sp.IncidentID == ""
	return v
}

func duration(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %02dm", d/time.Hour, (d%time.Hour)/time.Minute)
	}
	return fmt.Sprintf("%d days", d/(24*time.Hour))
}
