package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/internal/netguard"
	"github.com/earshot/earshot/internal/retryafter"
)

// Request is one POST an HTTP notifier makes.
type Request struct {
	// Name is the notifier's name, first in errors ("slack: ...").
	Name string
	// URL is where to post; it is secret (tokens live in webhook URLs)
	// and appears in errors only as RedactURL shows it.
	URL    string
	Header http.Header
	Body   []byte
	// Timeout bounds the request; 0 means 10s.
	Timeout time.Duration
	// Secrets are removed from errors besides the URL and its parts.
	Secrets []string
}

// Post sends r with client and classifies the outcome like
// earshot.Notifier: nil error on 2xx; retry true on a network error, a
// timeout, 408, 429 or 5xx (with the Retry-After wait attached, see
// RetryAfter); retry false on any other status. It returns the response
// body (at most 64 KiB). Errors name the redacted URL, the status and the
// start of the body, and never a secret.
func Post(ctx context.Context, client *http.Client, now func() time.Time, r Request) (body []byte, retry bool, err error) {
	secrets := append(urlSecrets(r.URL), r.Secrets...)
	where := RedactURL(r.URL)
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		// The error quotes the URL: say only that it is bad.
		return nil, false, Errorf(secrets, "%s: invalid URL %s", r.Name, where)
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "earshot")
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			// The caller gave up: trying again will not help it.
			return nil, false, Errorf(secrets, "%s: posting to %s: %v", r.Name, where, ctx.Err())
		}
		// An address the guard refuses stays refused: not worth a retry.
		return nil, !errors.Is(err, netguard.ErrBlocked), Errorf(secrets, "%s: posting to %s: %s", r.Name, where, transportError(err))
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, false, nil
	}
	e := Errorf(secrets, "%s: %s answered %d %s: %s", r.Name, where, resp.StatusCode,
		http.StatusText(resp.StatusCode), Truncate(OneLine(string(body)), 200))
	if Retryable(resp.StatusCode) {
		if now == nil {
			now = time.Now
		}
		if d, ok := retryafter.Parse(resp.Header.Get("Retry-After"), now()); ok {
			e = WithRetryAfter(e, d)
		}
		return body, true, e
	}
	return body, false, e
}

// Retryable reports whether an HTTP status may succeed if tried again:
// 408, 429 and 5xx.
func Retryable(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// transportError describes a failed round trip without the URL that
// *url.Error quotes.
func transportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timed out"
		}
		return ue.Err.Error()
	}
	return err.Error()
}

// urlSecrets are the parts of a URL that may carry a token.
func urlSecrets(raw string) []string {
	out := []string{raw}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	if len(u.Path) > 1 {
		out = append(out, u.Path, u.EscapedPath())
		// A server may echo a token alone: any segment that looks like
		// one (long, not a plain word) is a secret too.
		for _, seg := range strings.Split(u.Path, "/") {
			if len(seg) >= 8 && strings.ContainsFunc(seg, func(r rune) bool { return r < 'a' || r > 'z' }) {
				out = append(out, seg)
			}
		}
	}
	if u.RawQuery != "" {
		out = append(out, u.RawQuery)
		for _, vs := range u.Query() {
			for _, v := range vs {
				if len(v) >= 4 {
					out = append(out, v)
				}
			}
		}
	}
	if u.User != nil {
		out = append(out, u.User.String())
		if p, ok := u.User.Password(); ok {
			out = append(out, p)
		}
	}
	return out
}
