package spool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

type rec struct {
	seq     uint64
	payload string
}

func replay(t *testing.T, s *Spool) []rec {
	t.Helper()
	var got []rec
	if err := s.Replay(func(seq uint64, p []byte) error {
		got = append(got, rec{seq, string(p)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func appendN(t *testing.T, s *Spool, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if _, err := s.Append(fmt.Appendf(nil, "record %d", i)); err != nil {
			t.Fatal(err)
		}
	}
}

func open(t *testing.T, dir string, opts Options) *Spool {
	t.Helper()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReplayAfterReopen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentBytes: 4 << 10})
	// ~30 bytes a record: 500 records span several 4 KiB segments.
	appendN(t, s, 0, 500)
	if err := s.Ack(120); err != nil {
		t.Fatal(err)
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	if len(segs) < 3 {
		t.Fatalf("%d segments, want several", len(segs))
	}
	st := s.SpoolStats()
	if st.Records != 380 {
		t.Errorf("Records = %d, want 380", st.Records)
	}
	s.Close()

	s2 := open(t, dir, Options{SegmentBytes: 4 << 10})
	got := replay(t, s2)
	if len(got) != 380 || got[0] != (rec{121, "record 120"}) || got[379] != (rec{500, "record 499"}) {
		t.Fatalf("replayed %d records, first %v last %v", len(got), got[0], got[len(got)-1])
	}
	for i := 1; i < len(got); i++ {
		if got[i].seq != got[i-1].seq+1 {
			t.Fatalf("out of order at %d: %v after %v", i, got[i], got[i-1])
		}
	}
	// New records continue the numbering.
	seq, err := s2.Append([]byte("after"))
	if err != nil || seq != 501 {
		t.Fatalf("Append after reopen = %d, %v; want 501", seq, err)
	}
}

func TestAckAllRemovesSegments(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentBytes: 4 << 10})
	appendN(t, s, 0, 300)
	if err := s.Ack(300); err != nil {
		t.Fatal(err)
	}
	st := s.SpoolStats()
	if st.Records != 0 || st.Bytes != 0 || !st.Oldest.IsZero() {
		t.Errorf("after acking all: %+v", st)
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	if len(segs) != 1 {
		t.Errorf("%d segment files left, want the one empty active segment", len(segs))
	}
	seq, err := s.Append([]byte("x"))
	if err != nil || seq != 301 {
		t.Fatalf("Append = %d, %v; want 301", seq, err)
	}
	s.Close()
	if got := replay(t, open(t, dir, Options{})); len(got) != 1 || got[0] != (rec{301, "x"}) {
		t.Errorf("replay = %v", got)
	}
}

func TestPartialAckSkippedOnReplay(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	appendN(t, s, 0, 10)
	if err := s.Ack(4); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got := replay(t, open(t, dir, Options{}))
	if len(got) != 6 || got[0].seq != 5 {
		t.Errorf("replay = %v, want records 5..10", got)
	}
}

func TestTornTailCut(t *testing.T) {
	for _, tc := range []struct {
		name string
		harm func(t *testing.T, path string, size int64)
	}{
		{"half a record", func(t *testing.T, path string, size int64) {
			// The last record is 16+9 bytes: keep 10 of them.
			if err := os.Truncate(path, size-15); err != nil {
				t.Fatal(err)
			}
		}},
		{"garbage after", func(t *testing.T, path string, size int64) {
			f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			f.Write([]byte{9, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0})
			f.Close()
		}},
		{"zeroed tail", func(t *testing.T, path string, size int64) {
			f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			f.Write(make([]byte, 40))
			f.Close()
		}},
		{"flipped byte in last record", func(t *testing.T, path string, size int64) {
			b, _ := os.ReadFile(path)
			b[size-2] ^= 0xff
			os.WriteFile(path, b, 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir, Options{})
			appendN(t, s, 0, 5)
			s.Close()
			path := filepath.Join(dir, segName(1))
			fi, _ := os.Stat(path)
			tc.harm(t, path, fi.Size())

			s2 := open(t, dir, Options{})
			st := s2.SpoolStats()
			if st.TornTails != 1 || st.CutBytes == 0 {
				t.Errorf("TornTails = %d, CutBytes = %d; want 1 cut", st.TornTails, st.CutBytes)
			}
			got := replay(t, s2)
			want := 5
			if tc.name == "half a record" || tc.name == "flipped byte in last record" {
				want = 4
			}
			if len(got) != want {
				t.Fatalf("replayed %d records, want %d: %v", len(got), want, got)
			}
			// Appends go after the last whole record, and survive a reopen.
			seq, err := s2.Append([]byte("next"))
			if err != nil || seq != uint64(want+1) {
				t.Fatalf("Append = %d, %v", seq, err)
			}
			s2.Close()
			s3 := open(t, dir, Options{})
			if st := s3.SpoolStats(); st.TornTails != 0 {
				t.Errorf("second open cut again: %+v", st)
			}
			if got := replay(t, s3); len(got) != want+1 || got[want].payload != "next" {
				t.Errorf("replay after append = %v", got)
			}
		})
	}
}

func TestFull(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{MaxBytes: 1000, SegmentBytes: 4 << 10})
	payload := make([]byte, 84) // 100 bytes a record
	for i := range 10 {
		if _, err := s.Append(payload); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	_, err := s.Append(payload)
	if !errors.Is(err, earshot.ErrSpoolFull) {
		t.Fatalf("Append over the bound = %v, want ErrSpoolFull", err)
	}
	if st := s.SpoolStats(); st.Bytes != 1000 || st.Full != 1 || st.Records != 10 {
		t.Errorf("stats = %+v", st)
	}
	if err := s.Ack(10); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(payload); err != nil {
		t.Errorf("Append after ack: %v", err)
	}
}

func TestBoundCountsDisk(t *testing.T) {
	// Acknowledged records in a segment still written to take room until
	// the segment goes: the bound is on disk, not on depth.
	dir := t.TempDir()
	s := open(t, dir, Options{MaxBytes: 64 << 10, SegmentBytes: 8 << 10})
	payload := make([]byte, 1000)
	n := 0
	for {
		if _, err := s.Append(payload); err != nil {
			if !errors.Is(err, earshot.ErrSpoolFull) {
				t.Fatal(err)
			}
			break
		}
		n++
	}
	var size int64
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	for _, p := range segs {
		fi, _ := os.Stat(p)
		size += fi.Size()
	}
	if size > 64<<10 || size != s.SpoolStats().Bytes {
		t.Errorf("on disk %d bytes, stats %d, bound %d", size, s.SpoolStats().Bytes, 64<<10)
	}
	// Acking the first half frees the closed segments among them.
	if err := s.Ack(uint64(n / 2)); err != nil {
		t.Fatal(err)
	}
	if st := s.SpoolStats(); st.Bytes >= size || st.Records != int64(n-n/2) {
		t.Errorf("after acking half: %+v (was %d bytes)", st, size)
	}
}

func TestOldest(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	dir := t.TempDir()
	s := open(t, dir, Options{Now: clock})
	s.Append([]byte("a"))
	now = now.Add(time.Minute)
	s.Append([]byte("b"))
	if got := s.SpoolStats().Oldest; !got.Equal(now.Add(-time.Minute)) {
		t.Errorf("Oldest = %v", got)
	}
	s.Ack(1)
	if got := s.SpoolStats().Oldest; !got.Equal(now) {
		t.Errorf("Oldest after ack = %v", got)
	}
	s.Close()
	// The write time survives a reopen.
	if got := open(t, dir, Options{}).SpoolStats().Oldest; !got.Equal(now) {
		t.Errorf("Oldest after reopen = %v, want %v", got, now)
	}
}

// BenchmarkAppend measures one durable append (write + fsync) of a batch
// of 50 posts' worth of JSON (about 12 KiB), acknowledged every 100.
func BenchmarkAppend(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	payload := make([]byte, 12<<10)
	b.SetBytes(int64(len(payload)))
	for i := 0; b.Loop(); i++ {
		seq, err := s.Append(payload)
		if err != nil {
			b.Fatal(err)
		}
		if i%100 == 99 {
			s.Ack(seq)
		}
	}
}
