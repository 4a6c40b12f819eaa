package collectors

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"time"
)

// MaxReread bounds the items a [RereadWindow] cursor remembers; past it the
// oldest are forgotten (an edit of one of those is then missed, never a
// new item).
const MaxReread = 2000

// RereadWindow is the state of a "re-read window" cursor, for sources listed
// oldest first from a creation time: every run lists again from the
// window's start (reread before now, or the newest item collected when
// that is older) and keeps a hash of each item of the window, so an item
// comes again only when it changed. K is the items' ID type.
//
// A collector embeds it in its cursor between its own fields, so the JSON
// reads {"v":1,"forum":"…","since":…,"newest":…,"seen":[…],"resume":{…}}.
type RereadWindow[K cmp.Ordered] struct {
	// Since is the oldest creation time of interest: the first run's now
	// minus backfill. Nothing older is collected.
	Since int64 `json:"since"`
	// Newest is the newest creation time collected, Unix seconds.
	Newest int64 `json:"newest"`
	// Seen are the items collected that the next run reads again, with a
	// hash of what was collected.
	Seen []RereadSeen[K] `json:"seen,omitempty"`
}

// RereadSeen is one item collected, with when it was created and a hash
// of what was collected of it.
type RereadSeen[K cmp.Ordered] struct {
	ID   K      `json:"id"`
	At   int64  `json:"at"`
	Hash string `json:"h"`
}

// NewRereadWindow returns the state of a first run at now: nothing collected,
// the window going back backfill.
func NewRereadWindow[K cmp.Ordered](now time.Time, backfill time.Duration) RereadWindow[K] {
	since := now.Add(-backfill).Unix()
	return RereadWindow[K]{Since: since, Newest: since}
}

// Window returns where the window to read again starts at now: reread
// before now, or at Newest when that is older (after a pause nothing
// between is skipped). It may be before Since; see [RereadWindow.Start].
func (w *RereadWindow[K]) Window(now time.Time, reread time.Duration) int64 {
	return min(w.Newest, now.Add(-reread).Unix())
}

// Start returns where a run at now lists from: the window's start, never
// before Since.
func (w *RereadWindow[K]) Start(now time.Time, reread time.Duration) int64 {
	return max(w.Since, w.Window(now, reread))
}

// Take records item id created at at with hash h and reports whether it
// is to be returned: new, or edited (recorded before with another hash).
// Newest moves up to at.
func (w *RereadWindow[K]) Take(id K, at int64, h string) (take, edited bool) {
	old := w.hash(id)
	if old == h {
		return false, false
	}
	w.remember(id, at, h)
	w.Newest = max(w.Newest, at)
	return true, old != ""
}

// remember records item id created at at with hash h, replacing an older
// record of it.
func (w *RereadWindow[K]) remember(id K, at int64, h string) {
	for i := range w.Seen {
		if w.Seen[i].ID == id {
			w.Seen[i] = RereadSeen[K]{ID: id, At: at, Hash: h}
			return
		}
	}
	w.Seen = append(w.Seen, RereadSeen[K]{ID: id, At: at, Hash: h})
}

// hash returns the hash recorded for item id, "" if none.
func (w *RereadWindow[K]) hash(id K) string {
	for _, s := range w.Seen {
		if s.ID == id {
			return s.Hash
		}
	}
	return ""
}

// Prune forgets the items created before from, and the oldest beyond
// MaxReread, keeping the rest oldest first.
func (w *RereadWindow[K]) Prune(from int64) {
	w.Seen = slices.DeleteFunc(w.Seen, func(s RereadSeen[K]) bool { return s.At < from })
	slices.SortStableFunc(w.Seen, func(a, b RereadSeen[K]) int {
		return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.ID, b.ID))
	})
	if n := len(w.Seen); n > MaxReread {
		w.Seen = w.Seen[n-MaxReread:]
	}
}

// HashOf returns the hash a [RereadWindow] cursor keeps of an item's version,
// from the parts that make it (text, author, …).
func HashOf(parts ...string) string {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%08x", h.Sum32())
}
