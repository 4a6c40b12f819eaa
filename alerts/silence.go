package alerts

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// ErrSilenceNotFound is returned for an unknown silence ID.
var ErrSilenceNotFound = errors.New("silence not found")

// Silence mutes the alerts its matchers select between StartsAt and
// EndsAt.
type Silence = earshot.Silence

// Silence states.
const (
	SilencePending = "pending"
	SilenceActive  = "active"
	SilenceExpired = "expired"
)

// SilenceState is pending, active or expired at time at.
func SilenceState(s Silence, at time.Time) string {
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
	sl, err := s.Check(sl)
	if err != nil {
		return Silence{}, err
	}
	ms, _ := ParseMatchers("matchers", sl.Matchers)
	sl.Matchers = append([]string(nil), sl.Matchers...)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
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

// Expire ends the silence with id now and returns it. Expiring an
// expired silence changes nothing.
func (s *Silences) Expire(id string) (Silence, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.items[id]
	if !ok {
		return Silence{}, fmt.Errorf("expiring silence %s: %w", id, ErrSilenceNotFound)
	}
	e.Silence = ExpireSilence(e.Silence, now)
	return e.Silence, nil
}

// ExpireSilence returns sl ended at now (unchanged if it ended before).
func ExpireSilence(sl Silence, now time.Time) Silence {
	if sl.EndsAt.After(now) {
		sl.EndsAt = now
		if sl.StartsAt.After(now) {
			sl.StartsAt = now
		}
	}
	return sl
}

// Replace makes list the silences kept, as read from a store: every
// process (serve, the CLI, the API) writes silences to the store, and the
// engine reads them back each step. A silence whose matchers no longer
// parse is skipped and named in the error; the others are kept.
func (s *Silences) Replace(list []Silence) error {
	items := make(map[string]*silenceEntry, len(list))
	var errs []error
	for _, sl := range list {
		ms, err := ParseMatchers("matchers", sl.Matchers)
		if err != nil {
			errs = append(errs, fmt.Errorf("silence %s: %w", sl.ID, err))
			continue
		}
		items[sl.ID] = &silenceEntry{Silence: sl, matchers: ms}
	}
	s.mu.Lock()
	s.items = items
	s.mu.Unlock()
	return errors.Join(errs...)
}

// Check validates sl as Add would, filling StartsAt (now when zero), and
// returns it: for callers that save a silence to a store first.
func (s *Silences) Check(sl Silence) (Silence, error) {
	if len(sl.Matchers) == 0 {
		return Silence{}, fmt.Errorf("matchers: at least one is required (a silence without would mute every alert)")
	}
	if _, err := ParseMatchers("matchers", sl.Matchers); err != nil {
		return Silence{}, err
	}
	if sl.StartsAt.IsZero() {
		sl.StartsAt = s.now()
	}
	if !sl.EndsAt.After(sl.StartsAt) {
		return Silence{}, fmt.Errorf("ends_at: must be after starts_at")
	}
	if sl.ID == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		sl.ID = hex.EncodeToString(b)
	}
	return sl, nil
}

// Mutes reports whether an active silence at time at selects labels.
func (s *Silences) Mutes(labels map[string]string, at time.Time) bool {
	if s == nil {
		return false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, e := range s.items {
		if SilenceState(e.Silence, at) == SilenceActive && e.matchers.Matches(labels) {
			return true
		}
	}
	return false
}
