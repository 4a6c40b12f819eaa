package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/earshot/earshot"
)

const (
	warroomBefore     = 2 * time.Hour // timeline before the incident began
	warroomAfter      = 2 * time.Hour // and after it was resolved
	samplesPerReason  = 3
	questionsShown    = 8
	questionsFetch    = 2000
	warroomNegFetch   = 300
	maxQuestionRunes  = 280
	defaultGoingDark  = 30 * time.Minute
	warroomUpdatesMax = 50
)

// liveCSP is the policy of the pages that update live: their own script,
// and its event stream.
const liveCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type reasonGroup struct {
	Reason string
	Count  int
	Share  string
	Posts  []postView
}

type questionView struct {
	Text  string
	Count int
}

type followUpProgress struct {
	Total  int
	Done   int
	States []stateCount
	// DoneWidth is the share done, out of 100.
	DoneWidth px
}

type stateCount struct {
	State string
	Count int
}

type warRecoveryView struct {
	BaselineShare, SinceShare string
	BaselinePosts, SincePosts int64
	Known                     bool
}

type updateView struct {
	Time, ISO string
	What      string // status, or channel and state
	Text      string
	Link      string
	By        string
}

type quietView struct {
	Quiet    bool
	Action   string
	Evidence []string
}

type warroomData struct {
	Title     string
	Now       string
	ID        string
	Incident  incidentView
	Active    bool
	Step      string
	Volume    chart
	Sentiment chart
	Empty     bool
	Spikes    []spikeView
	Reasons   []reasonGroup
	Questions []questionView
	// QuestionsKnown is false when the store cannot list posts.
	QuestionsKnown bool
	FollowUps      followUpProgress
	// FollowUpStates maps each of the incident's follow-ups to its
	// state, in JSON, for the live script.
	FollowUpStates string
	Recovery       warRecoveryView
	Quiet          *quietView
	Updates        []updateView
	// LastUpdate is when the public last heard (RFC 3339) and Since how
	// long ago, in words; Dark when longer than GoingDark.
	LastUpdate, Since string
	NoUpdate          bool
	Dark              bool
	DarkAfter         int // seconds
	DetailsURL        string
	PublishURL        string
}

