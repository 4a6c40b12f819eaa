package incidentapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/inbound"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/httpjson"
)

// Options configures the API.
type Options struct {
	// Tokens are the bearer tokens that may write, already resolved.
	// At least one is required.
	Tokens []string
	// MaxBytes bounds a request body (default 64 KiB).
	MaxBytes int64
	// Now is the clock (default time.Now).
	Now func() time.Time
	Log *slog.Logger
	// Limit bounds each token's writes (nil: no bound).
	Limit *auth.Limiter
	// Closing is where closing an incident for comms reads its follow-ups
	// and its watches' sentiment (any earshot.Store will do); without it,
	// POST /api/v1/incidents/{id}/close answers 501.
	Closing earshot.ClosureSource
}

// Handler serves the incident API.
type Handler struct {
	store     earshot.IncidentStore
	incidents inbound.Incidents
	tokens    auth.Tokens
	opts      Options
	mux       *http.ServeMux
}

// New returns the API over store. A write API without tokens would be open
// to anyone, so that is an error.
func New(store earshot.IncidentStore, opts Options) (*Handler, error) {
	h := &Handler{store: store, incidents: inbound.Incidents{Store: store}, opts: opts, mux: http.NewServeMux()}
	var tokens []string
	for _, t := range opts.Tokens {
		tokens = append(tokens, strings.TrimSpace(t))
	}
	h.tokens = auth.NewTokens(tokens...)
	if h.tokens.Len() == 0 {
		return nil, errors.New("incident_api.tokens: at least one token is required; a write API without auth is refused")
	}
	if h.opts.MaxBytes <= 0 {
		h.opts.MaxBytes = 64 << 10
	}
	if h.opts.Now == nil {
		h.opts.Now = time.Now
	}
	if h.opts.Log == nil {
		h.opts.Log = slog.New(slog.DiscardHandler)
	}
	h.mux.HandleFunc("GET /api/v1/incidents", h.list)
	h.mux.HandleFunc("GET /api/v1/incidents/{id}", h.get)
	h.mux.HandleFunc("POST /api/v1/incidents", h.write(h.open))
	h.mux.HandleFunc("POST /api/v1/incidents/{id}/updates", h.write(h.update))
	h.mux.HandleFunc("POST /api/v1/incidents/{id}/resolve", h.write(h.resolve))
	h.mux.HandleFunc("POST /api/v1/incidents/{id}/close", h.close)
	h.mux.HandleFunc("GET /api/v1/incidents/{id}/closure", h.closure)
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// apiError is the body of every error answer.
type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	now := h.opts.Now().UTC()
	from, to := now.Add(-7*24*time.Hour), now
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := r.URL.Query().Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				httpjson.Write(w, http.StatusBadRequest, apiError{fmt.Sprintf("%s: %q is not an RFC 3339 time", p.name, v), p.name})
				return
			}
			*p.t = t
		}
	}
	if !from.Before(to) {
		httpjson.Write(w, http.StatusBadRequest, apiError{"from: must be before to", "from"})
		return
	}
	incidents, err := h.store.Incidents(r.Context(), from, to)
	if err != nil {
		h.storeFailed(w, "listing incidents", err)
		return
	}
	if incidents == nil {
		incidents = []earshot.Incident{}
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"from": from, "to": to, "incidents": incidents})
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	inc, err := h.store.Incident(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, earshot.ErrNotFound):
		httpjson.Write(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no incident %q", r.PathValue("id"))})
	case err != nil:
		h.storeFailed(w, "reading an incident", err)
	default:
		httpjson.Write(w, http.StatusOK, inc)
	}
}

// write wraps a write endpoint: token, body size.
func (h *Handler) write(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i, ok := h.tokens.Match(auth.Bearer(r))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
			httpjson.Write(w, http.StatusUnauthorized, apiError{Error: "missing or wrong bearer token"})
			return
		}
		if !h.opts.Limit.Allow(w, fmt.Sprintf("incident-api:%d", i)) {
			return
		}
		if body, ok := h.readBody(w, r); ok {
			next(w, r, body)
		}
	}
}

// readBody reads a request body up to MaxBytes, answering when it cannot.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		httpjson.Write(w, http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("body larger than %d bytes", h.opts.MaxBytes)})
		return nil, false
	case err != nil:
		httpjson.Write(w, http.StatusBadRequest, apiError{Error: "reading body: " + err.Error()})
		return nil, false
	}
	return body, true
}

