package collectors

import (
	"encoding/json"
	"hash/fnv"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// RevisitWindow is the state of a "revisit window" cursor, for sources whose
// items (posts, comment threads) keep gaining comments and edits after
// they are published, listed newest first with no way to ask for what
// changed. Every run reads the list from the top down to Since, the oldest
// item still revisited, and keeps a fingerprint of everything it returned
// so an item comes again only when its text changed. A run that cannot
// reach Since (out of requests, rate limited) leaves a Sweep that the next
// runs carry on.
//
// A collector embeds it in its cursor after its own fields (as
// [RevisitCursor] does), so the JSON reads
// {"v":2,"owner":"…","since":…,"sweep":{…},"seen":{…}}. P is the list
// position a sweep carries on from (a timestamp, an index, a page
// token); see [SweepPosition].
type RevisitWindow[P SweepPosition] struct {
	// Since is the oldest creation time (Unix seconds) of the items still
	// read: older items, and what is under them, are left alone.
	Since int64 `json:"since"`
	// Sweep is a pass over the list that a run left unfinished.
	Sweep *Sweep[P] `json:"sweep,omitempty"`
	// Seen holds, per item created since Since, the fingerprint of
	// everything returned of it, by ID.
	Seen map[string]*RevisitThread `json:"seen,omitempty"`
}

// SweepPosition is where an unfinished sweep carries on. SweepKey names
// it in the cursor's JSON ("until", "offset", "page_token"); the zero
// value means the top of the list and is left out of the JSON.
type SweepPosition interface {
	comparable
	SweepKey() string
}

// Sweep is a pass over the items created from Since to Start that a run
// could not finish. It reads as JSON {"start":…,"<key>":…} where key is
// P's SweepKey.
type Sweep[P SweepPosition] struct {
	// Start is when the pass began: items created after it are new, read
	// from the top of the list before the pass carries on.
	Start int64
	// At is where the pass carries on; zero: from the top.
	At P
}

// RevisitThread is what was returned of one item and what is under it.
type RevisitThread struct {
	// T is the item's creation time, Unix seconds.
	T int64 `json:"t"`
	// IDs maps the ID of each thing returned to its fingerprint.
	IDs map[string]string `json:"ids"`
}

// RevisitPass reads the items created from since on, newest first,
// starting at position from (zero: the top), with what is under them. It
// returns done when it reached since or the end of the list, else the
// position to carry on from (zero when it read nothing).
type RevisitPass[P SweepPosition] func(since int64, from P) (done bool, next P, err error)

// Run does one run's reading with pass: with no sweep left, one pass
// down to Since (leaving a sweep that began at now if it stops early);
// with a sweep, first what is new since the sweep began, then the rest of
// the sweep. It then moves Since up to revisit before the pass that
// finished, prunes Seen, and returns the error that stopped the passes,
// if any.
func (w *RevisitWindow[P]) Run(now time.Time, revisit time.Duration, pass RevisitPass[P]) error {
	var zero P
	var err error
	if sw := w.Sweep; sw != nil {
		var done bool
		if done, _, err = pass(sw.Start, zero); err == nil && done {
			var next P
			if done, next, err = pass(w.Since, sw.At); done {
				w.Since = max(w.Since, sw.Start-int64(revisit/time.Second))
				w.Sweep = nil
			} else if next != zero {
				sw.At = next
			}
		}
	} else {
		done, next, perr := pass(w.Since, zero)
		err = perr
		if done {
			w.Since = max(w.Since, now.Add(-revisit).Unix())
		} else {
			w.Sweep = &Sweep[P]{Start: now.Unix(), At: next}
		}
	}
	w.Prune()
	return err
}

// Thread returns the record of item id created at t, making it.
func (w *RevisitWindow[P]) Thread(id string, t int64) *RevisitThread {
	if w.Seen == nil {
		w.Seen = map[string]*RevisitThread{}
	}
	th := w.Seen[id]
	if th == nil {
		th = &RevisitThread{T: t, IDs: map[string]string{}}
		w.Seen[id] = th
	}
	return th
}

// Prune forgets the items created before Since, and those nothing was
// returned of.
func (w *RevisitWindow[P]) Prune() {
	for id, th := range w.Seen {
		if th.T < w.Since || len(th.IDs) == 0 {
			delete(w.Seen, id)
		}
	}
}

// Take records id with the fingerprint of text and reports whether it is
// to be returned: new, or edited (returned before with another text).
func (th *RevisitThread) Take(id, text string) (take, edited bool) {
	fp := Fingerprint(text)
	old, ok := th.IDs[id]
	if ok && old == fp {
		return false, false
	}
	th.IDs[id] = fp
	return true, ok
}

// Fingerprint is a short hash of an item's text: a different one means
// the item was edited.
func Fingerprint(text string) string {
	h := fnv.New32a()
	h.Write([]byte(text))
	return strconv.FormatUint(uint64(h.Sum32()), 16)
}

// sweepTypes caches, per P, the struct type Sweep[P] reads and writes as.
var sweepTypes sync.Map // reflect.Type of P → reflect.Type

// jsonType returns struct{Start int64 `json:"start"`; At P
// `json:"<key>,omitempty"`}, so a Sweep encodes exactly as a plain struct
// with those tags would (field order, omitempty, case-insensitive keys).
func (Sweep[P]) jsonType() reflect.Type {
	pt := reflect.TypeFor[P]()
	if t, ok := sweepTypes.Load(pt); ok {
		return t.(reflect.Type)
	}
	var zero P
	t := reflect.StructOf([]reflect.StructField{
		{Name: "Start", Type: reflect.TypeFor[int64](), Tag: `json:"start"`},
		{Name: "At", Type: pt, Tag: reflect.StructTag(`json:"` + zero.SweepKey() + `,omitempty"`)},
	})
	sweepTypes.Store(pt, t)
	return t
}

// MarshalJSON implements json.Marshaler.
func (s Sweep[P]) MarshalJSON() ([]byte, error) {
	v := reflect.New(s.jsonType()).Elem()
	v.Field(0).SetInt(s.Start)
	v.Field(1).Set(reflect.ValueOf(s.At))
	return json.Marshal(v.Interface())
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Sweep[P]) UnmarshalJSON(b []byte) error {
	v := reflect.New(s.jsonType())
	v.Elem().Field(0).SetInt(s.Start)
	v.Elem().Field(1).Set(reflect.ValueOf(s.At))
	if err := json.Unmarshal(b, v.Interface()); err != nil {
		return err
	}
	s.Start = v.Elem().Field(0).Int()
	s.At = v.Elem().Field(1).Interface().(P)
	return nil
}
