package earshot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
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
	// MaxPending bounds the posts held while the store fails; posts beyond
	// it are dropped and counted (100,000).
	MaxPending int
	// DropUnmatched discards posts that match no watch, when watches are set.
	DropUnmatched bool
	// Overlap scores the next batch while the one before it is being
	// stored, for bulk loads: a flush that Add starts returns with the
	// last batch's save still running, and a store failure is returned by
	// the next Add that flushes, or by Flush, which waits for every save.
	// Call Flush at the end.
	Overlap bool
	Log     *slog.Logger
	Now     func() time.Time
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
	// Dropped counts posts lost because the store failed for too long.
	Dropped int64 `json:"dropped"`
	// Pending is the number of posts waiting to be stored.
	Pending int64 `json:"pending"`
}

// Pipeline carries collected posts to the store: normalize → validate →
// dedupe → match watches → score → store in batches. Add may be called from
// many goroutines; Run flushes on a timer and once more when its context
// ends, so a clean shutdown loses nothing it holds.
type Pipeline struct {
	store   PostStore
	scorer  Scorer
	matcher *Matcher
	opts    PipelineOptions

	flushMu sync.Mutex // one flush at a time, in order
	saving  *saving    // under flushMu: the batch being stored, with Overlap

	mu      sync.Mutex
	pending []Post
	seen    *recentSet
	stats   PipelineStats
}

// NewPipeline returns a pipeline into store. scorer may be nil to store
// posts unscored.
func NewPipeline(store PostStore, scorer Scorer, watches []Watch, opts PipelineOptions) *Pipeline {
	opts.defaults()
	return &Pipeline{
		store:   store,
		scorer:  scorer,
		matcher: NewMatcher(watches),
		opts:    opts,
		seen:    newRecentSet(opts.DedupeWindow),
	}
}

// ErrRejected wraps the reason a post was not accepted by Add.
var ErrRejected = errors.New("post rejected")

// Add takes posts into the pipeline. Invalid posts are counted and
// skipped, and reported in the returned error (wrapping ErrRejected); the
// others are kept. When a full batch is buffered Add flushes it, and returns
// the store's error if that fails (the batch stays buffered for retry).
func (p *Pipeline) Add(ctx context.Context, posts ...Post) error {
	var rejected []error
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
		if err := Validate(post); err != nil {
			p.stats.Rejected++
			rejected = append(rejected, err)
			continue
		}
		if !p.seen.add(post.ID, ContentHash(post)) {
			p.stats.Duplicates++
			continue
		}
		post.Watches = p.matcher.Match(post.Text)
		if len(post.Watches) == 0 && p.opts.DropUnmatched && p.matcher.Len() > 0 {
			p.stats.Unmatched++
			continue
		}
		p.pending = append(p.pending, post)
	}
	full := len(p.pending) >= p.opts.BatchSize
	p.mu.Unlock()

	var err error
	if full {
		err = p.flush(ctx, false)
	}
	if len(rejected) > 0 {
		err = errors.Join(err, fmt.Errorf("%w: %w", ErrRejected, errors.Join(rejected...)))
	}
	return err
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
		batch := append([]Post(nil), p.pending[off:off+n]...)
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
	p.pending = append(p.pending[:0], p.pending[sv.n:]...)
	p.stats.Stored += int64(sv.stored)
	p.stats.Duplicates += int64(sv.dups)
	p.mu.Unlock()
	return nil
}

// failed bounds the pending posts after a failed flush, with no save
// under way. The caller holds flushMu.
func (p *Pipeline) failed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if over := len(p.pending) - p.opts.MaxPending; over > 0 {
		// Keep the newest posts: drop the oldest beyond the bound.
		p.stats.Dropped += int64(over)
		p.pending = append(p.pending[:0], p.pending[over:]...)
		p.opts.Log.Error("dropping posts: store failing and buffer full", "dropped", over)
	}
}