func (s *Server) handleWarRoom(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" || len(id) > maxIDBytes {
		pageError(w, http.StatusBadRequest, "incident id: give the id of an incident")
		return
	}
	ctx := r.Context()
	inc, err := s.store.Incident(ctx, id)
	if errors.Is(err, earshot.ErrNotFound) {
		pageError(w, http.StatusNotFound, "no incident "+id)
		return
	}
	if err != nil {
		s.pageFailed(w, r, "loading the incident", err)
		return
	}
	d, what, err := s.warroom(ctx, inc)
	if err != nil {
		s.pageFailed(w, r, what, err)
		return
	}
	var buf bytes.Buffer
	if err := s.warroomT.Execute(&buf, d); err != nil {
		s.log.Error("rendering the war room", "err", err)
		pageError(w, http.StatusInternalServerError, "rendering the war room failed; see the server log")
		return
	}
	w.Header().Set("Content-Security-Policy", liveCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// warroom reads and computes the war room of inc; on an error it also
// says what it was doing.
func (s *Server) warroom(ctx context.Context, inc earshot.Incident) (warroomData, string, error) {
	now := s.opts.Now().UTC()
	esc := url.PathEscape(inc.ID)
	d := warroomData{
		Title: s.opts.Title, Now: now.Format("Mon 2 Jan 2006 15:04 UTC"), ID: inc.ID,
		Incident: viewIncident(inc, now), Active: inc.ActiveAt(now),
		DetailsURL: "/incidents/" + esc, PublishURL: "/incidents/" + esc + "/publish",
	}
	if d.Incident.Title == "" {
		d.Incident.Title = inc.ID
	}
	watch := ""
	if len(inc.Watches) == 1 {
		watch = inc.Watches[0]
	}
	to, what, err := s.warTimeline(ctx, &d, inc, watch, now)
	if err != nil {
		return d, what, err
	}
	if what, err := s.warVoices(ctx, &d, inc, watch, to); err != nil {
		return d, what, err
	}
	fus, err := s.store.FollowUps(ctx)
	if err != nil {
		return d, "loading follow-ups", err
	}
	states := map[string]string{}
	d.FollowUps = progress(inc.ID, fus, states)
	js, err := json.Marshal(states)
	if err != nil {
		return d, "encoding follow-up states", err
	}
	d.FollowUpStates = string(js)

	if d.Recovery, err = s.recovery(ctx, inc, watch, to); err != nil {
		return d, "loading the sentiment baseline", err
	}
	if s.opts.Quiet != nil {
		qp, err := s.opts.Quiet.QuietPeriod(ctx, inc, now)
		if err != nil {
			return d, "computing the quiet period", err
		}
		d.Quiet = &quietView{Quiet: qp.Quiet, Action: qp.Action, Evidence: qp.Evidence}
	}
	if err := s.warPublic(ctx, &d, inc, now); err != nil {
		return d, "loading publications", err
	}
	return d, "", nil
}

// warTimeline fills the war room's charts and the incident's spikes, from
// warroomBefore its start to now (warroomAfter its resolution, once that
// has passed), and returns the timeline's end; on an error it also says
// what it was doing.
func (s *Server) warTimeline(ctx context.Context, d *warroomData, inc earshot.Incident, watch string, now time.Time) (time.Time, string, error) {
	from := inc.StartedAt.Add(-warroomBefore)
	to := now
	if !inc.ResolvedAt.IsZero() && inc.ResolvedAt.Add(warroomAfter).Before(now) {
		to = inc.ResolvedAt.Add(warroomAfter)
	}
	if !from.Before(to) {
		from = to.Add(-warroomBefore)
	}
	bucket, step := plan(to.Sub(from))
	from = from.Truncate(step)
	series, err := s.store.Series(ctx, earshot.SeriesQuery{From: from, To: to, Bucket: bucket, Watch: watch})
	if err != nil {
		return to, "loading the series", err
	}
	bins := rebin(series, from, to, step)
	d.Step = stepName(step)
	sum := summarize(bins, nil, now)
	d.Empty = sum.Posts == 0
	if !d.Empty {
		d.Volume = volumeChart(bins, []earshot.Incident{inc}, to, step)
		d.Volume.Label = "Posts per " + d.Step + " around the incident, negative posts highlighted"
		d.Sentiment = sentimentChart(bins, []earshot.Incident{inc}, to, step)
		d.Sentiment.Label = "Mean sentiment per " + d.Step + " around the incident"
	}
	spikes, err := s.store.Spikes(ctx, from, to)
	if err != nil {
		return to, "loading spikes", err
	}
	for _, sp := range spikes {
		if sp.IncidentID == inc.ID {
			d.Spikes = append(d.Spikes, viewSpike(sp, []earshot.Incident{inc}))
		}
	}
	return to, "", nil
}

// warVoices fills what customers say since inc began, until to: the
// complaint reasons of the most negative posts and the questions asked
// most; on an error it also says what it was doing.
func (s *Server) warVoices(ctx context.Context, d *warroomData, inc earshot.Incident, watch string, to time.Time) (string, error) {
	since := earshot.PostQuery{From: inc.StartedAt, To: to, Watch: watch, Limit: warroomNegFetch}
	negative, err := s.store.TopNegative(ctx, since)
	if err != nil {
		return "loading negative posts", err
	}
	d.Reasons = byReason(negative)
	if lister, ok := s.store.(earshot.PostLister); ok {
		d.QuestionsKnown = true
		q := since
		q.Limit = questionsFetch
		posts, err := lister.Posts(ctx, q)
		if err != nil {
			return "listing posts", err
		}
		d.Questions = topQuestions(posts, questionsShown)
	}
	return "", nil
}

// warPublic fills what the public was told of inc, and whether, at now,
// it has gone without an update for longer than GoingDark.
func (s *Server) warPublic(ctx context.Context, d *warroomData, inc earshot.Incident, now time.Time) error {
	var pubs []earshot.Publication
	if s.opts.Publications != nil {
		var err error
		if pubs, err = s.opts.Publications.Publications(ctx, inc.ID); err != nil {
			return err
		}
	}
	d.Updates = updates(inc, pubs)
	last, told := lastPublic(inc, pubs)
	dark := s.opts.GoingDark
	if dark <= 0 {
		dark = defaultGoingDark
	}
	d.DarkAfter = int(dark / time.Second)
	d.NoUpdate = !told
	d.LastUpdate = last.Format(time.RFC3339)
	d.Since = duration(now.Sub(last))
	d.Dark = d.Active && now.Sub(last) >= dark
	return nil
}

// lastPublic is when the public last heard of inc (its start when never),
// and whether it ever did.
func lastPublic(inc earshot.Incident, pubs []earshot.Publication) (time.Time, bool) {
	last, told := inc.StartedAt.UTC(), false
	for _, u := range inc.Updates {
		if !told || u.At.After(last) {
			last, told = u.At.UTC(), true
		}
	}
	for _, p := range pubs {
		if p.State == "published" && (!told || p.PublishedAt.After(last)) {
			last, told = p.PublishedAt.UTC(), true
		}
	}
	return last, told
}

// recovery compares the negative share since the incident began with the
// week before it.
func (s *Server) recovery(ctx context.Context, inc earshot.Incident, watch string, to time.Time) (warRecoveryView, error) {
	rc := earshot.Recovery{
		BaselineFrom: inc.StartedAt.Add(-earshot.BaselineWindow), BaselineTo: inc.StartedAt,
		SinceFrom: inc.StartedAt, SinceTo: to,
	}
	if err := rc.Count(ctx, s.store, []string{watch}); err != nil {
		return warRecoveryView{}, err
	}
	return warRecoveryView{
		BaselineShare: percent(rc.BaselineNegative, rc.BaselineScored), BaselinePosts: rc.BaselineScored,
		SinceShare: percent(rc.SinceNegative, rc.SinceScored), SincePosts: rc.SinceScored,
		Known: rc.BaselineScored > 0 && rc.SinceScored > 0,
	}, nil
}

// byReason groups negative posts by complaint reason, most common first,
// with a few distinct samples each.
func byReason(posts []earshot.Post) []reasonGroup {
	by := map[string][]earshot.Post{}
	total := 0
	for _, p := range posts {
		if p.Sentiment.Label != earshot.Negative {
			continue
		}
		r := string(p.Sentiment.Reason)
		if r == "" {
			r = string(earshot.ReasonOther)
		}
		by[r] = append(by[r], p)
		total++
	}
	var out []reasonGroup
	for r, ps := range by {
		out = append(out, reasonGroup{Reason: r, Count: len(ps), Share: percent(int64(len(ps)), int64(total)), Posts: distinctPosts(ps, samplesPerReason)})
	}
	slices.SortFunc(out, func(a, b reasonGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}

// questionWords are left out of a question's key: "when will login be
// back?" and "is login back yet?" ask the same.
var questionWords = map[string]bool{}

func init() {
	for w := range strings.FieldsSeq(`a an the is are was were be been am do does did will would can could should
		shall may might must have has had i you we they it its it's this that these those there what when why how who
		where which any anyone anybody else just still yet now again or and but of to in on at for with from by about
		my your our their me us them so not no else get got getting going is's im i'm`) {
		questionWords[w] = true
	}
}

// topQuestions finds the questions in posts (sentences ending in '?'),
// groups those asking about the same words, and returns the most asked,
// each with its most common wording.
func topQuestions(posts []earshot.Post, n int) []questionView {
	type group struct {
		count    int
		wordings map[string]int
		first    string
	}
	groups := map[string]*group{}
	for _, p := range posts {
		seen := map[string]bool{} // a post asking twice counts once
		for _, q := range questions(p.Text) {
			key := questionKey(q)
			if key == "" || seen[key] {
				continue
			}
			seen[key] = true
			g := groups[key]
			if g == nil {
				g = &group{wordings: map[string]int{}, first: q}
				groups[key] = g
			}
			g.count++
			g.wordings[q]++
		}
	}
	var out []questionView
	for _, g := range groups {
		best, bestN := g.first, 0
		for w, c := range g.wordings {
			if c > bestN || (c == bestN && w < best) {
				best, bestN = w, c
			}
		}
		out = append(out, questionView{Text: truncate(best, maxQuestionRunes), Count: g.count})
	}
	slices.SortFunc(out, func(a, b questionView) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Text, b.Text)) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// questions splits text into sentences and keeps those ending in '?'.
func questions(text string) []string {
	var out []string
	rs := []rune(text)
	start := 0
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '?':
			for i+1 < len(rs) && rs[i+1] == '?' {
				i++
			}
			if q := strings.TrimSpace(string(rs[start : i+1])); q != "" {
				out = append(out, q)
			}
			start = i + 1
		case '.', '!', '\n':
			start = i + 1
		}
	}
	return out
}

// questionKey is the sorted content words of a question; "" when it has
// none (just "?", or "what?").
func questionKey(q string) string {
	var words []string
	for w := range strings.FieldsFuncSeq(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '@' && r != '#'
	}) {
		w = strings.Trim(w, "'")
		if len(w) < 2 || questionWords[w] || strings.HasPrefix(w, "@") || strings.HasPrefix(w, "http") {
			continue
		}
		words = append(words, w)
	}
	slices.Sort(words)
	words = slices.Compact(words)
	return strings.Join(words, " ")
}

