package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/internal/httpjson"
)

// defaultWindow is the window the alert API reads when not told.
const defaultWindow = 7 * 24 * time.Hour

// Handler serves the alert API, all GET, JSON:
//
//	/api/alerts?from=&to=             alerts raised in the window (7 days to now by default)
//	/api/alerts/deliveries?from=&to=  every delivery attempt in the window
//	/api/alerts/episodes?from=&to=    the episodes (conversations) with a message in the window
//	/api/alerts/weekly?at=            alerts and notifications sent in the week holding at
//	                                  (now by default), by route, receiver and watch
//	/api/silences                     silences pending, active, or expired in the last 7 days
//
// and, with a write token (Authorization: Bearer), when a SilenceStore is
// given:
//
//	POST /api/silences                 create: {"matchers":[...],"starts_at","ends_at"
//	                                   (or "duration":"2h"),"created_by","comment"}
//	POST /api/silences/{id}/expire     end it now
//
// Times are RFC 3339; a bad one is a 400 {"error": "..."} naming it.
func Handler(o APIOptions) http.Handler {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	as, eps, d := o.Alerts, o.Episodes, o.Dispatcher
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/alerts", listIn(now, as.Alerts, "alerts"))
	mux.HandleFunc("GET /api/alerts/deliveries", listIn(now, as.Deliveries, "deliveries"))
	mux.HandleFunc("GET /api/alerts/episodes", listIn(now, eps.Episodes, "episodes"))
	mux.HandleFunc("GET /api/alerts/weekly", func(w http.ResponseWriter, r *http.Request) {
		at := now()
		if v := r.URL.Query().Get("at"); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				httpjson.Error(w, http.StatusBadRequest, "at: not an RFC 3339 time, such as 2026-03-10T14:00:00Z")
				return
			}
			at = t
		}
		httpjson.Write(w, http.StatusOK, map[string]any{"week": alerts.WeekStart(at), "counts": orEmpty(d.WeeklyCounts(at))})
	})
	if o.Silences != nil {
		sh := &silenceAPI{store: o.Silences, tokens: httpjson.NewTokens(o.Tokens), now: now, changed: o.Changed}
		mux.HandleFunc("GET /api/silences", sh.list)
		mux.HandleFunc("POST /api/silences", sh.write(sh.add))
		mux.HandleFunc("POST /api/silences/{id}/expire", sh.write(sh.expire))
	}
	return mux
}

// APIOptions are what the alert API serves.
type APIOptions struct {
	Alerts     earshot.AlertStore
	Episodes   earshot.EpisodeStore
	Dispatcher *alerts.Dispatcher
	// Silences, when set, serves /api/silences.
	Silences earshot.SilenceStore
	// Tokens may write silences (resolved); none means no one may.
	Tokens []string
	// Changed is called after a silence is written (to wake the engine).
	Changed func()
	Now     func() time.Time
}

// silenceHistory is how long expired silences stay listed.
const silenceHistory = 7 * 24 * time.Hour

type silenceAPI struct {
	store   earshot.SilenceStore
	tokens  httpjson.Tokens
	now     func() time.Time
	changed func()
}

// SilenceView is a silence with its state at the time it is listed.
type SilenceView struct {
	earshot.Silence
	State string `json:"state"`
}

func (h *silenceAPI) list(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	list, err := h.store.Silences(r.Context(), now.Add(-silenceHistory))
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "listing silences failed")
		return
	}
	out := make([]SilenceView, 0, len(list))
	for _, s := range list {
		out = append(out, SilenceView{s, alerts.SilenceState(s, now)})
	}
	httpjson.Write(w, http.StatusOK, out)
}

// write wraps a write endpoint: token, bounded body; next reports whether
// it changed anything.
func (h *silenceAPI) write(next func(w http.ResponseWriter, r *http.Request, body []byte) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.tokens.Allow(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
			httpjson.Error(w, http.StatusUnauthorized, "writing silences needs Authorization: Bearer <token> with a write token (web.api_tokens)")
			return
		}
		body, ok := httpjson.ReadPost(w, r, 16<<10)
		if !ok {
			return
		}
		if next(w, r, body) && h.changed != nil {
			h.changed()
		}
	}
}

// SilenceRequest is the body of POST /api/silences.
type SilenceRequest struct {
	Matchers []string  `json:"matchers"`
	StartsAt time.Time `json:"starts_at,omitzero"`
	EndsAt   time.Time `json:"ends_at,omitzero"`
	// Duration, as "2h30m", sets EndsAt from StartsAt (or now).
	Duration  string `json:"duration,omitempty"`
	CreatedBy string `json:"created_by"`
	Comment   string `json:"comment"`
}

