package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/httpjson"
)

const (
	defaultWindow  = 7 * 24 * time.Hour
	defaultLimit   = 20
	maxLimit       = 1000
	maxPoints      = 50_000
	maxFilterBytes = 200
)

// badParam is a client mistake in one query parameter.
type badParam = httpjson.ParamError

var buckets = map[string]time.Duration{"1m": time.Minute, "1h": time.Hour, "1d": 24 * time.Hour}

func bucketName(d time.Duration) string {
	for name, b := range buckets {
		if b == d {
			return name
		}
	}
	return d.String()
}

// window reads ?from= and ?to=: the last 7 days up to now by default.
func window(q url.Values, now time.Time) (from, to time.Time, err error) {
	return httpjson.Window(q, now, defaultWindow)
}

// filters reads ?watch= and ?source=.
func filters(q url.Values) (watch, source string, err error) {
	watch, source = q.Get("watch"), q.Get("source")
	if len(watch) > maxFilterBytes {
		return "", "", &badParam{Name: "watch", Problem: "too long"}
	}
	if len(source) > maxFilterBytes {
		return "", "", &badParam{Name: "source", Problem: "too long"}
	}
	return watch, source, nil
}

func (s *Server) handleSeries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := window(q, s.opts.Now())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	bucket := time.Hour
	if v := q.Get("bucket"); v != "" {
		var ok bool
		if bucket, ok = buckets[v]; !ok {
			writeError(w, http.StatusBadRequest, "bucket: must be 1m, 1h or 1d")
			return
		}
	}
	if to.Sub(from)/bucket > maxPoints {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("bucket: %s buckets from %s to %s make more than %d points; use a wider bucket or a shorter window",
			bucketName(bucket), from.Format(time.RFC3339), to.Format(time.RFC3339), maxPoints))
		return
	}
	group := earshot.GroupBy(q.Get("group"))
	switch group {
	case earshot.GroupNone, earshot.GroupWatch, earshot.GroupSource:
	default:
		writeError(w, http.StatusBadRequest, `group: must be empty, "watch" or "source"`)
		return
	}
	watch, source, err := filters(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	points, err := s.store.Series(r.Context(), earshot.SeriesQuery{From: from, To: to, Bucket: bucket, GroupBy: group, Watch: watch, Source: source})
	if err != nil {
		s.storeFailed(w, r, "loading the series", err)
		return
	}
	if points == nil {
		points = []earshot.Bucket{}
	}
	httpjson.Write(w, http.StatusOK, struct {
		From   time.Time        `json:"from"`
		To     time.Time        `json:"to"`
		Bucket string           `json:"bucket"`
		Group  earshot.GroupBy  `json:"group"`
		Watch  string           `json:"watch,omitempty"`
		Source string           `json:"source,omitempty"`
		Points []earshot.Bucket `json:"points"`
	}{from, to, bucketName(bucket), group, watch, source, points})
}

// windowed loads a list over the request's window for an API answer,
// never nil; on a bad window (400) or a store failure it answers and
// reports false.
func windowed[T any](s *Server, w http.ResponseWriter, r *http.Request, doing string,
	load func(ctx context.Context, from, to time.Time) ([]T, error)) (from, to time.Time, xs []T, ok bool) {
	from, to, err := window(r.URL.Query(), s.opts.Now())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return from, to, nil, false
	}
	if xs, err = load(r.Context(), from, to); err != nil {
		s.storeFailed(w, r, doing, err)
		return from, to, nil, false
	}
	if xs == nil {
		xs = []T{}
	}
	return from, to, xs, true
}

func (s *Server) handleIncidents(w http.ResponseWriter, r *http.Request) {
	from, to, incidents, ok := windowed(s, w, r, "loading incidents", s.store.Incidents)
	if !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, struct {
		From      time.Time          `json:"from"`
		To        time.Time          `json:"to"`
		Incidents []earshot.Incident `json:"incidents"`
	}{from, to, incidents})
}

func (s *Server) handleSpikes(w http.ResponseWriter, r *http.Request) {
	from, to, spikes, ok := windowed(s, w, r, "loading spikes", s.store.Spikes)
	if !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, struct {
		From   time.Time       `json:"from"`
		To     time.Time       `json:"to"`
		Spikes []earshot.Spike `json:"spikes"`
	}{from, to, spikes})
}

func (s *Server) handleNegative(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := window(q, s.opts.Now())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	limit := defaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit: must be a whole number from 1 to %d", maxLimit))
			return
		}
		limit = n
	}
	watch, source, err := filters(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	posts, err := s.store.TopNegative(r.Context(), earshot.PostQuery{From: from, To: to, Watch: watch, Source: source, Limit: limit})
	if err != nil {
		s.storeFailed(w, r, "loading negative posts", err)
		return
	}
	if posts == nil {
		posts = []earshot.Post{}
	}
	httpjson.Write(w, http.StatusOK, struct {
		From  time.Time      `json:"from"`
		To    time.Time      `json:"to"`
		Limit int            `json:"limit"`
		Posts []earshot.Post `json:"posts"`
	}{from, to, limit, posts})
}

// storeFailed logs a store error and answers 500 without its details, which
// may hold DSNs or SQL.
func (s *Server) storeFailed(w http.ResponseWriter, r *http.Request, doing string, err error) {
	s.logFailure(r, doing, err)
	writeError(w, http.StatusInternalServerError, doing+" failed; see the server log")
}

// logFailure logs a failed store query; a client that went away is not the
// store's failure and is logged at debug level only.
func (s *Server) logFailure(r *http.Request, doing string, err error) {
	level := slog.LevelError
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		level = slog.LevelDebug
	}
	s.log.Log(r.Context(), level, "dashboard store query failed", "doing", doing, "path", r.URL.Path, "err", err)
}
