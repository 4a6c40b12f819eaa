package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// PipelineOptions tune a Pipeline. The zero value of each field takes the
// default named in its comment.
type PipelineOptions struct {
	// BatchSize is how many posts are scored and stored at once (500).
	BatchSize int
	// FlushInterval is the longest a post waits in the buffer (2s).
	FlushInterval time.Duration
	// MaxTextBytes bounds a post's text (16 KiB).
	MaxTextBytes int
	// DedupeWindow is how many recent posts are remembered to skip exact
	// repeats before they reach the scorer and the store (100,000).
	DedupeWindow int
	// MaxPending bounds the posts held while the store fails (100,000).
	// Without a Spool, the oldest posts beyond it are dropped and counted;
	// with one, Add refuses posts beyond it (ErrBusy).
	MaxPending int
	// Spool, when set, makes the pipeline durable: Add writes the posts it
	// keeps to the spool and returns nil only once they are fsynced there
	// (so a collector's cursor or a pusher's 2xx follows only durable
	// posts); it never flushes inline, so a slow store never slows Add;
	// when the spool or the buffer is full it refuses the whole call with
	// a *BusyError and keeps nothing of it. Posts leave the spool once
	// stored; Recover takes back what a previous run left.
	Spool earshot.Spool
	// RetryAfter is how long a refused caller is told to wait (the
	// FlushInterval, at least 1s).
	RetryAfter time.Duration
	// SaveTimeout bounds each call to the store when a Spool is set, so a
	// hung connection is given up and retried (1m).
	SaveTimeout time.Duration
	// DropUnmatched discards posts that match no watch, when watches are set.
	DropUnmatched bool
	// Overlap scores the next batch while the one before it is being
	// stored, for bulk loads: a flush that Add starts returns with the
	// last batch's save still running, and a store failure is returned by
	// the next Add that flushes, or by Flush, which waits for every save.
	// Call Flush at the end.
	Overlap bool
	// FreshStore says the store held no posts when the pipeline started
	// and nothing else stores posts meanwhile (an import into a new
	// store): a post can then be stored already only if the pipeline
	// stored a post of its ID itself, so the look-up of stored posts
	// before scoring asks the store only about those IDs, while the
	// pipeline remembers every ID it stored (DedupeWindow), and about
	// every ID after that.
	FreshStore bool
	Log        *slog.Logger
	Now        func() time.Time
}

