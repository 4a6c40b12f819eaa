package earshot

import (
	"errors"
	"time"
)

// Spool is a durable, ordered log of posts taken but not yet stored: the
// pipeline writes each batch it takes to the spool before acknowledging
// it (a collector saves its cursor, a pusher gets 2xx), and drops the
// batch from the spool once the store holds it. On restart what the spool
// still holds is stored again, in order (stores are idempotent, so a batch
// stored just before a crash is not duplicated). package spool implements
// it on disk.
type Spool interface {
	// Append writes one record and returns its sequence number (greater
	// than every one before it) only once the record is durable (fsynced).
	// When the record would take the spool over its size bound it writes
	// nothing and returns an error wrapping ErrSpoolFull.
	Append(payload []byte) (seq uint64, err error)
	// Ack says every record up to and including seq is stored: the spool
	// may forget them.
	Ack(seq uint64) error
	// Replay calls fn with every record not acknowledged, oldest first.
	Replay(fn func(seq uint64, payload []byte) error) error
	// SpoolStats reports depth and size.
	SpoolStats() SpoolStats
}

// SpoolStats is what a spool holds, for /metrics.
type SpoolStats struct {
	// Records not yet acknowledged (one per batch taken; the pipeline's
	// Pending counts their posts).
	Records int64 `json:"records"`
	// Bytes on disk, and the bound on them.
	Bytes    int64 `json:"bytes"`
	MaxBytes int64 `json:"max_bytes"`
	// Oldest is when the oldest record not acknowledged was written (zero
	// when none is).
	Oldest time.Time `json:"oldest,omitzero"`
	// TornTails counts damaged records cut off the spool when it was
	// opened (a crash during a write leaves one); CutBytes their bytes.
	TornTails int64 `json:"torn_tails"`
	CutBytes  int64 `json:"cut_bytes"`
	// Full counts appends refused because the spool was full.
	Full int64 `json:"full"`
}

// ErrSpoolFull: the spool holds as much as it may; retry once the store
// has caught up.
var ErrSpoolFull = errors.New("spool full")

// ErrBusy: the pipeline cannot take posts now (its spool or its buffer is
// full because the store is slow or down, or it is shutting down). Nothing
// of the refused batch was kept; send it again after RetryAfter. Errors
// returned by ingest.Pipeline.Add that wrap it are a *BusyError.
var ErrBusy = errors.New("busy: cannot take posts now")

// BusyError is a refusal to take posts, with how long to wait.
type BusyError struct {
	Reason string
	After  time.Duration
}

func (e *BusyError) Error() string {
	return "busy: " + e.Reason + "; retry in " + e.After.String()
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// RetryAfter is how long to wait before sending again.
func (e *BusyError) RetryAfter() time.Duration { return e.After }
