package badinput

import "fmt"

// Error is an error that is the input's fault. Its message is the wrapped
// error's, unchanged.
type Error struct{ Err error }

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf formats an error that is the input's fault.
func Errorf(format string, args ...any) error {
	return &Error{fmt.Errorf(format, args...)}
}