func (o *PipelineOptions) defaults() {
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = 2 * time.Second
	}
	if o.MaxTextBytes <= 0 {
		o.MaxTextBytes = 16 << 10
	}
	if o.DedupeWindow <= 0 {
		o.DedupeWindow = 100_000
	}
	if o.MaxPending <= 0 {
		o.MaxPending = 100_000
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = max(o.FlushInterval, time.Second)
	}
	if o.SaveTimeout <= 0 {
		o.SaveTimeout = time.Minute
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// PipelineStats counts what a Pipeline did with the posts it was given.
type PipelineStats struct {
	// Received counts every post given to Add.
	Received int64 `json:"received"`
	// Stored counts posts the store accepted.
	Stored int64 `json:"stored"`
	// Duplicates counts exact repeats of a post seen recently.
	Duplicates int64 `json:"duplicates"`
	// Unmatched counts posts dropped for matching no watch.
	Unmatched int64 `json:"unmatched"`
	// Rejected counts posts that failed validation.
	Rejected int64 `json:"rejected"`
	// Dropped counts posts lost because the store failed for too long
	// (only without a spool).
	Dropped int64 `json:"dropped"`
	// Refused counts posts Add turned away with ErrBusy (spool or buffer
	// full, or shutting down): the sender keeps them and retries.
	Refused int64 `json:"refused"`
	// Replayed counts posts taken back from the spool by Recover.
	Replayed int64 `json:"replayed"`
	// Pending is the number of posts waiting to be stored.
	Pending int64 `json:"pending"`
}

// Pipeline carries collected posts to the store: normalize → validate →
// dedupe → match watches → score → store in batches. Add may be called from
// many goroutines; Run flushes on a timer and once more when its context
// ends, so a clean shutdown loses nothing it holds.
type Pipeline struct {
	store   earshot.PostStore
	scorer  earshot.Scorer
	matcher *earshot.Matcher
	opts    PipelineOptions

	flushMu sync.Mutex // one flush at a time, in order
	saving  *saving    // under flushMu: the batch being stored, with Overlap

	mu       sync.Mutex
	pending  []queued
	inflight map[string]uint64 // ID → content hash of the latest pending version
	seen     *recentSet        // stored posts only: seen means stored
	lastSeq  uint64            // of the last spool record
	closed   bool
	stats    PipelineStats

	kick chan struct{} // a full batch is waiting (with a Spool)
}

// queued is a post waiting to be stored, with its content hash and the
// spool record holding it.
type queued struct {
	post earshot.Post
	hash uint64
	seq  uint64
}

// NewPipeline returns a pipeline into store. scorer may be nil to store
// posts unscored.
func NewPipeline(store earshot.PostStore, scorer earshot.Scorer, watches []earshot.Watch, opts PipelineOptions) *Pipeline {
	opts.defaults()
	return &Pipeline{
		store:    store,
		scorer:   scorer,
		matcher:  earshot.NewMatcher(watches),
		opts:     opts,
		seen:     newRecentSet(opts.DedupeWindow),
		inflight: map[string]uint64{},
		kick:     make(chan struct{}, 1),
	}
}

// Add takes posts into the pipeline. Invalid posts are counted and
// skipped, and reported in the returned error (wrapping ErrRejected); the
// others are kept. Without a Spool, when a full batch is buffered Add
// flushes it, and returns the store's error if that fails (the batch stays
// buffered for retry). With one, see PipelineOptions.Spool.
func (p *Pipeline) Add(ctx context.Context, posts ...earshot.Post) error {
	var rejected []error
	keep := make([]queued, 0, len(posts))
	batchSeen := map[string]uint64{}
	p.mu.Lock()
	for _, post := range posts {
		p.stats.Received++
		post = Normalize(post, p.opts.MaxTextBytes)
		if post.CollectedAt.IsZero() {
			post.CollectedAt = p.opts.Now().UTC()
			if post.CreatedAt.IsZero() {
				post.CreatedAt = post.CollectedAt
			}
		}
		if err := earshot.Validate(post); err != nil {
			p.stats.Rejected++
			rejected = append(rejected, err)
			continue
		}
		h := earshot.ContentHash(post)
		if old, ok := batchSeen[post.ID]; (ok && old == h) || (!ok && p.known(post.ID, h)) {
			p.stats.Duplicates++
			continue
		}
		batchSeen[post.ID] = h
		post.Watches = p.matcher.Match(post.Text)
		if len(post.Watches) == 0 && p.opts.DropUnmatched && p.matcher.Len() > 0 {
			p.stats.Unmatched++
			continue
		}
		keep = append(keep, queued{post: post, hash: h})
	}
	err := p.take(keep)
	full := len(p.pending) >= p.opts.BatchSize
	p.mu.Unlock()
	if err != nil {
		// Nothing was kept: the caller sends it all again, so the error
		// is not mixed with rejections (which callers treat as taken).
		return err
	}

	if full {
		if p.opts.Spool != nil {
			select {
			case p.kick <- struct{}{}:
			default:
			}
		} else {
			err = p.flush(ctx, false)
		}
	}
	if len(rejected) > 0 {
		err = errors.Join(err, fmt.Errorf("%w: %w", earshot.ErrRejected, errors.Join(rejected...)))
	}
	return err
}

// known reports whether the latest version of the post with id that is
// pending, or else stored, has content hash h. The caller holds mu.
func (p *Pipeline) known(id string, h uint64) bool {
	if old, ok := p.inflight[id]; ok {
		return old == h
	}
	old, ok := p.seen.get(id)
	return ok && old == h
}

// take queues posts, first writing them to the spool when there is one.
// The caller holds mu.
func (p *Pipeline) take(keep []queued) error {
	if p.opts.Spool != nil && p.closed {
		p.stats.Refused += int64(len(keep))
		return &earshot.BusyError{Reason: "shutting down", After: p.opts.RetryAfter}
	}
	if len(keep) == 0 {
		return nil
	}
	if p.opts.Spool != nil {
		if len(p.pending)+len(keep) > p.opts.MaxPending {
			p.stats.Refused += int64(len(keep))
			return &earshot.BusyError{Reason: fmt.Sprintf("%d posts wait for the store", len(p.pending)), After: p.opts.RetryAfter}
		}
		batch := make([]earshot.Post, len(keep))
		for i, q := range keep {
			batch[i] = q.post
		}
		payload, err := json.Marshal(batch)
		if err != nil {
			return fmt.Errorf("encoding posts for the spool: %w", err)
		}
		seq, err := p.opts.Spool.Append(payload)
		if errors.Is(err, earshot.ErrSpoolFull) {
			p.stats.Refused += int64(len(keep))
			return &earshot.BusyError{Reason: err.Error(), After: p.opts.RetryAfter}
		}
		if err != nil {
			return fmt.Errorf("spooling posts: %w", err)
		}
		p.lastSeq = seq
		for i := range keep {
			keep[i].seq = seq
		}
	}
	for _, q := range keep {
		p.inflight[q.post.ID] = q.hash
	}
	if p.pending == nil {
		// Room for a batch being saved and the next one (Overlap), so
		// the buffer does not grow by copying posts over and over.
		p.pending = make([]queued, 0, max(2*p.opts.BatchSize, len(keep)))
	}
	p.pending = append(p.pending, keep...)
	return nil
}

// Recover takes back the posts a previous run left in the spool, to be
// stored first, and returns how many. Call it once, before Add.
func (p *Pipeline) Recover(ctx context.Context) (int, error) {
	if p.opts.Spool == nil {
		return 0, nil
	}
	n := 0
	err := p.opts.Spool.Replay(func(seq uint64, payload []byte) error {
		var posts []earshot.Post
		if err := json.Unmarshal(payload, &posts); err != nil {
			return fmt.Errorf("decoding spool record %d: %w", seq, err)
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, post := range posts {
			h := earshot.ContentHash(post)
			p.inflight[post.ID] = h
			p.pending = append(p.pending, queued{post: post, hash: h, seq: seq})
		}
		p.lastSeq = seq
		p.stats.Replayed += int64(len(posts))
		n += len(posts)
		return ctx.Err()
	})
	if err != nil {
		return n, fmt.Errorf("recovering spooled posts: %w", err)
	}
	return n, nil
}

// Close makes Add refuse posts with ErrBusy from now on (with a Spool;
// without one it does nothing): the first step of a shutdown, so that
// what comes after is refused rather than lost.
func (p *Pipeline) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

// Flush scores and stores everything buffered.
func (p *Pipeline) Flush(ctx context.Context) error { return p.flush(ctx, true) }

func (p *Pipeline) flush(ctx context.Context, all bool) error {
	p.flushMu.Lock()
	defer p.flushMu.Unlock()
	for {
		// The posts of a save under way are still pending, at the head.
		off := 0
		if p.saving != nil {
			off = p.saving.n
		}
		p.mu.Lock()
		n := min(len(p.pending)-off, p.opts.BatchSize)
		if n == 0 || (!all && n < p.opts.BatchSize) {
			p.mu.Unlock()
			break
		}
		batch := make([]earshot.Post, n)
		for i, q := range p.pending[off : off+n] {
			batch[i] = q.post
		}
		p.mu.Unlock()

		batch, dups, err := p.dropStored(ctx, batch)
		if err == nil {
			err = p.score(ctx, batch)
		}
		if werr := p.wait(); werr != nil {
			// The earlier batch comes first: it is retried, this one
			// with it.
			err = werr
		}
		if err != nil {
			p.failed()
			return err
		}
		sv := &saving{n: n, dups: dups, stored: len(batch), done: make(chan struct{})}
		p.saving = sv
		if !p.opts.Overlap {
			sv.err = p.save(ctx, batch)
			close(sv.done)
			if err := p.wait(); err != nil {
				p.failed()
				return err
			}
			continue
		}
		go func() {
			sv.err = p.save(ctx, batch)
			close(sv.done)
		}()
	}
	if !all {
		return nil
	}
	if err := p.wait(); err != nil {
		p.failed()
		return err
	}
	return nil
}

// Wait waits for a save under way (with Overlap) and returns its error,
// starting nothing: what is pending stays pending. Call it before closing
// the store when not ending with Flush.
func (p *Pipeline) Wait() error {
	p.flushMu.Lock()
	defer p.flushMu.Unlock()
	if err := p.wait(); err != nil {
		p.failed()
		return err
	}
	return nil
}

// saving is a batch being stored: the first n pending posts, of which
// dups were found stored unchanged and the other stored are saved.
type saving struct {
	n, dups, stored int
	done            chan struct{}
	err             error
}

// wait waits for the save under way, if any, and takes its posts off the
// pending ones when it succeeded; it returns the save's error. The caller
// holds flushMu.
func (p *Pipeline) wait() error {
	sv := p.saving
	if sv == nil {
		return nil
	}
	<-sv.done
	p.saving = nil
	if sv.err != nil {
		return sv.err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range p.pending[:sv.n] {
		p.seen.add(q.post.ID, q.hash)
		if p.inflight[q.post.ID] == q.hash {
			delete(p.inflight, q.post.ID)
		}
	}
	p.pending = append(p.pending[:0], p.pending[sv.n:]...)
	p.stats.Stored += int64(sv.stored)
	p.stats.Duplicates += int64(sv.dups)
	if p.opts.Spool != nil {
		// Every record before the first pending post's is stored.
		acked := p.lastSeq
		if len(p.pending) > 0 {
			acked = p.pending[0].seq - 1
		}
		if err := p.opts.Spool.Ack(acked); err != nil {
			// The posts are stored; the spool keeps them a while longer
			// and a restart stores them again, harmlessly.
			p.opts.Log.Warn("marking spooled posts stored", "err", err)
		}
	}
	return nil
}

// failed bounds the pending posts after a failed flush, with no save
// under way. The caller holds flushMu.
func (p *Pipeline) failed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.opts.Spool != nil {
		return // Add refuses instead
	}
	if over := len(p.pending) - p.opts.MaxPending; over > 0 {
		// Keep the newest posts: drop the oldest beyond the bound.
		p.stats.Dropped += int64(over)
		for _, q := range p.pending[:over] {
			if p.inflight[q.post.ID] == q.hash {
				delete(p.inflight, q.post.ID)
			}
		}
		p.pending = append(p.pending[:0], p.pending[over:]...)
		p.opts.Log.Error("dropping posts: store failing and buffer full", "dropped", over)
	}
}

// dropStored removes from batch the posts the store already holds
// unchanged, when the store can tell (PostHashStore), and returns how many
// it removed.
func (p *Pipeline) dropStored(ctx context.Context, batch []earshot.Post) ([]earshot.Post, int, error) {
	hs, ok := p.store.(earshot.PostHashStore)
	if !ok || len(batch) == 0 {
		return batch, 0, nil
	}
	ids := p.mayBeStored(batch)
	if len(ids) == 0 {
		return batch, 0, nil
	}
	ctx, cancel := p.storeContext(ctx)
	defer cancel()
	stored, err := hs.PostHashes(ctx, ids)
	if err != nil {
		return batch, 0, fmt.Errorf("checking stored posts: %w", err)
	}
	if len(stored) == 0 {
		return batch, 0, nil
	}
	kept := batch[:0]
	for _, post := range batch {
		if h, ok := stored[post.ID]; ok && h == earshot.ContentHash(post) {
			continue
		}
		kept = append(kept, post)
	}
	return kept, len(batch) - len(kept), nil
}

// mayBeStored returns the IDs of the posts of batch that the store may
// hold: all of them, but with FreshStore only those the pipeline stored
// itself, while it remembers them all. The posts of a save under way are
// not among those: one of them can only match a post of batch that has
// other content (an equal one is a duplicate in Add).
func (p *Pipeline) mayBeStored(batch []earshot.Post) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	all := !p.opts.FreshStore || p.seen.forgot
	ids := make([]string, 0, len(batch))
	for _, post := range batch {
		if _, ok := p.seen.get(post.ID); all || ok {
			ids = append(ids, post.ID)
		}
	}
	return ids
}

// score scores the posts of a batch not already scored.
func (p *Pipeline) score(ctx context.Context, batch []earshot.Post) error {
	if p.scorer == nil {
		return nil
	}
	var texts []string
	var idx []int
	for i, post := range batch {
		if !post.Sentiment.Scored() {
			texts = append(texts, post.Text)
			idx = append(idx, i)
		}
	}
	if len(texts) == 0 {
		return nil
	}
	scores, err := p.scorer.Score(ctx, texts)
	if err != nil {
		return fmt.Errorf("scoring posts: %w", err)
	}
	for j, i := range idx {
		batch[i].Sentiment = earshot.Rated(scores[j], batch[i].Rating)
	}
	return nil
}

// save stores a scored batch.
func (p *Pipeline) save(ctx context.Context, batch []earshot.Post) error {
	if len(batch) == 0 {
		return nil
	}
	ctx, cancel := p.storeContext(ctx)
	defer cancel()
	if err := p.store.SavePosts(ctx, batch); err != nil {
		return fmt.Errorf("storing %d posts: %w", len(batch), err)
	}
	p.opts.Log.Debug("stored posts", "n", len(batch))
	return nil
}

// storeContext bounds a call to the store by SaveTimeout, with a Spool.
func (p *Pipeline) storeContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if p.opts.Spool == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, p.opts.SaveTimeout)
}

