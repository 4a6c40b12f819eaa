package web

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/httpjson"
)

const (
	maxQueue     = 200 // follow-ups on the support page
	maxItemPosts = 5   // posts shown per follow-up, the latest
	maxItemNotes = 5   // notes shown per follow-up, the latest
	maxMoveBytes = 64 << 10
	maxIDBytes   = 200
	maxNameBytes = 200
	maxNoteBytes = 4000
)

// activeStates are the follow-ups support still has to work on.
var activeStates = []earshot.FollowUpState{earshot.FollowUpOpen, earshot.FollowUpAssigned, earshot.FollowUpContacted}

var allStates = []earshot.FollowUpState{earshot.FollowUpOpen, earshot.FollowUpAssigned, earshot.FollowUpContacted, earshot.FollowUpResolved, earshot.FollowUpDismissed}

// parseStates reads a state filter: comma-separated states, "active" (the
// default: open, assigned and contacted) or "all".
func parseStates(values []string) ([]earshot.FollowUpState, error) {
	var out []earshot.FollowUpState
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			switch name = strings.TrimSpace(name); name {
			case "":
			case "active":
				out = append(out, activeStates...)
			case "all":
				out = append(out, allStates...)
			default:
				st := earshot.FollowUpState(name)
				if !st.Valid() {
					return nil, &badParam{Name: "state", Problem: "must be open, assigned, contacted, resolved, dismissed, active or all, comma-separated"}
				}
				out = append(out, st)
			}
		}
	}
	if len(out) == 0 {
		out = activeStates
	}
	slices.SortFunc(out, func(a, b earshot.FollowUpState) int {
		return cmp.Compare(slices.Index(allStates, a), slices.Index(allStates, b))
	})
	return slices.Compact(out), nil
}

