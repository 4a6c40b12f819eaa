package httpjson

import (
	"net/url"
	"time"
)

// ParamError is a client mistake in one query parameter: a 400.
type ParamError struct{ Name, Problem string }

func (e *ParamError) Error() string { return e.Name + ": " + e.Problem }

// Window reads ?from= and ?to= (RFC 3339): by default the last def up to
// now. from must be before to; both come back in UTC.
func Window(q url.Values, now time.Time, def time.Duration) (from, to time.Time, err error) {
	to = now
	if v := q.Get("to"); v != "" {
		if to, err = time.Parse(time.RFC3339, v); err != nil {
			return from, to, &ParamError{"to", "not an RFC 3339 time, such as 2026-03-10T14:00:00Z"}
		}
	}
	from = to.Add(-def)
	if v := q.Get("from"); v != "" {
		if from, err = time.Parse(time.RFC3339, v); err != nil {
			return from, to, &ParamError{"from", "not an RFC 3339 time, such as 2026-03-10T14:00:00Z"}
		}
	}
	if !from.Before(to) {
		return from, to, &ParamError{"from", "must be before to"}
	}
	return from.UTC(), to.UTC(), nil
}
