// Package spool is Earshot's write-ahead log of posts taken but not yet
// stored (earshot.Spool), in a directory of its own:
//
//	00000000000000000001.seg   records 1.. (the first sequence number names the file)
//	00000000000000000734.seg   records 734..
//	acked                      the last sequence number known stored
//
// A record is a 16-byte header — payload length (uint32), CRC-32C of the
// time and payload (uint32), write time in Unix nanoseconds (int64), all
// little-endian — then the payload. Append writes a record and fsyncs the
// segment before it returns (and the directory, when it started a new
// segment). Ack deletes the segments wholly acknowledged, and all of them
// once everything is. Open checks every record's length and checksum; at
// the first damaged one (a crash mid-write leaves a torn tail) it cuts the
// segment there and counts it, so a torn tail never blocks a restart.
//
// Why not a library: github.com/tidwall/wal (v1.2.1), the best kept Go
// write-ahead log, frames records with a length but no checksum, and
// fails Open with ErrCorrupt on a torn last record instead of cutting it,
// so the spool would have needed its own checksums and its own repair of
// the library's files; what is left is two hundred lines.
package spool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// Options tune a spool. The zero value of each field takes the default
// named in its comment.
type Options struct {
	// MaxBytes bounds the spool's size on disk (256 MiB). An Append that
	// would pass it is refused with earshot.ErrSpoolFull.
	MaxBytes int64
	// SegmentBytes is the size at which a new segment file is started
	// (MaxBytes/8, at most 16 MiB).
	SegmentBytes int64
	Now          func() time.Time
}

const (
	headerSize = 16
	ackedFile  = "acked"
	segSuffix  = ".seg"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Spool is an on-disk earshot.Spool. Its methods may be called from many
// goroutines.
type Spool struct {
	dir  string
	opts Options

	mu       sync.Mutex
	segs     []*segment // oldest first; the last is the one written
	active   *os.File
	next     uint64 // the sequence number of the next record
	acked    uint64
	pending  []entry // records not acknowledged, oldest first
	bytes    int64
	torn     int64
	cutBytes int64
	full     int64
}

type segment struct {
	first, last uint64 // last < first: empty
	path        string
	size        int64
}

type entry struct {
	seq uint64
	at  time.Time
}

var _ earshot.Spool = (*Spool)(nil)

// Open opens the spool in dir, creating dir if needed, and checks every
// record, cutting damaged ones off (see SpoolStats.TornTails).
func Open(dir string, opts Options) (*Spool, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 256 << 20
	}
	if opts.SegmentBytes <= 0 {
		opts.SegmentBytes = min(opts.MaxBytes/8, 16<<20)
	}
	opts.SegmentBytes = max(opts.SegmentBytes, 4<<10)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("opening spool: %w", err)
	}
	s := &Spool{dir: dir, opts: opts, next: 1}
	s.acked = readAcked(filepath.Join(dir, ackedFile))
	names, err := filepath.Glob(filepath.Join(dir, "*"+segSuffix))
	if err != nil {
		return nil, fmt.Errorf("opening spool: %w", err)
	}
	var firsts []uint64
	for _, name := range names {
		first, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(name), segSuffix), 10, 64)
		if err != nil || first == 0 {
			continue // not ours
		}
		firsts = append(firsts, first)
	}
	slices.Sort(firsts)
	for _, first := range firsts {
		if first < s.next {
			return nil, fmt.Errorf("opening spool: segment %s overlaps the one before it; move it away", segName(first))
		}
		seg := &segment{first: first, path: filepath.Join(dir, segName(first))}
		if err := s.scan(seg); err != nil {
			return nil, err
		}
		s.segs = append(s.segs, seg)
		s.bytes += seg.size
		s.next = seg.last + 1
	}
	s.next = max(s.next, s.acked+1)
	if err := s.ack(s.acked); err != nil {
		return nil, err
	}
	if s.active == nil {
		if len(s.segs) == 0 {
			if err := s.startSegment(); err != nil {
				return nil, err
			}
		} else {
			// Append to the last segment, after its last whole record.
			seg := s.segs[len(s.segs)-1]
			f, err := os.OpenFile(seg.path, os.O_WRONLY, 0)
			if err != nil {
				return nil, fmt.Errorf("opening spool: %w", err)
			}
			if _, err := f.Seek(seg.size, io.SeekStart); err != nil {
				f.Close()
				return nil, fmt.Errorf("opening spool: %w", err)
			}
			s.active = f
		}
	}
	return s, nil
}