// Run flushes the buffer every FlushInterval (and, with a Spool, as soon
// as a full batch waits) until ctx ends, then flushes what is left with a
// fresh context bounded by drain, and returns within drain even when the
// store hangs. With a Spool, what the store did not take by then stays
// spooled for the next start, and Run returns nil; without one that is an
// error.
func (p *Pipeline) Run(ctx context.Context, drain time.Duration) error {
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		t := time.NewTicker(p.opts.FlushInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-p.kick:
			}
			if err := p.Flush(ctx); err != nil && ctx.Err() == nil {
				p.opts.Log.Warn("flushing posts", "err", err, "pending", p.Stats().Pending)
			}
		}
	}()
	<-ctx.Done()
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		select {
		case <-loopDone:
			done <- p.Flush(dctx)
		case <-dctx.Done():
			done <- dctx.Err()
		}
	}()
	var err error
	select {
	case err = <-done:
	case <-dctx.Done():
		err = dctx.Err()
	}
	if err == nil {
		return nil
	}
	if p.opts.Spool != nil {
		p.opts.Log.Warn("the store did not take every post before shutdown; the rest stay spooled for the next start",
			"err", err, "pending", p.Stats().Pending)
		return nil
	}
	return fmt.Errorf("flushing on shutdown: %w", err)
}

// Stats returns the pipeline's counters.
func (p *Pipeline) Stats() PipelineStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Pending = int64(len(p.pending))
	return s
}

// recentSet remembers the content hash of the last n post IDs added.
type recentSet struct {
	n     int
	hash  map[string]uint64
	order []string
	next  int
	// forgot is set once an ID was forgotten to make room.
	forgot bool
}

func newRecentSet(n int) *recentSet {
	return &recentSet{n: n, hash: make(map[string]uint64, min(n, 1024))}
}

// get returns the hash recorded for id.
func (r *recentSet) get(id string) (uint64, bool) {
	h, ok := r.hash[id]
	return h, ok
}

// add records id with hash and reports whether it is new: an unseen ID, or
// a seen one whose content changed.
func (r *recentSet) add(id string, hash uint64) bool {
	if old, ok := r.hash[id]; ok {
		r.hash[id] = hash
		return old != hash
	}
	if len(r.order) < r.n {
		r.order = append(r.order, id)
	} else {
		delete(r.hash, r.order[r.next])
		r.forgot = true
		r.order[r.next] = id
		r.next = (r.next + 1) % r.n
	}
	r.hash[id] = hash
	return true
}
