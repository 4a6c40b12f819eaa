package collectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/netguard"
	"github.com/earshot/earshot/internal/redact"
	"github.com/earshot/earshot/internal/retryafter"
)

// ErrUnauthorized means a source refused the credentials: a wrong or
// expired token, or missing permissions. Retrying will not help until a
// person fixes the configuration.
var ErrUnauthorized = errors.New("credentials refused")

// DefaultMaxBytes bounds a response body when a collector sets no limit.
const DefaultMaxBytes = 10 << 20

// guarded is Fetch's client when deps has none: it refuses private
// addresses, as Deps.WithDefaults's does.
var guarded = netguard.Client(false, 0)

// Response is what Fetch read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Fetch sends req with deps' client and user agent and reads the body,
// at most maxBytes of it (0: DefaultMaxBytes). It turns the answers every
// API shares into errors: 304 is earshot.ErrNotModified; 429 and 503 are a
// *RetryAfterError with the wait the source gave (see RateLimitWait); 401
// and 403 wrap ErrUnauthorized; any other status outside 2xx is an error
// naming it, a *StatusError. URLs in errors are redacted (see Redact). The
// request's context bounds it.
func Fetch(deps Deps, req *http.Request, maxBytes int64) (*Response, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	where := Redact(req.URL)
	if req.Header.Get("User-Agent") == "" && deps.UserAgent != "" {
		req.Header.Set("User-Agent", deps.UserAgent)
	}
	client := deps.HTTP
	if client == nil {
		client = guarded
	}
	now := time.Now
	if deps.Now != nil {
		now = deps.Now
	}
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // its message repeats the unredacted URL
		}
		return nil, fmt.Errorf("requesting %s: %w", where, err)
	}
	defer resp.Body.Close()

	switch s := resp.StatusCode; {
	case s == http.StatusNotModified:
		return nil, earshot.ErrNotModified
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		drain(resp.Body)
		return nil, &RetryAfterError{Source: where, Status: resp.Status, Wait: RateLimitWait(resp.Header, now())}
	case s < 200 || s > 299:
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		drain(resp.Body)
		return nil, &StatusError{Where: where, Code: s, Status: resp.Status, Header: resp.Header, Body: snippet}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", where, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("reading %s: body larger than %d bytes", where, maxBytes)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// StatusError is an answer outside 2xx that Fetch has no better error
// for. 401 and 403 unwrap to ErrUnauthorized. Body holds the start of the
// answer (at most 1 KiB) for collectors that read an API's error codes
// from it; it is kept out of Error() since a server may echo credentials.
type StatusError struct {
	Where  string
	Code   int
	Status string
	Header http.Header
	Body   []byte
}

func (e *StatusError) Error() string {
	if e.Code == http.StatusUnauthorized || e.Code == http.StatusForbidden {
		return fmt.Sprintf("requesting %s: %s: %v", e.Where, e.Status, ErrUnauthorized)
	}
	return fmt.Sprintf("requesting %s: unexpected status %s", e.Where, e.Status)
}

// Unwrap returns ErrUnauthorized for 401 and 403.
func (e *StatusError) Unwrap() error {
	if e.Code == http.StatusUnauthorized || e.Code == http.StatusForbidden {
		return ErrUnauthorized
	}
	return nil
}

// GetJSON fetches u (with the headers given) and decodes the JSON body into
// v. A body that is not the JSON expected is an error naming the URL.
func GetJSON(ctx context.Context, deps Deps, u string, header http.Header, maxBytes int64, v any) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("requesting %s: %w", redactString(u), err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := Fetch(deps, req, maxBytes)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return resp, fmt.Errorf("decoding %s: %w", Redact(req.URL), err)
	}
	return resp, nil
}

// RateLimitWait reads how long a source asks us to wait from the headers
// APIs use: Retry-After (seconds or an HTTP date); x-rate-limit-reset and
// ratelimit-reset as Unix seconds (Twitter, Bluesky) or as seconds to wait
// (the IETF draft, Reddit's X-Ratelimit-Reset); X-RateLimit-Reset as an ISO
// 8601 time (Mastodon). The reset headers count only when the remaining
// count is exhausted (or absent on a 429). It returns 0 when nothing says,
// and at most MaxRetryAfter.
func RateLimitWait(h http.Header, now time.Time) time.Duration {
	if d, _ := retryafter.Parse(h.Get("Retry-After"), now); d > 0 {
		return min(d, MaxRetryAfter)
	}
	remaining := firstHeader(h, "X-Rate-Limit-Remaining", "X-Ratelimit-Remaining", "Ratelimit-Remaining")
	if remaining != "" {
		if n, err := strconv.ParseFloat(remaining, 64); err == nil && n >= 1 {
			return 0
		}
	}
	reset := firstHeader(h, "X-Rate-Limit-Reset", "X-Ratelimit-Reset", "Ratelimit-Reset")
	return parseReset(reset, now)
}

// Exhausted reports whether the headers say no request is left before the
// reset, and how long until then: a collector stops paging early rather
// than run into a 429.
func Exhausted(h http.Header, now time.Time) (time.Duration, bool) {
	remaining := firstHeader(h, "X-Rate-Limit-Remaining", "X-Ratelimit-Remaining", "Ratelimit-Remaining")
	if remaining == "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(remaining, 64)
	if err != nil || n >= 1 {
		return 0, false
	}
	return parseReset(firstHeader(h, "X-Rate-Limit-Reset", "X-Ratelimit-Reset", "Ratelimit-Reset"), now), true
}

// parseReset reads a reset header: Unix seconds when the number is large
// enough to be a date, otherwise seconds to wait; or an ISO 8601 time.
func parseReset(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f > 1e9 { // a Unix time (after 2001)
			d = time.Unix(0, int64(f*1e9)).Sub(now)
		} else {
			d = time.Duration(f * float64(time.Second))
		}
	} else if t, err := time.Parse(time.RFC3339, v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, MaxRetryAfter))
}

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// Redact returns u fit for errors and logs: no user information, no query
// values (APIs and private feeds carry tokens there), no fragment.
func Redact(u *url.URL) string {
	return redact.URL(u, redact.UserInfo|redact.QueryValues|redact.Fragment)
}

func redactString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return Redact(u)
}

// drain reads a little of an unwanted body so the connection can be reused.
func drain(r io.Reader) { _, _ = io.Copy(io.Discard, io.LimitReader(r, 64<<10)) }
