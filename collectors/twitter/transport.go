package twitter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// httpClient returns the client go-twitter sends one request with: the
// program's client (Deps.HTTP) with a transport that binds the request to
// ctx (go-twitter takes no context), points it at base_url, and adds the
// bearer token. Redirects are not followed: the API does not redirect, and
// a redirect must not take the token elsewhere.
func (c *Collector) httpClient(ctx context.Context) *http.Client {
	next := c.Deps.HTTP.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	return &http.Client{
		Transport: &transport{ctx: ctx, c: c, next: next},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: c.Deps.HTTP.Timeout,
	}
}

type transport struct {
	ctx  context.Context
	c    *Collector
	next http.RoundTripper
}

var errOtherHost = errors.New("refusing to send the bearer token to a host other than the API's")

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close() // searches have none; the contract says close it
	}
	r := req.Clone(t.ctx)
	base := t.c.base
	if r.URL.Host == apiHost {
		r.URL.Scheme, r.URL.Host = base.Scheme, base.Host
		r.URL.Path = base.Path + r.URL.Path
		r.URL.RawPath = ""
		r.Host = ""
	}
	if r.URL.Host != base.Host || r.URL.Scheme != base.Scheme {
		return nil, errOtherHost
	}
	r.Header.Set("Authorization", "Bearer "+t.c.token)
	r.Header.Set("Accept", "application/json")
	if t.c.Deps.UserAgent != "" {
		r.Header.Set("User-Agent", t.c.Deps.UserAgent)
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.c.Cfg.MaxBytes, max: t.c.Cfg.MaxBytes}
	return resp, nil
}

// limitedBody reads at most left bytes and fails past them, so that a body
// larger than max_bytes is an error, never silently truncated JSON.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
	max  int64
}

type tooLargeError struct{ max int64 }

func (e *tooLargeError) Error() string { return fmt.Sprintf("body larger than %d bytes", e.max) }

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, &tooLargeError{b.max}
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, &tooLargeError{b.max}
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