// dropStored removes from batch the posts the store already holds
// unchanged, when the store can tell (PostHashStore), and returns how many
// it removed.
func (p *Pipeline) dropStored(ctx context.Context, batch []Post) ([]Post, int, error) {
	hs, ok := p.store.(PostHashStore)
	if !ok || len(batch) == 0 {
		return batch, 0, nil
	}
	ids := make([]string, len(batch))
	for i, post := range batch {
		ids[i] = post.ID
	}
	stored, err := hs.PostHashes(ctx, ids)
	if err != nil {
		return batch, 0, fmt.Errorf("checking stored posts: %w", err)
	}
	if len(stored) == 0 {
		return batch, 0, nil
	}
	kept := batch[:0]
	for _, post := range batch {
		if h, ok := stored[post.ID]; ok && h == ContentHash(post) {
			continue
		}
		kept = append(kept, post)
	}
	return kept, len(batch) - len(kept), nil
}

// score scores the posts of a batch not already scored.
func (p *Pipeline) score(ctx context.Context, batch []Post) error {
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
		batch[i].Sentiment = Rated(scores[j], batch[i].Rating)
	}
	return nil
}

// save stores a scored batch.
func (p *Pipeline) save(ctx context.Context, batch []Post) error {
	if len(batch) == 0 {
		return nil
	}
	if err := p.store.SavePosts(ctx, batch); err != nil {
		return fmt.Errorf("storing %d posts: %w", len(batch), err)
	}
	p.opts.Log.Debug("stored posts", "n", len(batch))
	return nil
}

// Rated lets a review's stars overrule its words where they disagree: a
// 1- or 2-star review is negative, a 4- or 5-star one not negative. The
// model's own score is kept in Parts["text"].
func Rated(s Sentiment, stars int) Sentiment {
	if stars < 1 || stars > 5 {
		return s
	}
	starScore := float64(stars-3) / 2 // 1★ -1, 3★ 0, 5★ +1
	parts := make(map[string]float64, len(s.Parts)+2)
	for k, v := range s.Parts {
		parts[k] = v
	}
	parts["text"], parts["stars"] = s.Score, starScore
	s.Parts = parts
	switch {
	case stars <= 2 && s.Label != Negative:
		s.Label, s.Score = Negative, min(starScore, s.Score, -0.5)
	case stars >= 4 && s.Label == Negative:
		s.Label, s.Score = Neutral, 0
	}
	if stars <= 2 && s.Reason == "" {
		s.Reason = ReasonOther
	}
	return s
}

// Run flushes the buffer every FlushInterval until ctx ends, then flushes
// what is left (with a fresh context bounded by drain) and returns.
func (p *Pipeline) Run(ctx context.Context, drain time.Duration) error {
	t := time.NewTicker(p.opts.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
			defer cancel()
			if err := p.Flush(dctx); err != nil {
				return fmt.Errorf("flushing on shutdown: %w", err)
			}
			return nil
		case <-t.C:
			if err := p.Flush(ctx); err != nil && ctx.Err() == nil {
				p.opts.Log.Warn("flushing posts", "err", err, "pending", p.Stats().Pending)
			}
		}
	}
}

// Stats returns the pipeline's counters.
func (p *Pipeline) Stats() PipelineStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Pending = int64(len(p.pending))
	return s
}

// ContentHash summarizes the parts of a normalized post that make a new
// version worth storing: text, URL, author, kind, language, parent,
// incident and creation time. Stores keep it (see PostHashStore).
func ContentHash(p Post) uint64 {
	// FNV-1a, 64 bits, over each string and a zero byte, then
	// "followers|created ns|rating|brand": as hash/fnv with fmt.Fprintf
	// would write it, without their allocations.
	h := uint64(fnvOffset64)
	for _, s := range [...]string{p.Text, p.URL, p.Author.ID, p.Author.Handle, p.Author.Name, string(p.Kind), p.Lang, p.IncidentID, p.ParentID, p.AppVersion} {
		h = fnvString(h, s)
		h = (h ^ 0) * fnvPrime64
	}
	var buf [80]byte
	b := strconv.AppendInt(buf[:0], p.Author.Followers, 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, p.CreatedAt.UnixNano(), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(p.Rating), 10)
	b = append(b, '|')
	b = strconv.AppendBool(b, p.FromBrand)
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime64
	}
	return h
}

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime64
	}
	return h
}

// recentSet remembers the content hash of the last n post IDs added.
type recentSet struct {
	n     int
	hash  map[string]uint64
	order []string
	next  int
}

func newRecentSet(n int) *recentSet {
	return &recentSet{n: n, hash: make(map[string]uint64, min(n, 1024))}
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
		r.order[r.next] = id
		r.next = (r.next + 1) % r.n
	}
	r.hash[id] = hash
	return true
}
