package alerts

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// ErrSilenceNotFound is returned for an unknown silence ID.
var ErrSilenceNotFound = errors.New("silence not found")

// Silence mutes the alerts its matchers select between StartsAt and
// EndsAt.
type Silence struct {
	ID string `json:"id"`
	// Matchers select the alerts, as in routes: 'watch="acme"'.
	Matchers  []string  `json:"matchers"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	CreatedBy string    `json:"created_by,omitempty"`
	Comment   string    `json:"comment,omitempty"`
}

// Silence states.
const (
	SilencePending = "pending"
	SilenceActive  = "active"
	SilenceExpired = "expired"
)

// State is pending, active or expired at time at.
func (s Silence) State(at time.Time) string {
	switch {
	case at.Before(s.StartsAt):
		return SilencePending
	case at.Before(s.EndsAt):
		return SilenceActive
	}
	return SilenceExpired
}

type silenceEntry struct {
	Silence
	matchers Matchers
}

// Silences keeps silences; it is safe for concurrent use (the API adds
// and expires while the dispatcher reads). Expired silences are kept a
// week for the record.
type Silences struct {
	mu    sync.RWMutex
	now   func() time.Time
	items map[string]*silenceEntry
}

// NewSilences returns an empty set; now (nil: time.Now) stamps Add and
// Expire.
func NewSilences(now func() time.Time) *Silences {
	if now == nil {
		now = time.Now
	}
	return &Silences{now: now, items: map[string]*silenceEntry{}}
}

// Add creates a silence, or replaces the one with its ID, and returns it
// with its ID set. It needs at least one matcher and an EndsAt after
// StartsAt; a zero StartsAt means now.
func (s *Silences) Add(sl Silence) (Silence, error) {
	if len(sl.Matchers) == 0 {
		return Silence{}, fmt.Errorf("matchers: at least one is required (a silence without would mute every alert)")
	}
	ms, err := ParseMatchers("matchers", sl.Matchers)
	if err != nil {
		return Silence{}, err
	}
	now := s.now()
	if sl.StartsAt.IsZero() {
		sl.StartsAt = now
	}
	if !sl.EndsAt.After(sl.StartsAt) {
		return Silence{}, fmt.Errorf("ends_at: must be after starts_at")
	}
	sl.Matchers = append([]string(nil), sl.Matchers...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl.ID == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		sl.ID = hex.EncodeToString(b)
	}
	s.items[sl.ID] = &silenceEntry{Silence: sl, matchers: ms}
	for id, e := range s.items {
		if now.Sub(e.EndsAt) > 7*24*time.Hour {
			delete(s.items, id)
		}
	}
	return sl, nil
}

// List returns every silence kept, by StartsAt then ID.
func (s *Silences) List() []Silence {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Silence, 0, len(s.items))
	for _, e := range s.items {
		out = append(out, e.Silence)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].StartsAt.Equal(out[j].StartsAt) {
			return out[i].StartsAt.Before(out[j].StartsAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Expire ends the silence with id now. Expiring an expired silence
// changes nothing.
func (s *Silences) Expire(id string) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.items[id]
	if !ok {
		return fmt.Errorf("expiring silence %s: %w", id, ErrSilenceNotFound)
	}
	if e.EndsAt.After(now) {
		e.EndsAt = now
		if e.StartsAt.After(now) {
			e.StartsAt = now
		}
	}
	return nil
}

// Mutes reports whether an active silence at time at selects labels.
func (s *Silences) Mutes(labels map[string]string, at time.Time) bool {
	if s == nil {
		return false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, e := range s.items {
		if e.State(at) == SilenceActive && e.matchers.Matches(labels) {
			return true
		}
	}
	return false
}