// queueOrder sorts follow-ups by priority, then due time (none last), then
// creation.
func queueOrder(fs []earshot.FollowUp) {
	slices.SortStableFunc(fs, func(a, b earshot.FollowUp) int {
		if c := cmp.Compare(a.Priority, b.Priority); c != 0 {
			return c
		}
		if a.Due.IsZero() != b.Due.IsZero() {
			if a.Due.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.Due.Compare(b.Due), a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
}

func overdue(f earshot.FollowUp, now time.Time) bool {
	return !f.State.Final() && !f.Due.IsZero() && f.Due.Before(now)
}

func (s *Server) loadQueue(r *http.Request) ([]earshot.FollowUpState, []earshot.FollowUp, error) {
	states, err := parseStates(r.URL.Query()["state"])
	if err != nil {
		return nil, nil, err
	}
	fs, err := s.store.FollowUps(r.Context(), states...)
	if err != nil {
		return states, nil, err
	}
	queueOrder(fs)
	return states, fs, nil
}

// handleFollowUps serves GET /api/followups?state=.
func (s *Server) handleFollowUps(w http.ResponseWriter, r *http.Request) {
	states, fs, err := s.loadQueue(r)
	var bp *badParam
	switch {
	case errors.As(err, &bp):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		s.storeFailed(w, r, "loading follow-ups", err)
		return
	}
	if fs == nil {
		fs = []earshot.FollowUp{}
	}
	httpjson.Write(w, http.StatusOK, struct {
		States    []earshot.FollowUpState `json:"states"`
		FollowUps []earshot.FollowUp      `json:"followups"`
	}{states, fs})
}

// moveRequest is the body of POST /api/followups/{id}/move. Actor is
// accepted and ignored (older clients send it): the trail records the
// user the request's credential belongs to.
type moveRequest struct {
	To       earshot.FollowUpState `json:"to"`
	Assignee string                `json:"assignee"`
	Note     string                `json:"note"`
	Actor    string                `json:"actor"`
	Channel  string                `json:"channel"`
	Reason   string                `json:"reason"`
}

// tokenUser is who a request made with a write token (and no signed-in
// user) acts as.
var tokenUser = earshot.User{Name: "token", Role: earshot.RoleAdmin}

// actor returns the user making r: the one its credential put in the
// context or, for a valid write token, tokenUser; and a key to rate-limit
// it by. ok is false when r carries neither.
func (s *Server) actor(r *http.Request) (u earshot.User, key string, ok bool) {
	if u, ok := auth.UserFrom(r.Context()); ok {
		return u, "user:" + u.Name, true
	}
	if i, ok := s.tokens.Match(auth.Bearer(r)); ok {
		return tokenUser, fmt.Sprintf("web:%d", i), true
	}
	return earshot.User{}, "", false
}

// handleMove serves POST /api/followups/{id}/move.
func (s *Server) handleMove(w http.ResponseWriter, r *http.Request) {
	u, key, ok := s.actor(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
		msg := "moving a follow-up needs a signed-in user, or Authorization: Bearer <token> with a write token"
		if s.tokens.Len() == 0 {
			msg = "moving a follow-up needs a signed-in user or a write token, and this server has no write token configured"
		}
		writeError(w, http.StatusUnauthorized, msg)
		return
	}
	if !u.CanWorkQueue() {
		writeError(w, http.StatusForbidden, fmt.Sprintf("%s (role %s) may read the queue but not move follow-ups; support or an admin can", u.Name, u.Role))
		return
	}
	if !s.opts.WriteLimit.Allow(w, key) {
		return
	}
	id := r.PathValue("id")
	if id == "" || len(id) > maxIDBytes || !utf8.ValidString(id) {
		writeError(w, http.StatusNotFound, "no such follow-up")
		return
	}
	var req moveRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxMoveBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", maxMoveBytes))
			return
		}
		writeError(w, http.StatusBadRequest, "the body is not a JSON object like {\"to\":\"assigned\",\"assignee\":\"sam\",\"note\":\"...\"}: "+err.Error())
		return
	}
	switch {
	case req.To == "":
		writeError(w, http.StatusBadRequest, "to: required: open, assigned, contacted, resolved or dismissed")
		return
	case !req.To.Valid():
		writeError(w, http.StatusBadRequest, "to: must be open, assigned, contacted, resolved or dismissed")
		return
	case len(req.Assignee) > maxNameBytes:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("assignee: longer than %d bytes", maxNameBytes))
		return
	case len(req.Note) > maxNoteBytes:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("note: longer than %d bytes", maxNoteBytes))
		return
	case len(req.Channel) > maxNameBytes || len(req.Reason) > maxNoteBytes:
		writeError(w, http.StatusBadRequest, "channel or reason: too long")
		return
	}
	actor := u.Name
	t := earshot.Transition{To: req.To, Assignee: strings.TrimSpace(req.Assignee), Actor: actor, Note: strings.TrimSpace(req.Note),
		Channel: strings.TrimSpace(req.Channel), Reason: strings.TrimSpace(req.Reason), At: s.opts.Now().UTC()}
	moved, err := s.store.MoveFollowUp(r.Context(), id, t)
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		writeError(w, http.StatusNotFound, "no follow-up "+id)
		return
	case errors.Is(err, earshot.ErrInvalidTransition):
		writeError(w, http.StatusConflict, s.refusal(r, id, t))
		return
	case err != nil:
		s.storeFailed(w, r, "moving the follow-up", err)
		return
	}
	s.log.Info("follow-up moved", "id", id, "to", t.To, "actor", actor)
	s.movedEvent(moved)
	httpjson.Write(w, http.StatusOK, moved)
}

