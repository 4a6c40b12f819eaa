package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/engine"
)

// BadInput is an error in what replay was given (a file, a line, the
// configuration): the caller's to fix, not a failure of replay.
type BadInput struct{ Err error }

func (b BadInput) Error() string { return b.Err.Error() }
func (b BadInput) Unwrap() error { return b.Err }

func badf(format string, args ...any) error { return BadInput{fmt.Errorf(format, args...)} }

// incidentLine is a line of --incidents.
type incidentLine struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Services   []string `json:"services"`
	Watches    []string `json:"watches"`
	StartedAt  string   `json:"started_at"`
	ResolvedAt string   `json:"resolved_at"`
}

// ReadIncidents reads --incidents into the events that make each
// incident known: opened at started_at, resolved at resolved_at, in time
// order. Any bad line is bad input.
func ReadIncidents(path string) ([]engine.IncidentAt, error) {
	if path == "" {
		return nil, nil
	}
	var events []engine.IncidentAt
	seen := map[string]bool{}
	err := eachJSONLine(path, "an incident", func(_ int, dec func(any) error, bad func(string, ...any) error) error {
		var ri incidentLine
		if err := dec(&ri); err != nil {
			return err
		}
		if strings.TrimSpace(ri.ID) == "" {
			return bad("missing id")
		}
		if seen[ri.ID] {
			return bad("incident %q appears twice", ri.ID)
		}
		seen[ri.ID] = true
		started, err := time.Parse(time.RFC3339, ri.StartedAt)
		if err != nil {
			return bad("started_at %q is not an RFC 3339 time", ri.StartedAt)
		}
		var resolved time.Time
		if ri.ResolvedAt != "" {
			if resolved, err = time.Parse(time.RFC3339, ri.ResolvedAt); err != nil {
				return bad("resolved_at %q is not an RFC 3339 time", ri.ResolvedAt)
			}
			if !resolved.After(started) {
				return bad("resolved_at is not after started_at")
			}
		}
		source := "replay"
		if s, _, ok := strings.Cut(ri.ID, ":"); ok && s != "" {
			source = s
		}
		started = started.UTC()
		open := earshot.Incident{ID: ri.ID, Source: source, Title: ri.Title, Status: earshot.Investigating,
			Services: ri.Services, Watches: ri.Watches, StartedAt: started, UpdatedAt: started,
			Updates: []earshot.IncidentUpdate{{At: started, Status: earshot.Investigating}}}
		events = append(events, engine.IncidentAt{At: started, Incident: open})
		if !resolved.IsZero() {
			resolved = resolved.UTC()
			done := open
			done.Status, done.ResolvedAt, done.UpdatedAt = earshot.Resolved, resolved, resolved
			done.Updates = append(slices.Clone(open.Updates), earshot.IncidentUpdate{At: resolved, Status: earshot.Resolved})
			events = append(events, engine.IncidentAt{At: resolved, Incident: done})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(events, func(a, b engine.IncidentAt) int { return a.At.Compare(b.At) })
	return events, nil
}

// ReadSilences reads --silences: one silence a line, as the API
// takes them, with starts_at required (the data's clock is not now). Any
// bad line is bad input.
func ReadSilences(path string) ([]earshot.Silence, error) {
	if path == "" {
		return nil, nil
	}
	var out []earshot.Silence
	err := eachJSONLine(path, "a silence", func(line int, dec func(any) error, bad func(string, ...any) error) error {
		var req engine.SilenceRequest
		if err := dec(&req); err != nil {
			return err
		}
		if req.StartsAt.IsZero() {
			return bad("starts_at: required in replay")
		}
		sl, err := engine.NewSilence(req, req.StartsAt)
		if err != nil {
			return bad("%v", err)
		}
		sl.ID = fmt.Sprintf("replay-%d", line)
		out = append(out, sl)
		return nil
	})
	return out, err
}

// eachJSONLine reads the JSON lines of path (blank ones skipped), handing
// each to f with a strict decoder (unknown fields refused; an error says
// the line is not what) and bad, which makes a usage error naming the
// file and line.
func eachJSONLine(path, what string, f func(line int, dec func(any) error, bad func(string, ...any) error) error) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return badf("cannot read %s: %v", path, errors.Unwrap(err))
	}
	for i, raw := range bytes.Split(b, []byte("\n")) {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		bad := func(format string, args ...any) error {
			return badf("%s:%d: %s", path, i+1, fmt.Sprintf(format, args...))
		}
		if !utf8.Valid(raw) {
			return bad("invalid UTF-8")
		}
		dec := func(v any) error {
			d := json.NewDecoder(bytes.NewReader(raw))
			d.DisallowUnknownFields()
			if err := d.Decode(v); err != nil {
				return bad("not %s: %v", what, err)
			}
			return nil
		}
		if err := f(i+1, dec, bad); err != nil {
			return err
		}
	}
	return nil
}
