package web

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

const maxOverrideBytes = 2000

// closureView is how the incident was closed for comms.
type closureView struct {
	At         string
	By         string
	Override   string
	Overridden []string
}

// recoveryView is the negative share before and since, as the page says it.
type recoveryView struct {
	BaselineShare, SinceShare string
	BaselineNeg, BaselineAll  int64
	SinceNeg, SinceAll        int64
	BaselineWindow            string
	SinceWindow               string
	Recovered                 bool
}

type incidentPageData struct {
	Title     string
	Now       string
	Incident  incidentView
	ID        string
	Watches   string
	Closure   *closureView
	Counts    earshot.FollowUpCounts
	Waiting   int
	Items     []followUpView
	Recovery  recoveryView
	Refusals  []string
	Queue     string // the support queue filtered to this incident
	Flash     *flashView
	User      viewer
	CanClose  bool // comms or admin, and not closed
	CanForce  bool // an admin, with refusals standing
	MaxReason int
}

func windowText(from, to time.Time) string {
	const f = "Jan 2 15:04"
	return from.UTC().Format(f) + " – " + to.UTC().Format(f) + " UTC"
}

// incidentClosure loads the incident id and checks, now, whether it may
// close for comms (with its follow-ups); when it cannot, it has answered
// the request and ok is false.
func (s *Server) incidentClosure(w http.ResponseWriter, r *http.Request, id string) (inc earshot.Incident, check earshot.ClosureCheck, fs []earshot.FollowUp, now time.Time, ok bool) {
	inc, err := s.store.Incident(r.Context(), id)
	if errors.Is(err, earshot.ErrNotFound) {
		pageError(w, http.StatusNotFound, "No incident "+id+".")
		return inc, check, nil, now, false
	}
	if err != nil {
		s.pageFailed(w, r, "loading the incident", err)
		return inc, check, nil, now, false
	}
	now = s.opts.Now().UTC()
	check, fs, err = earshot.CheckClosure(r.Context(), s.store, inc, now)
	if err != nil {
		s.pageFailed(w, r, "checking the incident's closure", err)
		return inc, check, nil, now, false
	}
	return inc, check, fs, now, true
}

// handleIncident serves GET /incidents/{id}: the incident, its follow-ups,
// sentiment recovery, and closing it for comms.
func (s *Server) handleIncident(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" || len(id) > maxIDBytes || !utf8.ValidString(id) {
		pageError(w, http.StatusNotFound, "No such incident.")
		return
	}
	inc, check, fs, now, ok := s.incidentClosure(w, r, id)
	if !ok {
		return
	}
	u, _, _ := s.actor(r)
	d := incidentPageData{
		Title:     s.opts.Title,
		Now:       now.Format("Mon 2 Jan 2006 15:04 UTC"),
		Incident:  viewIncident(inc, now),
		ID:        inc.ID,
		Watches:   strings.Join(inc.Watches, ", "),
		Counts:    check.FollowUps,
		Waiting:   check.FollowUps.Waiting(),
		Refusals:  check.Refusals(),
		Queue:     queueFilter{State: "all", Incident: inc.ID}.url(),
		Flash:     s.takeFlash(w, r),
		User:      viewer{Name: u.Name, Role: string(u.Role), Can: u.CanWorkQueue()},
		MaxReason: maxOverrideBytes,
	}
	d.Incident.Title = cmp.Or(inc.Title, inc.ID)
	rc := check.Recovery
	d.Recovery = recoveryView{
		BaselineShare: earshot.Percent(rc.BaselineShare()), SinceShare: earshot.Percent(rc.SinceShare()),
		BaselineNeg: rc.BaselineNegative, BaselineAll: rc.BaselineScored,
		SinceNeg: rc.SinceNegative, SinceAll: rc.SinceScored,
		BaselineWindow: windowText(rc.BaselineFrom, rc.BaselineTo),
		SinceWindow:    windowText(rc.SinceFrom, rc.SinceTo),
		Recovered:      rc.Recovered(),
	}
	if c := inc.Closure; c != nil {
		d.Closure = &closureView{At: c.At.UTC().Format("Mon Jan 2 15:04 UTC"), By: c.By, Override: c.Override, Overridden: c.Overridden}
	} else {
		d.CanClose = u.CanRunIncidents()
		d.CanForce = u.IsAdmin() && len(d.Refusals) > 0
	}
	queueOrder(fs)
	titles := map[string]earshot.Incident{inc.ID: inc}
	for _, f := range fs[:min(len(fs), maxQueue)] {
		v, err := s.viewFollowUp(r, f, now, titles)
		if err != nil {
			s.pageFailed(w, r, "loading the posts of follow-ups", err)
			return
		}
		d.Items = append(d.Items, v)
	}
	var buf bytes.Buffer
	if err := s.incident.Execute(&buf, d); err != nil {
		s.log.Error("rendering the incident page", "err", err)
		pageError(w, http.StatusInternalServerError, "rendering the incident page failed; see the server log")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// handleIncidentClose serves POST /incidents/{id}/close, the incident
// page's close button: comms or an admin closes the incident for comms;
// while follow-ups wait or sentiment is above baseline, only an admin can,
// with a reason (form field override). It redirects back to the incident
// page, which says what happened.
func (s *Server) handleIncidentClose(w http.ResponseWriter, r *http.Request) {
	u, ok := s.pageActor(w, r, "Sign in to close an incident.", earshot.User.CanRunIncidents,
		"only comms or an admin can close an incident.")
	if !ok {
		return
	}
	id := r.PathValue("id")
	if id == "" || len(id) > maxIDBytes || !utf8.ValidString(id) {
		pageError(w, http.StatusNotFound, "No such incident.")
		return
	}
	if !parsePageForm(w, r) {
		return
	}
	back := "/incidents/" + url.PathEscape(id)
	override := strings.TrimSpace(r.PostForm.Get("override"))
	if len(override) > maxOverrideBytes || !utf8.ValidString(override) {
		s.setFlash(w, r, fmt.Sprintf("The override reason is longer than %d bytes.", maxOverrideBytes), true)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if r.PostForm.Get("force") != "" && override == "" {
		s.setFlash(w, r, "Overriding needs a reason: say why closing cannot wait.", true)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	inc, check, _, now, ok := s.incidentClosure(w, r, id)
	if !ok {
		return
	}
	closed, err := inc.Close(check, u, override, now)
	switch {
	case errors.Is(err, earshot.ErrClosureRefused):
		msg := "Not closed: " + strings.Join(check.Refusals(), "; ") + "."
		if u.IsAdmin() {
			msg += " As an admin you can override with a reason."
		} else {
			msg += " An admin can override with a reason."
		}
		s.setFlash(w, r, msg, true)
	case err != nil:
		s.setFlash(w, r, "Not closed: "+err.Error(), true)
	default:
		if err := s.store.SaveIncident(ctx, closed); err != nil {
			s.pageFailed(w, r, "saving the incident", err)
			return
		}
		s.log.Info("incident closed for comms", "id", id, "actor", u.Name, "override", closed.Closure.Override != "")
		msg := "Closed for comms."
		if closed.Closure.Override != "" {
			msg = "Closed for comms, overriding: " + strings.Join(closed.Closure.Overridden, "; ") + "."
		}
		s.setFlash(w, r, msg, false)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
