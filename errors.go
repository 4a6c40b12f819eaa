package earshot

import (
	"errors"
	"fmt"
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
)

// errorf is fmt.Errorf without importing fmt in files that need nothing else.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