// NewSilence checks req and returns the silence it asks for, at now.
func NewSilence(req SilenceRequest, now time.Time) (earshot.Silence, error) {
	sl := earshot.Silence{Matchers: req.Matchers, StartsAt: req.StartsAt.UTC(), EndsAt: req.EndsAt.UTC(),
		CreatedBy: req.CreatedBy, Comment: req.Comment}
	if req.StartsAt.IsZero() {
		sl.StartsAt = now.UTC()
	}
	if req.Duration != "" {
		if !req.EndsAt.IsZero() {
			return earshot.Silence{}, errors.New("duration: give ends_at or duration, not both")
		}
		d, err := time.ParseDuration(req.Duration)
		if err != nil || d <= 0 {
			return earshot.Silence{}, fmt.Errorf("duration: %q is not a positive duration such as 2h", req.Duration)
		}
		sl.EndsAt = sl.StartsAt.Add(d)
	}
	if sl.EndsAt.IsZero() {
		return earshot.Silence{}, errors.New("ends_at: required (or duration)")
	}
	if len(sl.CreatedBy) > 200 || len(sl.Comment) > 2000 {
		return earshot.Silence{}, errors.New("created_by or comment: too long (200 and 2000 bytes at most)")
	}
	return alerts.NewSilences(func() time.Time { return now }).Check(sl)
}

// ExpireSilence ends the silence id in st at now and returns it; an
// expired one is returned unchanged. An unknown ID (or one expired more
// than a week ago) is alerts.ErrSilenceNotFound.
func ExpireSilence(ctx context.Context, st earshot.SilenceStore, id string, now time.Time) (earshot.Silence, error) {
	list, err := st.Silences(ctx, now.Add(-silenceHistory))
	if err != nil {
		return earshot.Silence{}, err
	}
	for _, sl := range list {
		if sl.ID != id {
			continue
		}
		if !sl.EndsAt.After(now) {
			return sl, nil
		}
		sl = alerts.ExpireSilence(sl, now.UTC())
		if err := st.SaveSilence(ctx, sl); err != nil {
			return earshot.Silence{}, err
		}
		return sl, nil
	}
	return earshot.Silence{}, fmt.Errorf("silence %q: %w", id, alerts.ErrSilenceNotFound)
}

func (h *silenceAPI) add(w http.ResponseWriter, r *http.Request, body []byte) bool {
	var req SilenceRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		httpjson.Error(w, http.StatusBadRequest, "not a silence: "+err.Error())
		return false
	}
	sl, err := NewSilence(req, h.now())
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return false
	}
	if err := h.store.SaveSilence(r.Context(), sl); err != nil {
		httpjson.Error(w, http.StatusInternalServerError, "saving the silence failed")
		return false
	}
	httpjson.Write(w, http.StatusCreated, SilenceView{sl, alerts.SilenceState(sl, h.now())})
	return true
}

func (h *silenceAPI) expire(w http.ResponseWriter, r *http.Request, _ []byte) bool {
	now := h.now()
	sl, err := ExpireSilence(r.Context(), h.store, r.PathValue("id"), now)
	switch {
	case errors.Is(err, alerts.ErrSilenceNotFound):
		httpjson.Error(w, http.StatusNotFound, err.Error())
	case err != nil:
		httpjson.Error(w, http.StatusInternalServerError, "expiring the silence failed")
	default:
		httpjson.Write(w, http.StatusOK, SilenceView{sl, alerts.SilenceState(sl, now)})
		return true
	}
	return false
}

// listIn serves what list returns in the request's window (?from=, ?to=:
// the last week by default) as a JSON array.
func listIn[T any](now func() time.Time, list func(ctx context.Context, from, to time.Time) ([]T, error), what string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		from, to, err := httpjson.Window(r.URL.Query(), now(), defaultWindow)
		if err != nil {
			httpjson.Error(w, http.StatusBadRequest, err.Error())
			return
		}
		out, err := list(r.Context(), from, to)
		if err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "listing "+what+" failed")
			return
		}
		httpjson.Write(w, http.StatusOK, orEmpty(out))
	}
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// Routes are the alert API's endpoints on e, by the path to serve each at;
// tokens may write silences, and a silence written wakes e.
func (e *Engine) Routes(tokens []string) map[string]http.Handler {
	h := Handler(APIOptions{Alerts: e.Alerts(), Episodes: e.Episodes(), Dispatcher: e.Dispatcher(),
		Silences: e.SilenceStore(), Tokens: tokens, Changed: e.Wake, Now: time.Now})
	return map[string]http.Handler{"/api/alerts": h, "/api/alerts/": h, "/api/silences": h, "/api/silences/": h}
}
