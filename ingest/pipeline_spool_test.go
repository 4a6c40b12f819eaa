package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
	"github.com/earshot/earshot/spool"
	"github.com/earshot/earshot/store/memstore"
)

// faultStore is the in-memory store, whose saves store, refuse or hang
// as the test sets it, counting the rows it took.
type faultStore struct {
	*memstore.Store
	mu     sync.Mutex
	mode   string // "", "refuse" or "hang"
	rows   int
	hangCh chan struct{} // closed to end a hang
}

func newFaultStore() *faultStore {
	return &faultStore{Store: memstore.New(), hangCh: make(chan struct{})}
}

func (f *faultStore) set(mode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mode == "hang" && mode != "hang" {
		close(f.hangCh)
		f.hangCh = make(chan struct{})
	}
	f.mode = mode
}

func (f *faultStore) SavePosts(ctx context.Context, posts []earshot.Post) error {
	f.mu.Lock()
	mode, hang := f.mode, f.hangCh
	f.mu.Unlock()
	switch mode {
	case "refuse":
		return errors.New("connection refused")
	case "hang":
		select {
		case <-hang:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := f.Store.SavePosts(ctx, posts); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows += len(posts)
	return nil
}

// count returns how many posts are stored and how many rows were saved
// (a post saved twice is two rows).
func (f *faultStore) count(t testing.TB) (distinct, rows int) {
	t.Helper()
	n, err := f.CountPosts(t.Context(), earshot.PostQuery{To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return int(n), f.rows
}

func posts(from, to int) []earshot.Post {
	var out []earshot.Post
	for i := from; i < to; i++ {
		out = append(out, earshot.Post{ID: fmt.Sprintf("push:%d", i), Source: "push", Kind: earshot.KindPost, Text: fmt.Sprintf("post number %d", i), CreatedAt: time.Date(2026, 3, 2, 10, 0, i, 0, time.UTC)})
	}
	return out
}

func openSpool(t *testing.T, dir string, opts spool.Options) *spool.Spool {
	t.Helper()
	s, err := spool.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A post Add returned nil for survives a crash before any flush: the next
// start recovers it from the spool and stores it once.
func TestDurableAddSurvivesCrash(t *testing.T) {
	dir := t.TempDir()
	st := newFaultStore()
	p := ingest.NewPipeline(st, nil, nil, ingest.PipelineOptions{BatchSize: 100, Spool: openSpool(t, dir, spool.Options{})})
	for i := 0; i < 50; i += 10 {
		if err := p.Add(t.Context(), posts(i, i+10)...); err != nil {
			t.Fatal(err)
		}
	}
	if _, rows := st.count(t); rows != 0 {
		t.Fatalf("stored %d before any flush; Add must not flush inline with a spool", rows)
	}
	// "Crash": the first pipeline is abandoned, its spool left open.
	st2 := newFaultStore()
	sp2 := openSpool(t, dir, spool.Options{})
	p2 := ingest.NewPipeline(st2, nil, nil, ingest.PipelineOptions{BatchSize: 100, Spool: sp2})
	n, err := p2.Recover(t.Context())
	if err != nil || n != 50 {
		t.Fatalf("Recover = %d, %v; want 50", n, err)
	}
	// A post sent again by a pusher that got no answer is pending, so a
	// duplicate: not stored twice.
	if err := p2.Add(t.Context(), posts(45, 55)...); err != nil {
		t.Fatal(err)
	}
	if err := p2.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	distinct, rows := st2.count(t)
	if distinct != 55 || rows != 55 {
		t.Errorf("stored %d rows of %d posts, want 55 of 55", rows, distinct)
	}
	s := p2.Stats()
	if s.Replayed != 50 || s.Duplicates != 5 || s.Stored != 55 {
		t.Errorf("stats = %+v", s)
	}
	if ss := sp2.SpoolStats(); ss.Records != 0 || ss.Bytes != 0 {
		t.Errorf("spool after storing all: %+v", ss)
	}
}

// With the store refusing, Add keeps taking posts until the buffer bound,
// then refuses with ErrBusy and a wait; nothing is dropped, and once the
// store is back every post taken is stored once.
func TestDurableBackpressure(t *testing.T) {
	dir := t.TempDir()
	st := newFaultStore()
	st.set("refuse")
	sp := openSpool(t, dir, spool.Options{})
	p := ingest.NewPipeline(st, nil, nil, ingest.PipelineOptions{BatchSize: 10, MaxPending: 45, FlushInterval: 3 * time.Second, Spool: sp})
	accepted := 0
	var busy error
	for i := 0; i < 100; i += 10 {
		err := p.Add(t.Context(), posts(i, i+10)...)
		if err != nil {
			busy = err
			break
		}
		accepted += 10
		if err := p.Flush(t.Context()); err == nil {
			t.Fatal("Flush succeeded with the store refusing")
		}
	}
	if accepted != 40 {
		t.Errorf("accepted %d posts, want 40 (bound 45, batches of 10)", accepted)
	}
	var be *earshot.BusyError
	if !errors.Is(busy, earshot.ErrBusy) || !errors.As(busy, &be) || be.RetryAfter() != 3*time.Second {
		t.Fatalf("Add over the bound = %v, want a BusyError with a 3s wait", busy)
	}
	s := p.Stats()
	if s.Dropped != 0 || s.Pending != 40 || s.Refused != 10 {
		t.Errorf("while refusing: %+v", s)
	}
	// The refused batch is not remembered: sent again later, it is taken.
	st.set("")
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := p.Add(t.Context(), posts(40, 50)...); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if distinct, rows := st.count(t); distinct != 50 || rows != 50 {
		t.Errorf("stored %d rows of %d posts, want 50 of 50", rows, distinct)
	}
	if ss := sp.SpoolStats(); ss.Records != 0 {
		t.Errorf("spool after catching up: %+v", ss)
	}
}

func TestDurableSpoolFull(t *testing.T) {
	st := newFaultStore()
	st.set("refuse")
	sp := openSpool(t, t.TempDir(), spool.Options{MaxBytes: 8 << 10})
	p := ingest.NewPipeline(st, nil, nil, ingest.PipelineOptions{BatchSize: 1000, Spool: sp})
	var err error
	taken := 0
	for i := 0; err == nil && i < 1000; i += 10 {
		if err = p.Add(t.Context(), posts(i, i+10)...); err == nil {
			taken += 10
		}
	}
	if !errors.Is(err, earshot.ErrBusy) {
		t.Fatalf("Add into a full spool = %v, want ErrBusy", err)
	}
	// A refusal is not mixed with rejections, which callers take for
	// "the rest was taken".
	bad := earshot.Post{ID: "push:bad", Source: "push", Kind: earshot.KindPost}
	if err := p.Add(t.Context(), append(posts(2000, 2010), bad)...); !errors.Is(err, earshot.ErrBusy) || errors.Is(err, earshot.ErrRejected) {
		t.Errorf("refused Add with an invalid post = %v, want ErrBusy alone", err)
	}
	if ss := sp.SpoolStats(); ss.Full != 2 || ss.Bytes > 8<<10 {
		t.Errorf("spool = %+v", ss)
	}
	if got := p.Stats().Pending; got != int64(taken) {
		t.Errorf("Pending = %d, want the %d taken", got, taken)
	}
}

// A hanging store neither blocks Add nor holds a shutdown past its drain
// time; what it did not take stays spooled and the next start stores it.
func TestDurableStoreHangs(t *testing.T) {
	dir := t.TempDir()
	st := newFaultStore()
	st.set("hang")
	sp := openSpool(t, dir, spool.Options{})
	p := ingest.NewPipeline(st, nil, nil, ingest.PipelineOptions{BatchSize: 10, FlushInterval: time.Hour, Spool: sp})
	ctx, cancel := context.WithCancel(t.Context())
	runDone := make(chan error, 1)
	go func() { runDone <- p.Run(ctx, 50*time.Millisecond) }()
	// A full batch wakes Run, whose flush hangs; later Adds still return.
	for i := 0; i < 60; i += 10 {
		if err := p.Add(t.Context(), posts(i, i+10)...); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	if err := p.Add(t.Context(), posts(60, 61)...); !errors.Is(err, earshot.ErrBusy) {
		t.Errorf("Add after Close = %v, want ErrBusy", err)
	}
	cancel()
	if err := <-runDone; err != nil {
		t.Errorf("Run = %v; with a spool, posts left are kept, not an error", err)
	}
	sp.Close()

	st2 := newFaultStore()
	p2 := ingest.NewPipeline(st2, nil, nil, ingest.PipelineOptions{Spool: openSpool(t, dir, spool.Options{})})
	if n, err := p2.Recover(t.Context()); err != nil || n != 60 {
		t.Fatalf("Recover = %d, %v; want 60", n, err)
	}
	if err := p2.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if distinct, rows := st2.count(t); distinct != 60 || rows != 60 {
		t.Errorf("stored %d rows of %d posts, want 60 of 60", rows, distinct)
	}
	st.set("") // end the abandoned hang
}

// Seen means stored: a post dropped while the store failed (no spool) is
// not taken for a duplicate when it comes again.
func TestSeenMeansStored(t *testing.T) {
	st := newFaultStore()
	st.set("refuse")
	p := ingest.NewPipeline(st, nil, nil, ingest.PipelineOptions{BatchSize: 2, MaxPending: 2})
	if err := p.Add(t.Context(), posts(0, 4)...); err == nil {
		t.Fatal("Add flushed into a refusing store without error")
	}
	if s := p.Stats(); s.Dropped != 2 {
		t.Fatalf("stats = %+v, want 2 dropped", s)
	}
	st.set("")
	if err := p.Add(t.Context(), posts(0, 4)...); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if distinct, _ := st.count(t); distinct != 4 {
		t.Errorf("stored %d distinct posts, want all 4", distinct)
	}
	// Once stored, a repeat is a duplicate.
	if err := p.Add(t.Context(), posts(0, 1)...); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Duplicates != 3 {
		t.Errorf("Duplicates = %d, want 3 (2 pending repeats, 1 stored repeat)", s.Duplicates)
	}
}

// BenchmarkAdd measures Add of a 50-post batch (as one push), with and
// without a spool (the spool fsyncs every call); the store is the
// in-memory store and Flush runs every 10 batches.
func BenchmarkAdd(b *testing.B) {
	for _, durable := range []bool{false, true} {
		name := "memory"
		if durable {
			name = "spool"
		}
		b.Run(name, func(b *testing.B) {
			opts := ingest.PipelineOptions{BatchSize: 500}
			if durable {
				sp, err := spool.Open(b.TempDir(), spool.Options{})
				if err != nil {
					b.Fatal(err)
				}
				defer sp.Close()
				opts.Spool = sp
			}
			p := ingest.NewPipeline(newFaultStore(), nil, nil, opts)
			n := 0
			for i := 0; b.Loop(); i++ {
				if err := p.Add(b.Context(), posts(n, n+50)...); err != nil {
					b.Fatal(err)
				}
				n += 50
				if i%10 == 9 {
					if err := p.Flush(b.Context()); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
