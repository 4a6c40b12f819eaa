package earshot

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrNotFound: the store has no such item.
	ErrNotFound = errors.New("not found")
	// ErrInvalidTransition: a follow-up cannot move to the requested state.
	ErrInvalidTransition = errors.New("invalid state transition")
	// ErrRateLimited: a source asked us to slow down.
	ErrRateLimited = errors.New("rate limited")
	// ErrNotModified: a source has nothing new since the last request.
	ErrNotModified = errors.New("not modified")
	// ErrRejected wraps the reason a post was not accepted by a sink (the
	// pipeline's Add): the post failed validation and is dropped, not
	// retried.
	ErrRejected = errors.New("post rejected")
)

// RetryAfter is implemented by errors that say how long a source asked us
// to wait (from Retry-After or a rate-limit reset header).
type RetryAfter interface {
	RetryAfter() time.Duration
}

// errorf is fmt.Errorf without importing fmt in files that need nothing else.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
