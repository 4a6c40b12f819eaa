package publishapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/httpjson"
	"github.com/earshot/earshot/publish"
)

// Options configures the API.
type Options struct {
	// WriteTokens are bearer tokens that may publish (web.write_tokens):
	// a request with one and no signed-in user acts as "token", an admin.
	WriteTokens []string
	// Limit bounds each writer's requests (nil: no bound).
	Limit *auth.Limiter
	// MaxBytes bounds a request body (default 64 KiB).
	MaxBytes int64
	Log      *slog.Logger
}

// Handler serves the API.
type Handler struct {
	svc    *publish.Service
	tokens auth.Tokens
	opts   Options
	mux    *http.ServeMux
}

// Routes are the patterns Handler serves, for mounting it on a mux.
var Routes = []string{
	"GET /api/v1/incidents/{id}/draft",
	"GET /api/v1/incidents/{id}/publications",
	"POST /api/v1/incidents/{id}/previews",
	"POST /api/v1/incidents/{id}/publications",
	"POST /api/v1/incidents/{id}/publications/{pub}/approve",
}

// WriteRoutes are the routes that check a write credential of their own.
var WriteRoutes = []string{
	"POST /api/v1/incidents/{id}/publications",
	"POST /api/v1/incidents/{id}/publications/{pub}/approve",
}

// New returns the API over svc.
func New(svc *publish.Service, opts Options) *Handler {
	h := &Handler{svc: svc, opts: opts, mux: http.NewServeMux()}
	var tokens []string
	for _, t := range opts.WriteTokens {
		tokens = append(tokens, strings.TrimSpace(t))
	}
	h.tokens = auth.NewTokens(tokens...)
	if h.opts.MaxBytes <= 0 {
		h.opts.MaxBytes = 64 << 10
	}
	if h.opts.Log == nil {
		h.opts.Log = slog.New(slog.DiscardHandler)
	}
	h.mux.HandleFunc(Routes[0], h.draft)
	h.mux.HandleFunc(Routes[1], h.list)
	h.mux.HandleFunc(Routes[2], h.previews)
	h.mux.HandleFunc(Routes[3], h.write(h.publish))
	h.mux.HandleFunc(Routes[4], h.write(h.approve))
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler) draft(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	text, err := h.svc.Draft(r.Context(), r.PathValue("id"), q.Get("phase"), q.Get("channel"))
	if err != nil {
		h.fail(w, r, "writing a draft", err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]string{"text": text})
}

// listing is the answer of GET .../publications.
type listing struct {
	Publications []earshot.Publication `json:"publications"`
	Channels     []publish.ChannelInfo `json:"channels"`
	Approval     bool                  `json:"approval"`
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pubs, err := h.svc.Publications(r.Context(), id)
	if err != nil {
		h.fail(w, r, "listing publications", err)
		return
	}
	if pubs == nil {
		pubs = []earshot.Publication{}
	}
	httpjson.Write(w, http.StatusOK, listing{Publications: pubs, Channels: h.svc.Channels(), Approval: h.svc.RequiresApproval()})
}

func (h *Handler) previews(w http.ResponseWriter, r *http.Request) {
	var req publish.Request
	if !h.decode(w, r, &req) {
		return
	}
	ps, err := h.svc.Previews(req)
	if err != nil {
		h.fail(w, r, "previewing", err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"previews": ps})
}

func (h *Handler) publish(w http.ResponseWriter, r *http.Request, u earshot.User) {
	var req publish.Request
	if !h.decode(w, r, &req) {
		return
	}
	pubs, err := h.svc.Publish(r.Context(), u, r.PathValue("id"), req)
	if err != nil && pubs == nil {
		h.fail(w, r, "publishing", err)
		return
	}
	if err != nil { // sent, but not all stored
		h.opts.Log.Error("storing publications", "err", err)
	}
	status := http.StatusCreated
	if h.svc.RequiresApproval() {
		status = http.StatusAccepted
	}
	httpjson.Write(w, status, map[string]any{"publications": pubs})
}

func (h *Handler) approve(w http.ResponseWriter, r *http.Request, u earshot.User) {
	p, err := h.svc.Approve(r.Context(), u, r.PathValue("id"), r.PathValue("pub"))
	if err != nil {
		h.fail(w, r, "approving", err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"publication": p})
}

// write wraps a write route: the user (signed in, or a write token's),
// a same-origin check for browsers, the rate limit, a JSON body.
func (h *Handler) write(next func(http.ResponseWriter, *http.Request, earshot.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := auth.UserFrom(r.Context())
		key := "user:" + u.Name
		if !ok {
			i, tokenOK := h.tokens.Match(auth.Bearer(r))
			if !tokenOK {
				w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
				httpjson.Error(w, http.StatusUnauthorized, "publishing needs a signed-in comms or admin user, or Authorization: Bearer <token> with a write token")
				return
			}
			u, key = earshot.User{Name: "token", Role: earshot.RoleAdmin}, fmt.Sprintf("web:%d", i)
		} else if !sameOrigin(r) {
			// A signed-in browser's cookie rides along on any site's
			// request: only this site's pages may write with it.
			httpjson.Error(w, http.StatusForbidden, "this request comes from another site")
			return
		}
		if !h.opts.Limit.Allow(w, key) {
			return
		}
		next(w, r, u)
	}
}

// sameOrigin reports whether r, when a browser says where it comes from,
// comes from this host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// decode reads a JSON body into v, answering 400, 413 or 415 when it
// cannot.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		httpjson.Error(w, http.StatusUnsupportedMediaType, "send the request as JSON (Content-Type: application/json)")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, h.opts.MaxBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			httpjson.Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", h.opts.MaxBytes))
			return false
		}
		httpjson.Error(w, http.StatusBadRequest, `the body is not a JSON object like {"phase":"investigating","text":"...","channels":["statuspage","x"]}: `+err.Error())
		return false
	}
	return true
}

// fail answers err plainly: 400, 403, 404, or 500 (logged) for the store.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, doing string, err error) {
	switch {
	case errors.Is(err, publish.ErrInvalid):
		httpjson.Error(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), publish.ErrInvalid.Error()+": "))
	case errors.Is(err, publish.ErrForbidden):
		httpjson.Error(w, http.StatusForbidden, strings.TrimPrefix(err.Error(), publish.ErrForbidden.Error()+": "))
	case errors.Is(err, earshot.ErrNotFound):
		id := r.PathValue("id")
		if !utf8.ValidString(id) || len(id) > 200 {
			id = "?"
		}
		msg := fmt.Sprintf("no incident %q", id)
		if p := r.PathValue("pub"); p != "" {
			msg = "no such publication of this incident, or no such incident"
		}
		httpjson.Error(w, http.StatusNotFound, msg)
	default:
		h.opts.Log.Error(doing, "err", err)
		httpjson.Error(w, http.StatusInternalServerError, doing+" failed; the server log has the cause")
	}
}