func (h *Handler) open(w http.ResponseWriter, r *http.Request, body []byte) {
	var req OpenRequest
	if !decode(w, body, &req) {
		return
	}
	inc, err := Open(req, h.opts.Now())
	if err != nil {
		h.refuse(w, err)
		return
	}
	_, _, err = h.incidents.Upsert(r.Context(), inc.ID, Source, func(_ earshot.Incident, found bool) (earshot.Incident, error) {
		if found {
			return inc, errExists
		}
		return inc, nil
	})
	if err != nil {
		h.failed(w, err, inc.ID)
		return
	}
	w.Header().Set("Location", "/api/v1/incidents/"+inc.ID)
	httpjson.Write(w, http.StatusCreated, inc)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request, body []byte) {
	var req UpdateRequest
	if !decode(w, body, &req) {
		return
	}
	h.change(w, r, req)
}

func (h *Handler) resolve(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Message string    `json:"message"`
		At      time.Time `json:"at,omitzero"`
	}
	if len(strings.TrimSpace(string(body))) > 0 && !decode(w, body, &req) {
		return
	}
	h.change(w, r, UpdateRequest{Status: earshot.Resolved, Message: req.Message, At: req.At})
}

// change loads an incident, applies req and saves it.
func (h *Handler) change(w http.ResponseWriter, r *http.Request, req UpdateRequest) {
	id := r.PathValue("id")
	inc, _, err := h.incidents.Upsert(r.Context(), id, "", func(inc earshot.Incident, found bool) (earshot.Incident, error) {
		if !found {
			return inc, errMissing
		}
		return Update(inc, req, h.opts.Now())
	})
	if err != nil {
		h.failed(w, err, id)
		return
	}
	httpjson.Write(w, http.StatusOK, inc)
}

// Why a write found the store other than it needs.
var (
	errExists  = errors.New("incident exists")
	errMissing = errors.New("no such incident")
)

// failed answers a write that failed: the incident id was there (or not)
// when it should not be (or should), the store failed, or Open or Update
// refused.
func (h *Handler) failed(w http.ResponseWriter, err error, id string) {
	var se *inbound.StoreError
	switch {
	case errors.Is(err, errExists):
		httpjson.Write(w, http.StatusConflict, apiError{fmt.Sprintf("incident %s already exists", id), "id"})
	case errors.Is(err, errMissing):
		httpjson.Write(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no incident %q", id)})
	case errors.As(err, &se) && se.Doing == "loading":
		h.storeFailed(w, "reading an incident", se.Err)
	case errors.As(err, &se):
		h.storeFailed(w, "saving an incident", se.Err)
	default:
		h.refuse(w, err)
	}
}

// refuse answers a request Open or Update refused.
func (h *Handler) refuse(w http.ResponseWriter, err error) {
	var fe *FieldError
	switch {
	case errors.As(err, &fe):
		httpjson.Write(w, http.StatusBadRequest, apiError{fe.Error(), fe.Field})
	case errors.Is(err, earshot.ErrInvalidTransition):
		httpjson.Write(w, http.StatusConflict, apiError{Error: strings.TrimSuffix(err.Error(), ": "+earshot.ErrInvalidTransition.Error())})
	default:
		httpjson.Write(w, http.StatusBadRequest, apiError{Error: err.Error()})
	}
}

func (h *Handler) storeFailed(w http.ResponseWriter, doing string, err error) {
	h.opts.Log.Error(doing, "err", err)
	httpjson.Write(w, http.StatusServiceUnavailable, apiError{Error: "the store is unavailable; retry later"})
}

// decode reads a JSON object into v, refusing unknown fields, and answers
// 400 naming the field when it cannot.
func decode(w http.ResponseWriter, body []byte, v any) bool {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("one JSON object expected")
	}
	if err == nil {
		return true
	}
	e := apiError{Error: "body is not a JSON object of the expected form: " + err.Error()}
	var typeErr *json.UnmarshalTypeError
	var timeErr *time.ParseError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		e = apiError{fmt.Sprintf("%s: must be a %s", typeErr.Field, typeErr.Type), typeErr.Field}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e = apiError{f + ": unknown field", f}
	case errors.As(err, &timeErr):
		e = apiError{Error: "times must be RFC 3339, such as 2026-03-02T09:15:00Z: " + err.Error()}
	}
	httpjson.Write(w, http.StatusBadRequest, e)
	return false
}