func segName(first uint64) string { return fmt.Sprintf("%020d%s", first, segSuffix) }

// scan reads a segment's records, cuts it at the first damaged one and
// notes the records not acknowledged.
func (s *Spool) scan(seg *segment) error {
	f, err := os.OpenFile(seg.path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("opening spool segment: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("reading spool segment %s: %w", seg.path, err)
	}
	seq, off := seg.first, 0
	for off < len(data) {
		_, at, n := decode(data[off:])
		if n == 0 {
			break
		}
		if seq > s.acked {
			s.pending = append(s.pending, entry{seq: seq, at: at})
		}
		seq++
		off += n
	}
	if off < len(data) {
		if err := f.Truncate(int64(off)); err != nil {
			return fmt.Errorf("cutting torn tail of %s: %w", seg.path, err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("cutting torn tail of %s: %w", seg.path, err)
		}
		s.torn++
		s.cutBytes += int64(len(data) - off)
	}
	seg.last, seg.size = seq-1, int64(off)
	return nil
}

// decode reads the record at the start of b: its payload, time and
// length; n is 0 when the record is incomplete or damaged.
func decode(b []byte) (payload []byte, at time.Time, n int) {
	if len(b) < headerSize {
		return nil, time.Time{}, 0
	}
	size := binary.LittleEndian.Uint32(b[0:4])
	if uint64(size) > uint64(len(b)-headerSize) {
		return nil, time.Time{}, 0
	}
	sum := binary.LittleEndian.Uint32(b[4:8])
	body := b[8 : headerSize+int(size)]
	if crc32.Checksum(body, crcTable) != sum {
		return nil, time.Time{}, 0
	}
	at = time.Unix(0, int64(binary.LittleEndian.Uint64(b[8:16])))
	return b[headerSize : headerSize+int(size)], at, headerSize + int(size)
}

func encode(payload []byte, at time.Time) []byte {
	rec := make([]byte, headerSize+len(payload))
	binary.LittleEndian.PutUint32(rec[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint64(rec[8:16], uint64(at.UnixNano()))
	copy(rec[headerSize:], payload)
	binary.LittleEndian.PutUint32(rec[4:8], crc32.Checksum(rec[8:], crcTable))
	return rec
}

// startSegment starts a new segment for the next record. The caller holds
// mu (or is Open).
func (s *Spool) startSegment() error {
	if s.active != nil {
		if err := s.active.Close(); err != nil {
			return fmt.Errorf("closing spool segment: %w", err)
		}
		s.active = nil
	}
	seg := &segment{first: s.next, last: s.next - 1, path: filepath.Join(s.dir, segName(s.next))}
	f, err := os.OpenFile(seg.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("starting spool segment: %w", err)
	}
	if err := syncDir(s.dir); err != nil {
		f.Close()
		return fmt.Errorf("starting spool segment: %w", err)
	}
	s.active = f
	s.segs = append(s.segs, seg)
	return nil
}

// Append implements earshot.Spool.
func (s *Spool) Append(payload []byte) (uint64, error) {
	if int64(len(payload)) > int64(^uint32(0)) {
		return 0, errors.New("spool record too large")
	}
	now := s.opts.Now()
	rec := encode(payload, now)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active == nil {
		return 0, errors.New("spool closed")
	}
	if s.bytes+int64(len(rec)) > s.opts.MaxBytes {
		s.full++
		return 0, fmt.Errorf("%w: %d of %d bytes used", earshot.ErrSpoolFull, s.bytes, s.opts.MaxBytes)
	}
	seg := s.segs[len(s.segs)-1]
	if seg.size > 0 && seg.size+int64(len(rec)) > s.opts.SegmentBytes {
		if err := s.startSegment(); err != nil {
			return 0, err
		}
		seg = s.segs[len(s.segs)-1]
	}
	if _, err := s.active.Write(rec); err != nil {
		// Leave no partial record behind for the next one to follow.
		_ = s.active.Truncate(seg.size)
		_, _ = s.active.Seek(seg.size, io.SeekStart)
		return 0, fmt.Errorf("writing to spool: %w", err)
	}
	if err := s.active.Sync(); err != nil {
		_ = s.active.Truncate(seg.size)
		_, _ = s.active.Seek(seg.size, io.SeekStart)
		return 0, fmt.Errorf("syncing spool: %w", err)
	}
	seq := s.next
	s.next++
	seg.last = seq
	seg.size += int64(len(rec))
	s.bytes += int64(len(rec))
	s.pending = append(s.pending, entry{seq: seq, at: now})
	return seq, nil
}

// Ack implements earshot.Spool.
func (s *Spool) Ack(seq uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq <= s.acked {
		return nil
	}
	return s.ack(min(seq, s.next-1))
}

// ack forgets the records up to seq and deletes the segments that hold
// nothing else; when nothing is left it starts afresh. The caller holds mu
// (or is Open).
func (s *Spool) ack(seq uint64) error {
	s.acked = max(s.acked, seq)
	i := 0
	for i < len(s.pending) && s.pending[i].seq <= s.acked {
		i++
	}
	s.pending = append(s.pending[:0], s.pending[i:]...)
	if len(s.pending) == 0 && s.bytes > 0 {
		// Everything is stored: drop every segment, the active one too.
		if s.active != nil {
			s.active.Close()
			s.active = nil
		}
		for _, seg := range s.segs {
			if err := os.Remove(seg.path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("removing stored spool segment: %w", err)
			}
		}
		s.segs, s.bytes = nil, 0
		_ = os.Remove(filepath.Join(s.dir, ackedFile))
		return s.startSegment()
	}
	// Drop the closed segments wholly acknowledged.
	keep := s.segs[:0]
	for j, seg := range s.segs {
		if j < len(s.segs)-1 && seg.last <= s.acked {
			if err := os.Remove(seg.path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("removing stored spool segment: %w", err)
			}
			s.bytes -= seg.size
			continue
		}
		keep = append(keep, seg)
	}
	s.segs = keep
	// The acked mark spares a restart storing again what a partly stored
	// segment holds. It needs no fsync: lost, the store's idempotence
	// covers the replay.
	return writeAcked(filepath.Join(s.dir, ackedFile), s.acked)
}

// Replay implements earshot.Spool. Call it before appending.
func (s *Spool) Replay(fn func(seq uint64, payload []byte) error) error {
	s.mu.Lock()
	segs := slices.Clone(s.segs)
	acked := s.acked
	s.mu.Unlock()
	for _, seg := range segs {
		if seg.last < seg.first || seg.last <= acked {
			continue
		}
		data, err := os.ReadFile(seg.path)
		if err != nil {
			return fmt.Errorf("replaying spool: %w", err)
		}
		data = data[:min(int64(len(data)), seg.size)]
		seq := seg.first
		for off := 0; off < len(data); seq++ {
			payload, _, n := decode(data[off:])
			if n == 0 {
				return fmt.Errorf("replaying spool: record %d of %s damaged since open", seq, seg.path)
			}
			off += n
			if seq <= acked {
				continue
			}
			if err := fn(seq, payload); err != nil {
				return err
			}
		}
	}
	return nil
}

// SpoolStats implements earshot.Spool.
func (s *Spool) SpoolStats() earshot.SpoolStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := earshot.SpoolStats{
		Records: int64(len(s.pending)), Bytes: s.bytes, MaxBytes: s.opts.MaxBytes,
		TornTails: s.torn, CutBytes: s.cutBytes, Full: s.full,
	}
	if len(s.pending) > 0 {
		st.Oldest = s.pending[0].at
	}
	return st
}

// Close closes the spool; what it holds stays on disk for the next Open.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active == nil {
		return nil
	}
	err := s.active.Close()
	s.active = nil
	return err
}

func readAcked(path string) uint64 {
	b, err := os.ReadFile(path)
	if err != nil || len(b) != 12 {
		return 0
	}
	if crc32.Checksum(b[:8], crcTable) != binary.LittleEndian.Uint32(b[8:]) {
		return 0
	}
	return binary.LittleEndian.Uint64(b[:8])
}

func writeAcked(path string, seq uint64) error {
	var b [12]byte
	binary.LittleEndian.PutUint64(b[:8], seq)
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b[:8], crcTable))
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b[:], 0o600); err != nil {
		return fmt.Errorf("marking spool records stored: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("marking spool records stored: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
