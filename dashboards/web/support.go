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

// moveRequest is the body of POST /api/followups/{id}/move.
type moveRequest struct {
	To       earshot.FollowUpState `json:"to"`
	Assignee string                `json:"assignee"`
	Note     string                `json:"note"`
	Actor    string                `json:"actor"`
}

// handleMove serves POST /api/followups/{id}/move.
func (s *Server) handleMove(w http.ResponseWriter, r *http.Request) {
	i, ok := s.tokens.Match(auth.Bearer(r))
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
		msg := "moving a follow-up needs Authorization: Bearer <token> with a write token"
		if s.tokens.Len() == 0 {
			msg = "moving a follow-up needs a write token, and this server has none configured"
		}
		writeError(w, http.StatusUnauthorized, msg)
		return
	}
	if !s.opts.WriteLimit.Allow(w, fmt.Sprintf("web:%d", i)) {
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
		writeError(w, http.StatusBadRequest, "the body is not a JSON object like {\"to\":\"assigned\",\"assignee\":\"sam\",\"note\":\"...\",\"actor\":\"...\"}: "+err.Error())
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
	case len(req.Actor) > maxNameBytes:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("actor: longer than %d bytes", maxNameBytes))
		return
	case len(req.Note) > maxNoteBytes:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("note: longer than %d bytes", maxNoteBytes))
		return
	}
	actor := strings.TrimSpace(req.Actor)
	if actor == "" {
		actor = "api"
	}
	t := earshot.Transition{To: req.To, Assignee: strings.TrimSpace(req.Assignee), Actor: actor, Note: strings.TrimSpace(req.Note), At: s.opts.Now().UTC()}
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
	Overdue  bool
	Due      string
	DueISO   string
	DueIn    string
	Created  string
	Author   string
	Handle   string
	Source   string
	Reach    string
	Reason   string
	Incident string
	IncLink  string
	Assignee string
	Posts    []postView
	Hidden   int        // posts not shown: older than those shown, or erased
	Notes    []noteView // the latest first
	// EarlierNotes counts the notes not shown.
	EarlierNotes int
}

type supportCounts struct {
	Open, Assigned, Contacted, Overdue int
}

type supportData struct {
	Title  string
	Now    string
	States []stateLink
	Filter string
	Counts supportCounts
	Items  []followUpView
	Total  int
	Shown  int
}

var stateFilters = []string{"active", "open", "assigned", "contacted", "resolved", "dismissed", "all"}

func (s *Server) handleSupport(w http.ResponseWriter, r *http.Request) {
	filter := r.URL.Query().Get("state")
	if filter == "" {
		filter = "active"
	}
	if !slices.Contains(stateFilters, filter) {
		pageError(w, http.StatusBadRequest, "state: must be one of "+strings.Join(stateFilters, ", "))
		return
	}
	ctx := r.Context()
	now := s.opts.Now().UTC()
	states, _ := parseStates([]string{filter})
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
	d := supportData{Title: s.opts.Title, Now: now.Format("Mon 2 Jan 2006 15:04 UTC"), Filter: filter, Total: len(fs)}
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
		u := "/support"
		if name != "active" {
			u += "?" + url.Values{"state": {name}}.Encode()
		}
		d.States = append(d.States, stateLink{Name: name, URL: u, Current: name == filter})
	}
	titles := map[string]earshot.Incident{}
	for _, f := range fs[:min(len(fs), maxQueue)] {
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
		v.Posts = append(v.Posts, viewPost(p))
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