// progress counts inc's follow-ups by state, and records each one's state
// in states.
func progress(incidentID string, fus []earshot.FollowUp, states map[string]string) followUpProgress {
	var p followUpProgress
	counts := map[earshot.FollowUpState]int{}
	for _, f := range fus {
		if f.IncidentID != incidentID {
			continue
		}
		p.Total++
		counts[f.State]++
		if f.State.Final() {
			p.Done++
		}
		states[f.ID] = string(f.State)
	}
	for _, st := range allStates {
		p.States = append(p.States, stateCount{State: string(st), Count: counts[st]})
	}
	if p.Total > 0 {
		p.DoneWidth = px(100 * float64(p.Done) / float64(p.Total))
	}
	return p
}

// updates lists what was said in public: the incident's updates and its
// publications, newest first.
func updates(inc earshot.Incident, pubs []earshot.Publication) []updateView {
	type item struct {
		at time.Time
		v  updateView
	}
	var items []item
	for _, u := range inc.Updates {
		items = append(items, item{u.At, updateView{What: string(u.Status), Text: truncate(u.Body, maxPostRunes)}})
	}
	for _, p := range pubs {
		at := p.PublishedAt
		if at.IsZero() {
			at = p.CreatedAt
		}
		what := p.Channel + ", " + p.State
		if p.Error != "" && p.State == "failed" {
			what += ": " + truncate(p.Error, 200)
		}
		items = append(items, item{at, updateView{What: what, Text: truncate(p.Text, maxPostRunes), Link: safeLink(p.URL), By: p.By}})
	}
	slices.SortStableFunc(items, func(a, b item) int { return b.at.Compare(a.at) })
	var out []updateView
	for _, it := range items {
		it.v.Time = it.at.UTC().Format("Mon Jan 2 15:04")
		it.v.ISO = it.at.UTC().Format(time.RFC3339)
		out = append(out, it.v)
		if len(out) == warroomUpdatesMax {
			break
		}
	}
	return out
}

// movedEvent tells the live pages a follow-up moved (by its state only:
// the customer's details stay out of the stream).
func (s *Server) movedEvent(f earshot.FollowUp) {
	if s.opts.Events == nil {
		return
	}
	s.opts.Events.Publish(earshot.Event{Type: earshot.EventFollowUp, IncidentID: f.IncidentID, Data: map[string]any{
		"id": f.ID, "state": f.State, "priority": f.Priority, "incident_id": f.IncidentID,
	}})
}
