package earshot

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"time"
)

// ErasureID is the ID of the audit line of erasing source/authorID at at.
func ErasureID(source, authorID string, at time.Time) string {
	h := sha256.Sum256([]byte(source + "\x00" + authorID + "\x00" + strconv.FormatInt(at.UnixNano(), 10)))
	return "er-" + hex.EncodeToString(h[:8])
}

// Prepared returns e with an ID and a time (now, when zero), in UTC and
// with its counts zeroed, as stores record it.
func (e Erasure) Prepared(now time.Time) Erasure {
	if e.At.IsZero() {
		e.At = now
	}
	e.At = e.At.UTC()
	if e.ID == "" {
		e.ID = ErasureID(e.Source, e.AuthorID, e.At)
	}
	e.Posts, e.FollowUps, e.Alerts = 0, 0, 0
	return e
}

// WithoutAuthor returns a with the sample posts of source/authorID
// removed, and whether there were any.
func (a Alert) WithoutAuthor(source, authorID string) (Alert, bool) {
	by := func(p Post) bool { return p.Source == source && p.Author.ID == authorID }
	if !slices.ContainsFunc(a.Why.Posts, by) {
		return a, false
	}
	a.Why.Posts = slices.DeleteFunc(slices.Clone(a.Why.Posts), by)
	if len(a.Why.Posts) == 0 {
		a.Why.Posts = nil
	}
	return a, true
}
