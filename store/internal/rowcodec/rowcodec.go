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
	utc := make([]earshot.IncidentUpdate, len(updates))
	for i, u := range updates {
		u.At = u.At.UTC()
		utc[i] = u
	}
	b, err := json.Marshal(utc)
	return string(b), err
}

// DecodeUpdates reads the updates column: nil when none, times in UTC.
func DecodeUpdates(s string) ([]earshot.IncidentUpdate, error) {
	var updates []earshot.IncidentUpdate
	if err := json.Unmarshal([]byte(s), &updates); err != nil {
		return nil, err
	}
	if len(updates) == 0 {
		return nil, nil
	}
	for i := range updates {
		updates[i].At = updates[i].At.UTC()
	}
	return updates, nil
}

// Notes is a follow-up's notes as the notes column holds them: a JSON
// array ("[]" when none), times in UTC.
func Notes(notes []earshot.Note) (string, error) {
	utc := make([]earshot.Note, len(notes))
	for i, n := range notes {
		n.At = n.At.UTC()
		utc[i] = n
	}
	b, err := json.Marshal(utc)
	return string(b), err
}

// DecodeNotes reads the notes column: nil when none, times in UTC.
func DecodeNotes(s string) ([]earshot.Note, error) {
	var notes []earshot.Note
	if err := json.Unmarshal([]byte(s), &notes); err != nil {
		return nil, err
	}
	if len(notes) == 0 {
		return nil, nil
	}
	for i := range notes {
		notes[i].At = notes[i].At.UTC()
	}
	return notes, nil
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
	body, err := json.Marshal(e)
	if err != nil {
		return e, "", fmt.Errorf("encoding episode %s: %w", e.ID, err)
	}
	return e, string(body), nil
}

// DecodeEpisode reads an episode's body column.
func DecodeEpisode(body string) (earshot.Episode, error) {
	var e earshot.Episode
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		return earshot.Episode{}, fmt.Errorf("decoding an episode: %w", err)
	}
	return e, nil
}

// Silence returns sl with its times in UTC, and as the body column holds
// it.
func Silence(sl earshot.Silence) (earshot.Silence, string, error) {
	sl.StartsAt, sl.EndsAt = sl.StartsAt.UTC(), sl.EndsAt.UTC()
	body, err := json.Marshal(sl)
	if err != nil {
		return sl, "", fmt.Errorf("encoding silence %s: %w", sl.ID, err)
	}
	return sl, string(body), nil
}

// DecodeSilence reads a silence's body column.
func DecodeSilence(body string) (earshot.Silence, error) {
	var sl earshot.Silence
	if err := json.Unmarshal([]byte(body), &sl); err != nil {
		return earshot.Silence{}, fmt.Errorf("decoding a silence: %w", err)
	}
	return sl, nil
}
