package collectors

import (
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// MaxRetryAfter caps the wait a source may ask for, so that a hostile or
// broken server cannot park a collector for years.
const MaxRetryAfter = 24 * time.Hour

// RetryAfterError is a source asking a collector to slow down. It wraps
// earshot.ErrRateLimited, so errors.Is(err, earshot.ErrRateLimited) holds;
// errors.As finds it for the wait.
//
// Code that cannot import this package (the pipeline in package earshot)
// can find the wait through the RetryAfter method:
//
//	var ra interface{ RetryAfter() time.Duration }
//	if errors.As(err, &ra) { wait = ra.RetryAfter() }
type RetryAfterError struct {
	// Source says who asked: a redacted URL, an API name.
	Source string
	// Status is the HTTP status line, "429 Too Many Requests".
	Status string
	// Wait is how long the source asked us to wait; zero when it did not
	// say, and the caller picks its own backoff.
	Wait time.Duration
}

func (e *RetryAfterError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source + ": ")
	}
	b.WriteString(earshot.ErrRateLimited.Error())
	if e.Status != "" {
		b.WriteString(" (" + e.Status + ")")
	}
	if e.Wait > 0 {
		b.WriteString(", retry after " + e.Wait.String())
	}
	return b.String()
}

// Unwrap returns earshot.ErrRateLimited.
func (e *RetryAfterError) Unwrap() error { return earshot.ErrRateLimited }

// RetryAfter returns e.Wait.
func (e *RetryAfterError) RetryAfter() time.Duration { return e.Wait }

// Backoff is when a rate-limited API lets a collector ask again. It is
// safe for concurrent use; the zero value lets it ask at once.
type Backoff struct {
	mu        sync.Mutex
	notBefore time.Time
}

// Wait returns how long to wait still at now (not positive: none).
func (b *Backoff) Wait(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.notBefore.Sub(now)
}

// Until makes the collector wait until t, unless it already waits longer.
func (b *Backoff) Until(t time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.After(b.notBefore) {
		b.notBefore = t
	}
}
