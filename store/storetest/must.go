package storetest

import (
	"testing"
	"time"
)

// result is what a store call returned, for or: got(st.Alerts(ctx, from,
// to)).or(t, "Alerts(%s)", span(from, to)).
type result[T any] struct {
	v   T
	err error
}

// got holds what a store call returned.
func got[T any](v T, err error) result[T] { return result[T]{v, err} }

// or returns the call's value, or fails the test with the call, named by
// format and args, and its error.
func (r result[T]) or(t *testing.T, format string, args ...any) T {
	t.Helper()
	must(t, r.err, format, args...)
	return r.v
}

// must fails the test when err, what a store call returned, is not nil,
// with the call, named by format and args, and the error.
func must(t *testing.T, err error, format string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf(format+": %v", append(args, err)...)
	}
}

// span describes the window from to to, for a failing call's message.
func span(from, to time.Time) string {
	return from.Format(time.RFC3339Nano) + ", " + to.Format(time.RFC3339Nano)
}