// refusal says in words why a move was refused.
func (s *Server) refusal(r *http.Request, id string, t earshot.Transition) string {
	f, err := s.store.FollowUp(r.Context(), id)
	if err != nil {
		return fmt.Sprintf("follow-up %s cannot move to %s from its state", id, t.To)
	}
	switch {
	case f.State.Final():
		return fmt.Sprintf("follow-up %s is %s; it cannot move any more", id, f.State)
	case f.State == t.To:
		return fmt.Sprintf("follow-up %s is %s already", id, f.State)
	case f.State.CanMoveTo(t.To) && t.To == earshot.FollowUpAssigned:
		return fmt.Sprintf("follow-up %s has no assignee; assigning it needs one", id)
	}
	var next []string
	for _, st := range allStates {
		if f.State.CanMoveTo(st) {
			next = append(next, string(st))
		}
	}
	return fmt.Sprintf("follow-up %s is %s; it cannot move to %s (it can move to %s)", id, f.State, t.To, strings.Join(next, ", "))
}

// The support page.

type stateLink struct {
	Name    string
	URL     string
	Current bool
}

type noteView struct {
	Time   string
	ISO    string
	Author string
	Text   string
}

type followUpView struct {
	ID       string
	Priority int
	State    string
	Final    bool
	Overdue  bool
	Due      string
	DueISO   string
	DueIn    string
	Created  string
	Author   string
	Handle   string
	Source   string
	Reach    string
	// Customer names the customer behind the author, with their tier,
	// when the account is on an imported customer list.
	Customer string
	Reason   string
	Incident string
	IncLink  string // the incident's status page
	IncView  string // the incident's page here
	Assignee string
	Posts    []postView
	Hidden   int        // posts not shown: older than those shown, or erased
	Notes    []noteView // the latest first
	// EarlierNotes counts the notes not shown.
	EarlierNotes int
	// Answer links to the latest post that has a link, where it was
	// written, to answer the customer there.
	Answer string
}

type supportCounts struct {
	Open, Assigned, Contacted, Overdue int
}

// option is one choice of a filter's select.
type option struct {
	Value, Label string
	Selected     bool
}

// queueFilter is what the support page's filters keep: the query string.
type queueFilter struct {
	State    string
	Watch    string
	Source   string
	Priority int    // 0: any
	Incident string // an incident ID, or "none"
	Assignee string // a name, "me" or "none"
	Overdue  bool
}

// parseQueueFilter reads the support page's query string.
func parseQueueFilter(q url.Values) (queueFilter, error) {
	f := queueFilter{
		State:    cmp.Or(q.Get("state"), "active"),
		Watch:    strings.TrimSpace(q.Get("watch")),
		Source:   strings.TrimSpace(q.Get("source")),
		Incident: strings.TrimSpace(q.Get("incident")),
		Assignee: strings.TrimSpace(q.Get("assignee")),
	}
	if !slices.Contains(stateFilters, f.State) {
		return f, &badParam{Name: "state", Problem: "must be one of " + strings.Join(stateFilters, ", ")}
	}
	switch p := q.Get("priority"); p {
	case "", "any":
	case "1", "2", "3", "4":
		f.Priority = int(p[0] - '0')
	default:
		return f, &badParam{Name: "priority", Problem: "must be 1, 2, 3 or 4"}
	}
	switch o := q.Get("overdue"); o {
	case "", "0", "no":
	case "1", "yes", "on":
		f.Overdue = true
	default:
		return f, &badParam{Name: "overdue", Problem: "must be 1 or 0"}
	}
	for _, v := range []string{f.Watch, f.Source, f.Incident, f.Assignee} {
		if len(v) > maxIDBytes || !utf8.ValidString(v) {
			return f, &badParam{Name: "filter", Problem: fmt.Sprintf("values must be valid text of at most %d bytes", maxIDBytes)}
		}
	}
	return f, nil
}

// query is f as a query string, defaults left out.
func (f queueFilter) query() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	if f.State != "active" {
		set("state", f.State)
	}
	set("watch", f.Watch)
	set("source", f.Source)
	if f.Priority > 0 {
		v.Set("priority", fmt.Sprint(f.Priority))
	}
	set("incident", f.Incident)
	set("assignee", f.Assignee)
	if f.Overdue {
		v.Set("overdue", "1")
	}
	return v
}

