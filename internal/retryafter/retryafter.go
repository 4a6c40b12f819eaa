// Package retryafter reads the Retry-After header (RFC 9110, section
// 10.2.3) that a server sends with a 429 or a 503: how long it asks the
// client to wait.
package retryafter

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Parse reads a Retry-After value, delay-seconds ("120") or an HTTP date,
// as the wait it asks for from now. It never returns a negative wait: a
// date in the past asks for none. A delay too long for a time.Duration is
// the longest one. ok is false when v is empty or neither form.
func Parse(v string, now time.Time) (wait time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" { // delay-seconds
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > math.MaxInt64/uint64(time.Second) { // err: too many digits
			return math.MaxInt64, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}
