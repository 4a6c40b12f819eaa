package collectors

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// DecodeCursor reads into a new C a cursor that EncodeCursor wrote. Every
// cursor is a JSON object whose "v" is the version of its format: one of
// another version (its meaning has changed since) is an error, as is one
// that is not JSON; the collector logs it and starts afresh. "" is the zero
// C: no cursor yet.
func DecodeCursor[C any](s string, version int) (C, error) {
	var zero C
	if s == "" {
		return zero, nil
	}
	var head struct {
		V int `json:"v"`
	}
	if err := json.Unmarshal([]byte(s), &head); err != nil {
		return zero, fmt.Errorf("decoding cursor: %w", err)
	}
	if head.V != version {
		return zero, fmt.Errorf("cursor version %d, want %d", head.V, version)
	}
	var c C
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return zero, fmt.Errorf("decoding cursor: %w", err)
	}
	return c, nil
}

// EncodeCursor writes a cursor, its version field set by the caller, as
// JSON. Cursors hold strings, numbers and times, which always marshal.
func EncodeCursor(c any) string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("encoding cursor: %v", err))
	}
	return string(b)
}

// LoadCursor is DecodeCursor for a Collect: a cursor it cannot read is
// logged and gives the zero C, so that the run starts afresh.
func LoadCursor[C any](s string, version int, log *slog.Logger) C {
	c, err := DecodeCursor[C](s, version)
	if err != nil {
		log.Warn("ignoring unreadable cursor; starting afresh", "err", err)
	}
	return c
}

// DecodeCursorFor is DecodeCursor for a cursor made for one thing (an
// app, a site, a forum, a query), which owner reads from it: a cursor made
// for another than want is an error, "cursor is for another <what>".
func DecodeCursorFor[C any](s string, version int, what, want string, owner func(C) string) (C, error) {
	c, err := DecodeCursor[C](s, version)
	if err == nil && owner(c) != want {
		var zero C
		return zero, fmt.Errorf("cursor is for another %s", what)
	}
	return c, err
}