// url is the support page showing f.
func (f queueFilter) url() string {
	if q := f.query().Encode(); q != "" {
		return "/support?" + q
	}
	return "/support"
}

// filtered reports whether any filter but the state is set.
func (f queueFilter) filtered() bool {
	return f.Watch != "" || f.Source != "" || f.Priority > 0 || f.Incident != "" || f.Assignee != "" || f.Overdue
}

// keeps reports whether follow-up x passes f's filters (but the state and
// the watch, which need its posts).
func (f queueFilter) keeps(x earshot.FollowUp, me string, now time.Time) bool {
	switch {
	case f.Source != "" && x.Source != f.Source:
		return false
	case f.Priority > 0 && min(4, max(1, x.Priority)) != f.Priority:
		return false
	case f.Overdue && !overdue(x, now):
		return false
	}
	switch f.Incident {
	case "":
	case "none":
		if x.IncidentID != "" {
			return false
		}
	default:
		if x.IncidentID != f.Incident {
			return false
		}
	}
	switch f.Assignee {
	case "":
	case "none":
		if x.Assignee != "" {
			return false
		}
	case "me":
		if me == "" || x.Assignee != me {
			return false
		}
	default:
		if x.Assignee != f.Assignee {
			return false
		}
	}
	return true
}

// queueFilters are the filter form's choices.
type queueFilters struct {
	State      string
	Watch      string
	Watches    []option // empty: a free text field
	Sources    []option
	Priorities []option
	Incidents  []option
	Assignees  []option
	Overdue    bool
	Clear      string // the page without filters (same state), "" when none is set
}

// viewer is who reads the page: Can says whether they may act.
type viewer struct {
	Name string
	Role string
	Can  bool
}

type flashView struct {
	Text  string
	Error bool
}

type supportData struct {
	Title   string
	Now     string
	States  []stateLink
	Filter  string
	Filters queueFilters
	Counts  supportCounts
	Items   []followUpView
	Total   int
	Shown   int
	User    viewer
	// Back is the page's query string, for forms to come back to.
	Back     string
	Flash    *flashView
	Channels []string
	Self     string // this page, filters kept
}

var stateFilters = []string{"active", "open", "assigned", "contacted", "resolved", "dismissed", "all"}

// channels are the ways support reaches a customer, as the contacted
// action offers them.
var channels = []string{"reply", "dm", "email", "phone", "chat", "other"}

