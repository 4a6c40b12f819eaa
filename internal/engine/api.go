package engine

import (
	"net/http"
	"net/url"
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
//
// Times are RFC 3339; a bad one is a 400 {"error": "..."} naming it.
func Handler(as earshot.AlertStore, eps earshot.EpisodeStore, d *alerts.Dispatcher, now func() time.Time) http.Handler {
	if now == nil {
		now = time.Now
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/alerts", func(w http.ResponseWriter, r *http.Request) {
		from, to, err := window(r.URL.Query(), now())
		if err != nil {
			httpjson.Error(w, http.StatusBadRequest, err.Error())
			return
		}
		out, err := as.Alerts(r.Context(), from, to)
		if err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "listing alerts failed")
			return
		}
		httpjson.Write(w, http.StatusOK, orEmpty(out))
	})
	mux.HandleFunc("GET /api/alerts/deliveries", func(w http.ResponseWriter, r *http.Request) {
		from, to, err := window(r.URL.Query(), now())
		if err != nil {
			httpjson.Error(w, http.StatusBadRequest, err.Error())
			return
		}
		out, err := as.Deliveries(r.Context(), from, to)
		if err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "listing deliveries failed")
			return
		}
		httpjson.Write(w, http.StatusOK, orEmpty(out))
	})
	mux.HandleFunc("GET /api/alerts/episodes", func(w http.ResponseWriter, r *http.Request) {
		from, to, err := window(r.URL.Query(), now())
		if err != nil {
			httpjson.Error(w, http.StatusBadRequest, err.Error())
			return
		}
		out, err := eps.Episodes(r.Context(), from, to)
		if err != nil {
			httpjson.Error(w, http.StatusInternalServerError, "listing episodes failed")
			return
		}
		httpjson.Write(w, http.StatusOK, orEmpty(out))
	})
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
	return mux
}

type paramError struct{ name, problem string }

func (e *paramError) Error() string { return e.name + ": " + e.problem }

// window reads ?from= and ?to=: the last 7 days up to now by default.
func window(q url.Values, now time.Time) (from, to time.Time, err error) {
	to = now
	if v := q.Get("to"); v != "" {
		if to, err = time.Parse(time.RFC3339, v); err != nil {
			return from, to, &paramError{"to", "not an RFC 3339 time, such as 2026-03-10T14:00:00Z"}
		}
	}
	from = to.Add(-defaultWindow)
	if v := q.Get("from"); v != "" {
		if from, err = time.Parse(time.RFC3339, v); err != nil {
			return from, to, &paramError{"from", "not an RFC 3339 time, such as 2026-03-10T14:00:00Z"}
		}
	}
	if !from.Before(to) {
		return from, to, &paramError{"from", "must be before to"}
	}
	return from.UTC(), to.UTC(), nil
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
