package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
	"github.com/earshot/earshot/store/storetest"
)

// failingExpirer is a memstore whose DropExpired calls fail up to the
// failUntil-th.
type failingExpirer struct {
	*memstore.Store
	mu               sync.Mutex
	failUntil, calls int
}

func (f *failingExpirer) DropExpired(ctx context.Context, now time.Time) ([]string, error) {
	f.mu.Lock()
	f.calls++
	fail := f.calls <= f.failUntil
	f.mu.Unlock()
	if fail {
		return nil, errors.New("store unreachable")
	}
	return f.Store.DropExpired(ctx, now)
}

// failNext makes the next DropExpired fail.
func (f *failingExpirer) failNext() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failUntil = f.calls + 1
}

// lockedBuffer is a log the job writes and the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// outcomes counts the runs Observe is told of.
type outcomes struct {
	mu       sync.Mutex
	ok, fail int
}

func (o *outcomes) observe(ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if ok {
		o.ok++
	} else {
		o.fail++
	}
}

func (o *outcomes) get() (ok, fail int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.ok, o.fail
}

// TestRetentionJob runs serve's retention on a store keeping posts 30
// days, on synctest's clock: the first run, at start, drops the posts
// older than that; a run that fails is logged and counted, and the next,
// an hour later, drops what expired meanwhile; the job ends with its
// context.
func TestRetentionJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		st := &failingExpirer{Store: memstore.NewRetained(earshot.Retention{Posts: 30 * 24 * time.Hour})}
		start := time.Now()
		old := storetest.NewPost("rss", "old", start.Add(-31*24*time.Hour)).Post()
		recent := storetest.NewPost("rss", "recent", start.Add(-29*24*time.Hour)).Post()
		if err := st.SavePosts(ctx, []earshot.Post{old, recent}); err != nil {
			t.Fatal(err)
		}
		var logs lockedBuffer
		var counted outcomes
		e := expirer{Store: st, Every: time.Hour, Now: time.Now,
			Log: slog.New(slog.NewTextHandler(&logs, nil)), Observe: counted.observe}
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		stored := func(p earshot.Post) bool {
			_, err := st.Post(ctx, p.ID)
			return err == nil
		}

		synctest.Wait()
		if stored(old) || !stored(recent) {
			t.Errorf("after the first run: old stored %v, recent stored %v; want only recent", stored(old), stored(recent))
		}
		if ok, fail := counted.get(); ok != 1 || fail != 0 {
			t.Errorf("after the first run: %d ok, %d failed; want 1 ok", ok, fail)
		}
		if !strings.Contains(logs.String(), `msg="dropped expired data" dropped="[posts: 1 created before`) {
			t.Errorf("the first run did not log what it dropped:\n%s", logs.String())
		}

		// The next run fails; the one after drops what expired since.
		st.failNext()
		time.Sleep(time.Hour)
		synctest.Wait()
		if ok, fail := counted.get(); ok != 1 || fail != 1 {
			t.Errorf("after a failed run: %d ok, %d failed; want 1 and 1", ok, fail)
		}
		if !strings.Contains(logs.String(), `level=ERROR msg="dropping expired data failed; trying again later" err="store unreachable" retry_in=1h0m0s`) {
			t.Errorf("the failed run was not logged:\n%s", logs.String())
		}
		time.Sleep(24 * time.Hour) // recent is 30 days old now, and a run is due
		synctest.Wait()
		if stored(recent) {
			t.Error("a post past the retention is still stored after the runs that followed a failure")
		}
		if ok, fail := counted.get(); ok != 25 || fail != 1 {
			t.Errorf("after a day: %d ok, %d failed; want 25 (the first, then one an hour) and 1", ok, fail)
		}

		cancel()
		<-done
	})
}

// TestStartRetention: serve starts the job only for a store with a
// retention.
func TestStartRetention(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    earshot.Retention
		runs int
	}{
		{"kept for ever", earshot.Retention{}, 0},
		{"retention", earshot.Retention{Posts: 30 * 24 * time.Hour}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				var logs lockedBuffer
				s := &Server{st: memstore.NewRetained(tc.r), log: slog.New(slog.NewTextHandler(&logs, nil))}
				var counted outcomes
				s.startRetention(ctx, counted.observe)
				synctest.Wait()
				if ok, _ := counted.get(); ok != tc.runs {
					t.Errorf("%d runs at start, want %d", ok, tc.runs)
				}
				if on := strings.Contains(logs.String(), `msg="retention on" part=retention posts=720h0m0s rollups=720h0m0s every=1h0m0s`); on != (tc.runs > 0) {
					t.Errorf("logged the retention %v, want %v:\n%s", on, tc.runs > 0, logs.String())
				}
				cancel()
				s.wg.Wait()
			})
		})
	}
}