func (s *Server) handleSupport(w http.ResponseWriter, r *http.Request) {
	flt, err := parseQueueFilter(r.URL.Query())
	if err != nil {
		pageError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx := r.Context()
	now := s.opts.Now().UTC()
	u, _ := auth.UserFrom(ctx)
	states, _ := parseStates([]string{flt.State})
	fs, err := s.store.FollowUps(ctx, states...)
	if err != nil {
		s.pageFailed(w, r, "loading follow-ups", err)
		return
	}
	queueOrder(fs)
	active, err := s.store.FollowUps(ctx, activeStates...)
	if err != nil {
		s.pageFailed(w, r, "loading follow-ups", err)
		return
	}
	d := supportData{Title: s.opts.Title, Now: now.Format("Mon 2 Jan 2006 15:04 UTC"), Filter: flt.State, Channels: channels,
		User: viewer{Name: u.Name, Role: string(u.Role), Can: u.CanWorkQueue()}, Back: flt.query().Encode(), Self: flt.url()}
	d.Flash = s.takeFlash(w, r)
	for _, f := range active {
		switch f.State {
		case earshot.FollowUpOpen:
			d.Counts.Open++
		case earshot.FollowUpAssigned:
			d.Counts.Assigned++
		case earshot.FollowUpContacted:
			d.Counts.Contacted++
		}
		if overdue(f, now) {
			d.Counts.Overdue++
		}
	}
	for _, name := range stateFilters {
		st := flt
		st.State = name
		d.States = append(d.States, stateLink{Name: name, URL: st.url(), Current: name == flt.State})
	}
	titles := map[string]earshot.Incident{}
	if err := s.fillFilters(r, &d.Filters, flt, fs, titles); err != nil {
		s.pageFailed(w, r, "loading the incidents of follow-ups", err)
		return
	}
	kept := fs[:0:0]
	for _, f := range fs {
		if !flt.keeps(f, u.Name, now) {
			continue
		}
		if flt.Watch != "" {
			ok, err := s.onWatch(r, f, flt.Watch)
			if err != nil {
				s.pageFailed(w, r, "loading the posts of follow-ups", err)
				return
			}
			if !ok {
				continue
			}
		}
		kept = append(kept, f)
	}
	d.Total = len(kept)
	for _, f := range kept[:min(len(kept), maxQueue)] {
		v, err := s.viewFollowUp(r, f, now, titles)
		if err != nil {
			s.pageFailed(w, r, "loading the posts of follow-ups", err)
			return
		}
		d.Items = append(d.Items, v)
	}
	d.Shown = len(d.Items)

	var buf bytes.Buffer
	if err := s.support.Execute(&buf, d); err != nil {
		s.log.Error("rendering the support queue", "err", err)
		pageError(w, http.StatusInternalServerError, "rendering the support queue failed; see the server log")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// onWatch reports whether one of f's posts matched watch.
func (s *Server) onWatch(r *http.Request, f earshot.FollowUp, watch string) (bool, error) {
	for _, id := range f.PostIDs {
		p, err := s.store.Post(r.Context(), id)
		if errors.Is(err, earshot.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		if slices.Contains(p.Watches, watch) {
			return true, nil
		}
	}
	return false, nil
}

// fillFilters offers the filter choices the follow-ups in fs have, the
// current ones selected (and offered even when no follow-up has them).
func (s *Server) fillFilters(r *http.Request, out *queueFilters, flt queueFilter, fs []earshot.FollowUp, incidents map[string]earshot.Incident) error {
	*out = queueFilters{State: flt.State, Watch: flt.Watch, Overdue: flt.Overdue}
	if flt.filtered() {
		out.Clear = queueFilter{State: flt.State}.url()
	}
	sources, assignees, incs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range fs {
		sources[f.Source] = true
		if f.Assignee != "" {
			assignees[f.Assignee] = true
		}
		if f.IncidentID != "" {
			incs[f.IncidentID] = true
		}
	}
	opts := func(set map[string]bool, current string, label func(string) string, first ...option) []option {
		if current != "" && !slices.ContainsFunc(first, func(o option) bool { return o.Value == current }) {
			set[current] = true
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range set {
				if !yield(k) {
					return
				}
			}
		})
		o := first
		for _, k := range keys {
			o = append(o, option{Value: k, Label: label(k)})
		}
		for i := range o {
			o[i].Selected = o[i].Value == current
		}
		return o
	}
	same := func(s string) string { return s }
	if len(s.opts.Watches) > 0 {
		ws := map[string]bool{}
		for _, w := range s.opts.Watches {
			ws[w] = true
		}
		out.Watches = opts(ws, flt.Watch, same, option{Label: "any watch"})
	}
	out.Sources = opts(sources, flt.Source, same, option{Label: "any source"})
	out.Priorities = []option{{Label: "any priority"}}
	for p := 1; p <= 4; p++ {
		out.Priorities = append(out.Priorities, option{Value: fmt.Sprint(p), Label: fmt.Sprintf("P%d", p), Selected: flt.Priority == p})
	}
	out.Assignees = opts(assignees, flt.Assignee, same, option{Label: "anyone"}, option{Value: "me", Label: "me"}, option{Value: "none", Label: "nobody"})
	var err error
	title := func(id string) string {
		inc, ok := incidents[id]
		if !ok {
			var e error
			inc, e = s.store.Incident(r.Context(), id)
			switch {
			case errors.Is(e, earshot.ErrNotFound):
				inc = earshot.Incident{ID: id}
			case e != nil:
				err = e
				return id
			}
			incidents[id] = inc
		}
		return truncate(cmp.Or(inc.Title, inc.ID), 80)
	}
	out.Incidents = opts(incs, flt.Incident, title, option{Label: "any incident"}, option{Value: "none", Label: "no incident"})
	return err
}

// The support page's actions: POST /support/act.

const (
	maxBulk       = maxQueue // follow-ups one action may move
	maxActBytes   = 256 << 10
	flashCookie   = "earshot_flash"
	maxFlashRunes = 300 // of a flash message: a cookie holds 4 kB
	maxProblems   = 5   // refusals a flash message names
)

// supportAction is one button of the support page.
type supportAction struct {
	done string // the flash, %s the follow-ups: "Resolved %s."
	to   earshot.FollowUpState
}

var supportActions = map[string]supportAction{
	"assign-me": {"Assigned %s to you.", earshot.FollowUpAssigned},
	"assign":    {"Assigned %s to %s.", earshot.FollowUpAssigned},
	"note":      {"Added a note to %s.", ""},
	"contacted": {"Marked %s contacted.", earshot.FollowUpContacted},
	"resolve":   {"Resolved %s.", earshot.FollowUpResolved},
	"dismiss":   {"Dismissed %s.", earshot.FollowUpDismissed},
}

// handleSupportAct serves POST /support/act: the support page's forms, on
// one follow-up or on the rows selected. It answers with a redirect back
// to the page (its filters kept) that shows what happened.
func (s *Server) handleSupportAct(w http.ResponseWriter, r *http.Request) {
	u, ok := s.pageActor(w, r, "Sign in to work the queue.", earshot.User.CanWorkQueue,
		"you can read the queue, but only support or an admin can act on it.")
	if !ok || !parsePageForm(w, r) {
		return
	}
	form := r.PostForm
	back := "/support"
	if q, err := url.ParseQuery(form.Get("back")); err == nil {
		if flt, err := parseQueueFilter(q); err == nil {
			back = flt.url()
		}
	}
	req, problem := parseSupportAct(form, u, s.opts.Now().UTC())
	if problem != "" {
		s.setFlash(w, r, problem, true)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	done, problems := s.moveFollowUps(r, req.ids, req.t)
	if done > 0 {
		s.log.Info("follow-ups moved", "action", req.action, "count", done, "actor", u.Name)
	}
	s.setFlash(w, r, req.outcome(done, problems), len(problems) > 0)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// pageActor returns the user making r, a page's POST, when they are
// signed in, can act (can) and are within the write limit; otherwise it
// has answered r, with signIn or "You are signed in as ...: " and
// forbidden, and ok is false.
func (s *Server) pageActor(w http.ResponseWriter, r *http.Request, signIn string, can func(earshot.User) bool, forbidden string) (earshot.User, bool) {
	u, key, ok := s.actor(r)
	if !ok {
		pageError(w, http.StatusUnauthorized, signIn)
		return u, false
	}
	if !can(u) {
		pageError(w, http.StatusForbidden, fmt.Sprintf("You are signed in as %s (%s): %s", u.Name, u.Role, forbidden))
		return u, false
	}
	return u, s.opts.WriteLimit.Allow(w, key)
}

// parsePageForm reads r's form, at most maxActBytes; when it cannot, it
// has answered r and returns false.
func parsePageForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxActBytes)
	if err := r.ParseForm(); err != nil {
		pageError(w, http.StatusBadRequest, "The form could not be read: "+err.Error())
		return false
	}
	return true
}

// supportAct is one submitted support form: the action, the follow-ups it
// moves and the transition.
type supportAct struct {
	action   string
	act      supportAction
	ids      []string
	assignee string
	t        earshot.Transition
}

// parseSupportAct reads the support page's form, submitted by u at now;
// problem, when not empty, says in the page's words why it cannot be done.
func parseSupportAct(form url.Values, u earshot.User, now time.Time) (req supportAct, problem string) {
	req.action = form.Get("action")
	var ok bool
	if req.act, ok = supportActions[req.action]; !ok {
		return req, "Unknown action; use the page's buttons."
	}
	for _, id := range form["id"] {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(req.ids, id) {
			req.ids = append(req.ids, id)
		}
	}
	switch {
	case len(req.ids) == 0:
		return req, "Select at least one follow-up first."
	case len(req.ids) > maxBulk:
		return req, fmt.Sprintf("At most %d follow-ups at a time.", maxBulk)
	}
	for _, id := range req.ids {
		if len(id) > maxIDBytes || !utf8.ValidString(id) {
			return req, "A follow-up ID in the form is not valid."
		}
	}
	fields := map[string]string{}
	for _, f := range []struct {
		name  string
		limit int
	}{{"note", maxNoteBytes}, {"assignee", maxNameBytes}, {"channel", maxNameBytes}, {"reason", maxNoteBytes}} {
		v := strings.TrimSpace(form.Get(f.name))
		if len(v) > f.limit || !utf8.ValidString(v) {
			return req, fmt.Sprintf("The %s is longer than %d bytes.", f.name, f.limit)
		}
		fields[f.name] = v
	}
	req.assignee = fields["assignee"]
	req.t = earshot.Transition{To: req.act.to, Actor: u.Name, Note: fields["note"], At: now}
	switch req.action {
	case "assign-me":
		req.t.Assignee = u.Name
	case "assign":
		if req.assignee == "" {
			return req, "Assigning needs a name: type who takes it."
		}
		req.t.Assignee = req.assignee
	case "note":
		if req.t.Note == "" {
			return req, "Type a note first."
		}
	case "contacted":
		if !slices.Contains(channels, fields["channel"]) {
			return req, "Say how the customer was contacted: " + strings.Join(channels, ", ") + "."
		}
		req.t.Channel = fields["channel"]
	case "dismiss":
		if fields["reason"] == "" {
			return req, "Dismissing needs a reason (not a customer, spam, already handled...)."
		}
		req.t.Reason = fields["reason"]
	}
	return req, ""
}

// moveFollowUps makes t on each of ids, and returns how many moved and,
// in the page's words, why the others did not.
func (s *Server) moveFollowUps(r *http.Request, ids []string, t earshot.Transition) (done int, problems []string) {
	for _, id := range ids {
		_, err := s.store.MoveFollowUp(r.Context(), id, t)
		switch {
		case err == nil:
			done++
		case errors.Is(err, earshot.ErrNotFound):
			problems = append(problems, "no follow-up "+id)
		case errors.Is(err, earshot.ErrInvalidTransition):
			problems = append(problems, s.refusal(r, id, t))
		default:
			s.logFailure(r, "moving a follow-up", err)
			problems = append(problems, "follow-up "+id+": saving failed; see the server log")
		}
	}
	return done, problems
}

// outcome is the flash that says what the action did: done follow-ups
// moved, and the first maxProblems of problems.
func (req supportAct) outcome(done int, problems []string) string {
	var msg string
	if done > 0 {
		n := fmt.Sprintf("%d follow-up%s", done, plural(done))
		if req.action == "assign" {
			msg = fmt.Sprintf(req.act.done, n, req.assignee)
		} else {
			msg = fmt.Sprintf(req.act.done, n)
		}
	}
	if n := len(problems); n > maxProblems {
		problems = append(problems[:maxProblems], fmt.Sprintf("and %d more", n-maxProblems))
	}
	if len(problems) > 0 {
		msg = strings.TrimSpace(msg + " Not done: " + strings.Join(problems, "; ") + ".")
	}
	return msg
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// setFlash keeps msg for the next page the browser loads (after the
// redirect), in a short-lived cookie only this site can set.
func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, msg string, isErr bool) {
	msg = truncate(msg, maxFlashRunes)
	kind := "ok"
	if isErr {
		kind = "error"
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: url.QueryEscape(kind + ":" + msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the message a redirect left, and clears it.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flashView {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(c.Value)
	if err != nil || !utf8.ValidString(v) {
		return nil
	}
	kind, msg, ok := strings.Cut(v, ":")
	if !ok || msg == "" {
		return nil
	}
	return &flashView{Text: msg, Error: kind == "error"}
}

func (s *Server) viewFollowUp(r *http.Request, f earshot.FollowUp, now time.Time, incidents map[string]earshot.Incident) (followUpView, error) {
	v := followUpView{
		ID:       f.ID,
		Priority: min(4, max(1, f.Priority)),
		State:    string(f.State),
		Overdue:  overdue(f, now),
		Created:  f.CreatedAt.UTC().Format("Mon Jan 2 15:04"),
		Author:   f.Author.Name,
		Source:   f.Source,
		Reason:   truncate(f.Reason, maxPostRunes),
		Assignee: f.Assignee,
		Final:    f.State.Final(),
	}
	if f.Author.Handle != "" {
		v.Handle = "@" + strings.TrimPrefix(f.Author.Handle, "@")
	}
	if v.Author == "" && v.Handle == "" {
		v.Author = f.Author.ID
	}
	if f.Author.Followers > 0 {
		v.Reach = humanCount(f.Author.Followers) + " followers"
	}
	if c := f.Customer; !c.IsZero() {
		v.Customer = strings.TrimSpace(cmp.Or(c.Name, c.ID))
		if c.Tier != "" {
			v.Customer += " (" + c.Tier + ")"
		}
	}
	if !f.Due.IsZero() {
		v.Due = f.Due.UTC().Format("Mon Jan 2 15:04")
		v.DueISO = f.Due.UTC().Format(time.RFC3339)
		switch left := f.Due.Sub(now); {
		case f.State.Final():
		case left < 0:
			v.DueIn = duration(-left) + " overdue"
		default:
			v.DueIn = "in " + duration(left)
		}
	}
	if id := f.IncidentID; id != "" {
		inc, ok := incidents[id]
		if !ok {
			var err error
			inc, err = s.store.Incident(r.Context(), id)
			if errors.Is(err, earshot.ErrNotFound) {
				inc, err = earshot.Incident{ID: id}, nil
			}
			if err != nil {
				return v, err
			}
			incidents[id] = inc
		}
		v.Incident = cmp.Or(inc.Title, inc.ID)
		v.IncLink = safeLink(inc.URL)
		v.IncView = "/incidents/" + url.PathEscape(id)
	}
	var posts []earshot.Post
	ids := f.PostIDs[max(0, len(f.PostIDs)-maxItemPosts):]
	for _, id := range ids {
		p, err := s.store.Post(r.Context(), id)
		if errors.Is(err, earshot.ErrNotFound) {
			continue // erased on the author's request
		}
		if err != nil {
			return v, err
		}
		posts = append(posts, p)
	}
	slices.SortFunc(posts, func(a, b earshot.Post) int { return b.CreatedAt.Compare(a.CreatedAt) })
	for _, p := range posts {
		pv := viewPost(p)
		if v.Answer == "" {
			v.Answer = pv.Link
		}
		v.Posts = append(v.Posts, pv)
	}
	v.Hidden = len(f.PostIDs) - len(v.Posts)
	notes := f.Notes[max(0, len(f.Notes)-maxItemNotes):]
	v.EarlierNotes = len(f.Notes) - len(notes)
	for _, n := range slices.Backward(notes) {
		v.Notes = append(v.Notes, noteView{
			Time:   n.At.UTC().Format("Jan 2 15:04"),
			ISO:    n.At.UTC().Format(time.RFC3339),
			Author: n.Author,
			Text:   truncate(n.Text, maxPostRunes),
		})
	}
	return v, nil
}
