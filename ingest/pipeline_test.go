package ingest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// savingStore is the in-memory store, remembering the IDs of the posts it
// took, in order (a post saved twice is there twice); fail, when set,
// refuses every save.
type savingStore struct {
	*memstore.Store
	mu    sync.Mutex
	fail  error
	saved []string
}

func newStore() *savingStore { return &savingStore{Store: memstore.New()} }

func (s *savingStore) SavePosts(ctx context.Context, posts []earshot.Post) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	if err := s.Store.SavePosts(ctx, posts); err != nil {
		return err
	}
	for _, p := range posts {
		s.saved = append(s.saved, p.ID)
	}
	return nil
}

func (s *savingStore) setFail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

// all returns the stored version of each post saved, in the order saved.
func (s *savingStore) all(t *testing.T) []earshot.Post {
	t.Helper()
	s.mu.Lock()
	ids := slices.Clone(s.saved)
	s.mu.Unlock()
	out := make([]earshot.Post, 0, len(ids))
	for _, id := range ids {
		p, err := s.Post(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// wordScorer scores "bad" texts -1 and everything else +1, counting calls.
type wordScorer struct {
	mu    sync.Mutex
	texts int
}

func (w *wordScorer) Score(_ context.Context, texts []string) ([]earshot.Sentiment, error) {
	w.mu.Lock()
	w.texts += len(texts)
	w.mu.Unlock()
	out := make([]earshot.Sentiment, len(texts))
	for i, t := range texts {
		out[i] = earshot.Sentiment{Score: 1, Label: earshot.Positive}
		if strings.Contains(t, "bad") {
			out[i] = earshot.Sentiment{Score: -1, Label: earshot.Negative}
		}
	}
	return out, nil
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func post(id, text string) earshot.Post {
	return earshot.Post{ID: id, Source: "test", Text: text, CreatedAt: t0, CollectedAt: t0}
}

func TestPipelineFlow(t *testing.T) {
	store := newStore()
	scorer := &wordScorer{}
	p := NewPipeline(store, scorer, []earshot.Watch{{Name: "acme", Terms: []string{"Acme"}}}, PipelineOptions{BatchSize: 3})
	ctx := t.Context()

	err := p.Add(ctx,
		post("test:1", "<p>Acme is <b>bad</b></p>"),
		post("test:2", "unrelated but fine"),
		post("test:1", "<p>Acme is <b>bad</b></p>"), // exact repeat
		post("", "no id"),
	)
	if !errors.Is(err, earshot.ErrRejected) {
		t.Fatalf("Add err = %v, want ErrRejected for the post with no id", err)
	}
	if got := len(store.all(t)); got != 0 {
		t.Fatalf("stored %d posts before a full batch", got)
	}
	if err := p.Add(ctx, post("test:3", "acme rocks")); err != nil {
		t.Fatal(err)
	}
	got := store.all(t)
	if len(got) != 3 {
		t.Fatalf("stored %d posts after a full batch, want 3", len(got))
	}
	if got[0].Text != "Acme is bad" || got[0].Sentiment.Label != earshot.Negative || !slices.Equal(got[0].Watches, []string{"acme"}) {
		t.Errorf("first post = %+v", got[0])
	}
	if len(got[1].Watches) != 0 || got[1].Sentiment.Label != earshot.Positive {
		t.Errorf("second post = %+v", got[1])
	}
	// A changed version of a stored post goes through; Flush stores a partial batch.
	if err := p.Add(ctx, post("test:2", "unrelated, now bad")); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	want := PipelineStats{Received: 6, Stored: 4, Duplicates: 1, Rejected: 1}
	if s := p.Stats(); s != want {
		t.Errorf("stats = %+v, want %+v", s, want)
	}
	if scorer.texts != 4 {
		t.Errorf("scored %d texts, want 4", scorer.texts)
	}
}

func TestPipelineKeepsPostsWhileStoreFails(t *testing.T) {
	store := newStore()
	store.setFail(errors.New("connection refused"))
	p := NewPipeline(store, nil, nil, PipelineOptions{BatchSize: 2, MaxPending: 3})
	ctx := t.Context()
	if err := p.Add(ctx, post("test:1", "a"), post("test:2", "b")); err == nil {
		t.Fatal("Add with a failing store returned nil")
	}
	if err := p.Add(ctx, post("test:3", "c"), post("test:4", "d")); err == nil {
		t.Fatal("Add with a failing store returned nil")
	}
	s := p.Stats()
	if s.Pending != 3 || s.Dropped != 1 || s.Stored != 0 {
		t.Fatalf("while failing: %+v, want 3 pending and 1 dropped", s)
	}
	store.setFail(nil)
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range store.all(t) {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []string{"test:2", "test:3", "test:4"}) {
		t.Errorf("stored %v after recovery, want the newest three", ids)
	}
}

func TestPipelineDropUnmatched(t *testing.T) {
	store := newStore()
	p := NewPipeline(store, nil, []earshot.Watch{{Name: "acme", Terms: []string{"acme"}}}, PipelineOptions{DropUnmatched: true})
	if err := p.Add(t.Context(), post("test:1", "acme"), post("test:2", "other")); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Stored != 1 || s.Unmatched != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestPipelineRunFlushesOnShutdown(t *testing.T) {
	store := newStore()
	p := NewPipeline(store, nil, nil, PipelineOptions{FlushInterval: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- p.Run(ctx, 5*time.Second) }()
	if err := p.Add(ctx, post("test:1", "held in the buffer")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := len(store.all(t)); got != 1 {
		t.Errorf("stored %d posts on shutdown, want 1", got)
	}
}

func TestPipelineConcurrentAdd(t *testing.T) {
	store := newStore()
	p := NewPipeline(store, &wordScorer{}, nil, PipelineOptions{BatchSize: 7})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				_ = p.Add(t.Context(), post("test:"+string(rune('a'+g))+strings.Repeat("x", i), "text"))
			}
		})
	}
	wg.Wait()
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := len(store.all(t)); got != 200 {
		t.Errorf("stored %d posts, want 200", got)
	}
}

func TestRecentSetEvicts(t *testing.T) {
	r := newRecentSet(2)
	if !r.add("a", 1) || r.add("a", 1) || !r.add("a", 2) {
		t.Fatal("repeat detection wrong")
	}
	r.add("b", 1)
	r.add("c", 1) // evicts a
	if !r.add("a", 2) {
		t.Error("evicted id still remembered")
	}
	if len(r.hash) != 2 {
		t.Errorf("set holds %d ids, bound 2", len(r.hash))
	}
}

func TestPipelineSkipsPostsStoredUnchanged(t *testing.T) {
	store := newStore()
	scorer := &wordScorer{}
	run := func(posts ...earshot.Post) PipelineStats {
		// A new pipeline each time: nothing remembered in memory.
		p := NewPipeline(store, scorer, nil, PipelineOptions{})
		if err := p.Add(t.Context(), posts...); err != nil {
			t.Fatal(err)
		}
		if err := p.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		return p.Stats()
	}
	first := run(post("test:1", "a"), post("test:2", "b"))
	second := run(post("test:1", "a"), post("test:2", "b, edited"))
	if first.Stored != 2 || second.Stored != 1 || second.Duplicates != 1 {
		t.Errorf("first %+v, second %+v: want the unchanged post counted as a duplicate", first, second)
	}
	if scorer.texts != 3 {
		t.Errorf("scored %d texts, want 3 (the unchanged post is not scored again)", scorer.texts)
	}
}

// gatedStore is the in-memory store whose SavePosts waits for a token on
// gate, and says on entered when it starts.
type gatedStore struct {
	*savingStore
	entered chan struct{}
	gate    chan struct{}
}

func (g *gatedStore) SavePosts(ctx context.Context, posts []earshot.Post) error {
	g.entered <- struct{}{}
	<-g.gate
	return g.savingStore.SavePosts(ctx, posts)
}

// TestPipelineOverlap: with Overlap, the next batch is scored while the
// one before it is being stored; batches are stored in order, and Flush
// waits for every save.
func TestPipelineOverlap(t *testing.T) {
	store := &gatedStore{savingStore: newStore(), entered: make(chan struct{}, 10), gate: make(chan struct{}, 10)}
	scorer := &wordScorer{}
	p := NewPipeline(store, scorer, nil, PipelineOptions{BatchSize: 2, Overlap: true})
	ctx := t.Context()
	if err := p.Add(ctx, post("test:1", "a"), post("test:2", "bad")); err != nil {
		t.Fatal(err)
	}
	<-store.entered // the first batch is being stored, and Add has returned
	if s := p.Stats(); s.Stored != 0 || s.Pending != 2 {
		t.Errorf("while storing: %+v, want 2 pending", s)
	}
	added := make(chan error, 1)
	go func() { added <- p.Add(ctx, post("test:3", "c"), post("test:4", "d"), post("test:5", "e")) }()
	deadline := time.After(5 * time.Second)
	for {
		scorer.mu.Lock()
		n := scorer.texts
		scorer.mu.Unlock()
		if n == 4 {
			break // the second batch scored before the first is stored
		}
		select {
		case <-deadline:
			t.Fatalf("scored %d texts while the first batch was being stored, want 4", n)
		case <-time.After(time.Millisecond):
		}
	}
	store.gate <- struct{}{} // the first save ends; the second starts
	<-store.entered
	if err := <-added; err != nil {
		t.Fatal(err)
	}
	store.gate <- struct{}{}
	// Wait waits for the second save and starts no other.
	if err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Stored != 4 || s.Pending != 1 {
		t.Errorf("after Wait: %+v, want 4 stored and 1 pending", s)
	}
	store.gate <- struct{}{} // for the partial batch Flush stores
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range store.all(t) {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []string{"test:1", "test:2", "test:3", "test:4", "test:5"}) {
		t.Errorf("stored %v, want all five in order", ids)
	}
	if got := store.all(t)[1].Sentiment.Label; got != earshot.Negative {
		t.Errorf("second post labelled %q, want negative", got)
	}
	if s := p.Stats(); s != (PipelineStats{Received: 5, Stored: 5}) {
		t.Errorf("stats %+v", s)
	}
}

// TestPipelineOverlapStoreFails: with Overlap, a failed save is reported
// by the next flush, and its posts, with those after them, stay pending
// for the retry, in order.
func TestPipelineOverlapStoreFails(t *testing.T) {
	store := newStore()
	store.setFail(errors.New("disk full"))
	p := NewPipeline(store, nil, nil, PipelineOptions{BatchSize: 2, Overlap: true})
	ctx := t.Context()
	if err := p.Add(ctx, post("test:1", "a"), post("test:2", "b")); err != nil {
		t.Fatalf("Add: %v; want the save's failure later", err)
	}
	if err := p.Add(ctx, post("test:3", "c"), post("test:4", "d")); err == nil {
		t.Fatal("the next Add did not report the failed save")
	}
	if s := p.Stats(); s.Pending != 4 || s.Stored != 0 {
		t.Fatalf("after the failure: %+v, want 4 pending", s)
	}
	if err := p.Flush(ctx); err == nil {
		t.Fatal("Flush with a failing store returned nil")
	}
	store.setFail(nil)
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range store.all(t) {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []string{"test:1", "test:2", "test:3", "test:4"}) {
		t.Errorf("stored %v after recovery", ids)
	}
	if s := p.Stats(); s.Stored != 4 || s.Pending != 0 {
		t.Errorf("stats %+v", s)
	}
}

// askingStore is savingStore remembering the IDs each PostHashes asked.
type askingStore struct {
	*savingStore
	asked [][]string
}

func (a *askingStore) PostHashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	a.asked = append(a.asked, slices.Clone(ids))
	return a.savingStore.PostHashes(ctx, ids)
}

// TestPipelineFreshStore: into a store that held no posts, the look-up of
// stored posts asks only about IDs the pipeline stored itself (and finds
// a version it stored that a later, older one did not replace), and about
// every ID once the pipeline has forgotten one.
func TestPipelineFreshStore(t *testing.T) {
	store := &askingStore{savingStore: newStore()}
	p := NewPipeline(store, &wordScorer{}, nil, PipelineOptions{BatchSize: 2, DedupeWindow: 3, FreshStore: true})
	later := post("test:1", "a")
	later.CollectedAt = t0.Add(time.Hour)
	older := post("test:1", "a, edited")
	for _, batch := range [][]earshot.Post{
		{later, post("test:2", "b")},
		{older, post("test:3", "c")}, // stored, but the later version stays
		{later, post("test:4", "d")}, // the stored version again: a duplicate; test:1 forgotten after
		{post("test:5", "e"), post("test:6", "f")},
	} {
		if err := p.Add(t.Context(), batch...); err != nil {
			t.Fatal(err)
		}
	}
	want := [][]string{{"test:1"}, {"test:1"}, {"test:5", "test:6"}}
	if !slices.EqualFunc(store.asked, want, slices.Equal) {
		t.Errorf("asked %q, want %q", store.asked, want)
	}
	if s := p.Stats(); s.Stored != 7 || s.Duplicates != 1 {
		t.Errorf("stats %+v, want 7 stored and 1 duplicate", s)
	}
	if got, err := store.Post(t.Context(), "test:1"); err != nil || got.Text != "a" {
		t.Errorf("test:1 stored as %q (%v), want the later version", got.Text, err)
	}
}
