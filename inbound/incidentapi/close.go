package incidentapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/httpjson"
)

// MaxOverrideBytes bounds an admin's override reason.
const MaxOverrideBytes = 2000

// TokenUser is who a request made with an API token and no signed-in user
// acts as.
var TokenUser = earshot.User{Name: "token", Role: earshot.RoleAdmin}

// CloseRequest is the body of POST /api/v1/incidents/{id}/close; it may be
// empty.
type CloseRequest struct {
	// Override is an admin's reason to close while closure is refused.
	Override string `json:"override,omitempty"`
}

// CloseResult is what closing answers, and GET .../closure too.
type CloseResult struct {
	Incident earshot.Incident     `json:"incident"`
	Check    earshot.ClosureCheck `json:"check"`
	// Refusals say what stands in the way of closing, none when nothing
	// does (or it is closed).
	Refusals []string `json:"refusals"`
}

// Close closes incident id for comms as u at now (see
// earshot.Incident.Close), checking its follow-ups and its watches'
// sentiment in src, and saves it. It returns the incident as it stands and
// the check. A missing incident is an error wrapping earshot.ErrNotFound.
func Close(ctx context.Context, st earshot.IncidentStore, src earshot.ClosureSource, id string, u earshot.User, override string, now time.Time) (earshot.Incident, earshot.ClosureCheck, error) {
	return closeIncident(ctx, &inbound.Incidents{Store: st}, src, id, u, override, now)
}

func closeIncident(ctx context.Context, k *inbound.Incidents, src earshot.ClosureSource, id string, u earshot.User, override string, now time.Time) (earshot.Incident, earshot.ClosureCheck, error) {
	if len(override) > MaxOverrideBytes || !utf8.ValidString(override) {
		return earshot.Incident{}, earshot.ClosureCheck{}, &FieldError{Field: "override", Problem: fmt.Sprintf("must be text of at most %d bytes", MaxOverrideBytes)}
	}
	var check earshot.ClosureCheck
	inc, _, err := k.Upsert(ctx, id, "", func(inc earshot.Incident, found bool) (earshot.Incident, error) {
		if !found {
			return inc, fmt.Errorf("no incident %q: %w", id, earshot.ErrNotFound)
		}
		var err error
		if check, _, err = earshot.CheckClosure(ctx, src, inc, now); err != nil {
			return inc, &inbound.StoreError{Doing: "checking", ID: id, Err: err}
		}
		return inc.Close(check, u, override, now)
	})
	return inc, check, err
}

// actor is who makes r: the signed-in user its credential belongs to, or
// for a valid API token without one, TokenUser.
func (h *Handler) actor(r *http.Request) (earshot.User, string, bool) {
	if u, ok := auth.UserFrom(r.Context()); ok {
		return u, "user:" + u.Name, true
	}
	if i, ok := h.tokens.Match(auth.Bearer(r)); ok {
		return TokenUser, fmt.Sprintf("incident-api:%d", i), true
	}
	return earshot.User{}, "", false
}

// close serves POST /api/v1/incidents/{id}/close.
func (h *Handler) close(w http.ResponseWriter, r *http.Request) {
	u, key, ok := h.actor(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
		httpjson.Write(w, http.StatusUnauthorized, apiError{Error: "closing an incident needs a signed-in user or a bearer token"})
		return
	}
	if !u.CanRunIncidents() {
		httpjson.Write(w, http.StatusForbidden, apiError{Error: fmt.Sprintf("%s (role %s) may not close incidents; comms or an admin can", u.Name, u.Role)})
		return
	}
	if !h.opts.Limit.Allow(w, key) {
		return
	}
	if h.opts.Closing == nil {
		httpjson.Write(w, http.StatusNotImplemented, apiError{Error: "this server does not check closures (no follow-ups or posts to read)"})
		return
	}
	var req CloseRequest
	body, ok := h.readBody(w, r)
	if !ok {
		return
	}
	if len(strings.TrimSpace(string(body))) > 0 && !decode(w, body, &req) {
		return
	}
	id := r.PathValue("id")
	inc, check, err := closeIncident(r.Context(), &h.incidents, h.opts.Closing, id, u, req.Override, h.opts.Now().UTC())
	var se *inbound.StoreError
	var fe *FieldError
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		httpjson.Write(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no incident %q", id)})
	case errors.As(err, &fe):
		httpjson.Write(w, http.StatusBadRequest, apiError{fe.Error(), fe.Field})
	case errors.As(err, &se):
		h.storeFailed(w, se.Doing+" an incident", se.Err)
	case errors.Is(err, earshot.ErrClosureRefused):
		httpjson.Write(w, http.StatusConflict, struct {
			apiError
			CloseResult
		}{apiError{Error: "closing refused: " + strings.Join(check.Refusals(), "; ") + "; an admin can override with a reason"}, CloseResult{inc, check, check.Refusals()}})
	case errors.Is(err, earshot.ErrForbidden):
		httpjson.Write(w, http.StatusForbidden, apiError{Error: err.Error()})
	case errors.Is(err, earshot.ErrInvalidTransition):
		httpjson.Write(w, http.StatusConflict, apiError{Error: strings.TrimSuffix(err.Error(), ": "+earshot.ErrInvalidTransition.Error())})
	case err != nil:
		h.storeFailed(w, "closing an incident", err)
	default:
		h.opts.Log.Info("incident closed for comms", "id", id, "actor", u.Name, "override", inc.Closure.Override != "")
		httpjson.Write(w, http.StatusOK, CloseResult{inc, check, []string{}})
	}
}

// closure serves GET /api/v1/incidents/{id}/closure: whether it is closed
// and, if not, what stands in the way.
func (h *Handler) closure(w http.ResponseWriter, r *http.Request) {
	if h.opts.Closing == nil {
		httpjson.Write(w, http.StatusNotImplemented, apiError{Error: "this server does not check closures (no follow-ups or posts to read)"})
		return
	}
	id := r.PathValue("id")
	inc, err := h.store.Incident(r.Context(), id)
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		httpjson.Write(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no incident %q", id)})
		return
	case err != nil:
		h.storeFailed(w, "reading an incident", err)
		return
	}
	check, _, err := earshot.CheckClosure(r.Context(), h.opts.Closing, inc, h.opts.Now().UTC())
	if err != nil {
		h.storeFailed(w, "checking an incident's closure", err)
		return
	}
	refusals := []string{}
	if inc.Closure == nil {
		refusals = append(refusals, check.Refusals()...)
	}
	httpjson.Write(w, http.StatusOK, CloseResult{inc, check, refusals})
}
