// Package rowcodec holds what store/duckdb and store/clickhouse write the
// same way: the nested fields of a row (incident updates, follow-up notes,
// an alert's labels and Why, episodes and silences) as JSON, times in UTC
// so that they read back as saved. Each backend keeps its SQL, its column
// types and its driver calls.
package rowcodec

import (
	"encoding/json"
	"fmt"

	"github.com/earshot/earshot"
)

// Updates is an incident's updates as the updates column holds them: a
// JSON array ("[]" when none), times in UTC.
func Updates(updates []earshot.IncidentUpdate) (string, error) {
	return list(updates, updateUTC)
}

// DecodeUpdates reads the updates column: nil when none, times in UTC.
func DecodeUpdates(s string) ([]earshot.IncidentUpdate, error) {
	return decodeList(s, updateUTC)
}

func updateUTC(u earshot.IncidentUpdate) earshot.IncidentUpdate { u.At = u.At.UTC(); return u }

// Notes is a follow-up's notes as the notes column holds them: a JSON
// array ("[]" when none), times in UTC.
func Notes(notes []earshot.Note) (string, error) {
	return list(notes, noteUTC)
}

// DecodeNotes reads the notes column: nil when none, times in UTC.
func DecodeNotes(s string) ([]earshot.Note, error) {
	return decodeList(s, noteUTC)
}

func noteUTC(n earshot.Note) earshot.Note { n.At = n.At.UTC(); return n }

// list is items as a JSON array ("[]" when none), each through utc.
func list[T any](items []T, utc func(T) T) (string, error) {
	out := make([]T, len(items))
	for i, v := range items {
		out[i] = utc(v)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// decodeList reads a JSON array written by list: nil when empty, each
// item through utc.
func decodeList[T any](s string, utc func(T) T) ([]T, error) {
	var items []T
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil
	}
	for i, v := range items {
		items[i] = utc(v)
	}
	return items, nil
}

// Alert returns a's labels and Why as JSON, the times of the Why's posts
// in UTC so that they read back as saved.
func Alert(a earshot.Alert) (labels, why string, err error) {
	l, err := json.Marshal(a.Labels)
	if err != nil {
		return "", "", fmt.Errorf("encoding labels of alert %s: %w", a.ID, err)
	}
	w := a.Why
	if len(w.Posts) > 0 {
		w.Posts = make([]earshot.Post, len(a.Why.Posts))
		for i, p := range a.Why.Posts {
			p.CreatedAt, p.CollectedAt = p.CreatedAt.UTC(), p.CollectedAt.UTC()
			w.Posts[i] = p
		}
	}
	b, err := json.Marshal(w)
	if err != nil {
		return "", "", fmt.Errorf("encoding why of alert %s: %w", a.ID, err)
	}
	return string(l), string(b), nil
}

// DecodeAlert fills a's labels and Why from their JSON.
func DecodeAlert(a *earshot.Alert, labels, why string) error {
	if err := json.Unmarshal([]byte(labels), &a.Labels); err != nil {
		return fmt.Errorf("decoding labels of alert %s: %w", a.ID, err)
	}
	if len(a.Labels) == 0 {
		a.Labels = nil
	}
	if err := json.Unmarshal([]byte(why), &a.Why); err != nil {
		return fmt.Errorf("decoding why of alert %s: %w", a.ID, err)
	}
	for i, p := range a.Why.Posts {
		a.Why.Posts[i].CreatedAt, a.Why.Posts[i].CollectedAt = p.CreatedAt.UTC(), p.CollectedAt.UTC()
	}
	return nil
}

// Episode returns e with its times in UTC, and as the body column holds
// it.
func Episode(e earshot.Episode) (earshot.Episode, string, error) {
	e.OpenedAt, e.UpdatedAt, e.ResolvedAt = e.OpenedAt.UTC(), e.UpdatedAt.UTC(), e.ResolvedAt.UTC()
	return body(e, "episode", e.ID)
}

// DecodeEpisode reads an episode's body column.
func DecodeEpisode(body string) (earshot.Episode, error) {
	return decodeBody[earshot.Episode](body, "an episode")
}

// Silence returns sl with its times in UTC, and as the body column holds
// it.
func Silence(sl earshot.Silence) (earshot.Silence, string, error) {
	sl.StartsAt, sl.EndsAt = sl.StartsAt.UTC(), sl.EndsAt.UTC()
	return body(sl, "silence", sl.ID)
}

// DecodeSilence reads a silence's body column.
func DecodeSilence(body string) (earshot.Silence, error) {
	return decodeBody[earshot.Silence](body, "a silence")
}

// body returns v, a record whose times are in UTC, and v as its body
// column holds it: JSON. what and id name it in an error ("episode e-1").
func body[T any](v T, what, id string) (T, string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return v, "", fmt.Errorf("encoding %s %s: %w", what, id, err)
	}
	return v, string(b), nil
}

// decodeBody reads a record's body column; what names it in an error
// ("an episode").
func decodeBody[T any](s, what string) (T, error) {
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		var zero T
		return zero, fmt.Errorf("decoding %s: %w", what, err)
	}
	return v, nil
}

// DecodeAll decodes each of bodies with decode; nil when there are none.
func DecodeAll[T any](bodies []string, decode func(string) (T, error)) ([]T, error) {
	var out []T
	for _, b := range bodies {
		v, err := decode(b)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Closure is an incident's closure as the closure column holds it: "" when
// the incident is not closed, else JSON with times in UTC.
func Closure(c *earshot.Closure) (string, error) {
	if c == nil {
		return "", nil
	}
	v := *c
	v.At = v.At.UTC()
	b, err := json.Marshal(v)
	return string(b), err
}

// DecodeClosure reads the closure column: nil when "".
func DecodeClosure(s string) (*earshot.Closure, error) {
	if s == "" {
		return nil, nil
	}
	var c earshot.Closure
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil, err
	}
	c.At = c.At.UTC()
	return &c, nil
}
