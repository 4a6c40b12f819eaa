package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/httpjson"
)

// Store is what the dashboard reads, and the changes it makes (moving a
// follow-up, closing an incident for comms): a subset of earshot.PostStore, earshot.IncidentStore,
// earshot.SpikeStore and earshot.FollowUpStore, so any earshot.Store will
// do.
type Store interface {
	Series(ctx context.Context, q earshot.SeriesQuery) ([]earshot.Bucket, error)
	TopNegative(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error)
	Post(ctx context.Context, id string) (earshot.Post, error)
	Incidents(ctx context.Context, from, to time.Time) ([]earshot.Incident, error)
	Incident(ctx context.Context, id string) (earshot.Incident, error)
	Spikes(ctx context.Context, from, to time.Time) ([]earshot.Spike, error)
	FollowUp(ctx context.Context, id string) (earshot.FollowUp, error)
	FollowUps(ctx context.Context, states ...earshot.FollowUpState) ([]earshot.FollowUp, error)
	MoveFollowUp(ctx context.Context, id string, t earshot.Transition) (earshot.FollowUp, error)
	SaveIncident(ctx context.Context, inc earshot.Incident) error
}

var _ Store = earshot.Store(nil)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Title heads the page; "Earshot" when empty.
	Title string
	// Now is the clock; time.Now when nil. The demo sets a fixed clock at
	// the end of its scenario.
	Now func() time.Time
	// Log receives store failures; nothing is logged when nil.
	Log *slog.Logger
	// DefaultRange is the page's window when no ?range= is given. The
	// selector offers 24h, 7d, 14d and 30d; other spans work but have no
	// entry there. Zero means 7 days.
	DefaultRange time.Duration
	// WriteTokens are the bearer tokens the write API accepts (POST
	// /api/followups/{id}/move); with none, every write is refused with a
	// 401. Empty tokens are ignored.
	WriteTokens []string
	// Watches are the configured watches' names. With exactly one, the
	// spikes over all posts are not listed: they are that watch's again.
	Watches []string
	// Silences, when set, lists the silences pending, active or expired
	// in the last day under the spikes.
	Silences earshot.SilenceStore
	// WriteLimit bounds each write token's requests (nil: no bound).
	WriteLimit *auth.Limiter
	// Publications, when set, lists each incident's publications in its
	// war room (they count as public updates).
	Publications earshot.PublicationStore
	// Quiet, when set, shows the quiet period recommended after an
	// incident in its war room.
	Quiet earshot.QuietAdvisor
	// GoingDark is how long an open incident may go without a public
	// update before its war room warns (30 minutes when zero).
	GoingDark time.Duration
	// Events, when set, hears of follow-ups moved through the API, for
	// the pages that update live.
	Events earshot.Publisher
	// Publish turns on the publish page of each incident.
	Publish PublishOptions
}

// Server serves the dashboard page and the JSON API.
type Server struct {
	store    Store
	opts     Options
	log      *slog.Logger
	mux      *http.ServeMux
	page     *template.Template
	support  *template.Template
	incident *template.Template
	tokens   auth.Tokens // the write tokens

	// warroomT is the incident war room's template.
	warroomT *template.Template
}

//go:embed assets
var assets embed.FS

// New returns a Server reading from store.
func New(store Store, opts Options) *Server {
	if opts.Title == "" {
		opts.Title = "Earshot"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.DefaultRange <= 0 {
		opts.DefaultRange = 7 * 24 * time.Hour
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		store:    store,
		opts:     opts,
		log:      log,
		mux:      http.NewServeMux(),
		page:     template.Must(template.New("page.html").ParseFS(assets, "assets/page.html", "assets/charts.html")),
		support:  template.Must(template.New("support.html").ParseFS(assets, "assets/support.html")),
		incident: template.Must(template.New("incident.html").ParseFS(assets, "assets/incident.html")),
	}
	s.warroomT = template.Must(template.New("warroom.html").ParseFS(assets, "assets/warroom.html", "assets/charts.html"))
	var tokens []string
	for _, t := range opts.WriteTokens {
		tokens = append(tokens, strings.TrimSpace(t))
	}
	s.tokens = auth.NewTokens(tokens...)
	static, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	s.mux.HandleFunc("GET /{$}", s.handlePage)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /api/series", s.handleSeries)
	s.mux.HandleFunc("GET /api/incidents", s.handleIncidents)
	s.mux.HandleFunc("GET /api/spikes", s.handleSpikes)
	s.mux.HandleFunc("GET /api/posts/negative", s.handleNegative)
	s.mux.HandleFunc("GET /support", s.handleSupport)
	s.mux.HandleFunc("GET /incidents/{id}/warroom", s.handleWarRoom)
	s.mux.HandleFunc("GET /api/followups", s.handleFollowUps)
	s.mux.HandleFunc("POST /api/followups/{id}/move", s.handleMove)
	s.mux.HandleFunc("POST /support/act", s.handleSupportAct)
	s.mux.HandleFunc("GET /incidents/{id}", s.handleIncident)
	s.mux.HandleFunc("POST /incidents/{id}/close", s.handleIncidentClose)
	s.mux.HandleFunc("GET /incidents/{id}/publish", s.handlePublish)
	s.mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint: "+r.URL.Path)
	})
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	httpjson.Error(w, status, msg)
}
