package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/earshot/earshot"
)

// Load is a bulk load into p in three overlapping stages: read, on the
// calling goroutine, parses posts and hands them to send a batch at a time;
// a second goroutine scores each batch (Prescore), on every core, while the
// next is read; a third adds it to the pipeline, which stores it (use
// PipelineOptions.Overlap). Rejected posts are counted, not errors. Once
// read returns and every batch is in, Load flushes the pipeline.
func (p *Pipeline) Load(ctx context.Context, read func(send func([]earshot.Post) error) error) error {
	toScore := make(chan []earshot.Post, 2)
	toStore := make(chan []earshot.Post, 2)
	scored := make(chan error, 1)
	stored := make(chan error, 1)
	go func() {
		defer close(toStore)
		for batch := range toScore {
			if err := p.Prescore(ctx, batch); err != nil {
				scored <- err
				for range toScore {
				}
				return
			}
			toStore <- batch
		}
		scored <- nil
	}()
	go func() {
		var failed error
		for batch := range toStore {
			if failed != nil {
				continue
			}
			if err := p.Add(ctx, batch...); err != nil && !errors.Is(err, earshot.ErrRejected) {
				failed = fmt.Errorf("storing posts: %w", err)
			}
		}
		stored <- failed
	}()
	rerr := read(func(batch []earshot.Post) error {
		select {
		case toScore <- batch:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(toScore)
	if err := errors.Join(<-scored, <-stored); err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	if err := p.Flush(ctx); err != nil {
		return fmt.Errorf("storing posts: %w", err)
	}
	return nil
}

// Prescore scores a batch ahead of Add, as the pipeline would: the text as
// Normalize leaves it, a review's stars applied (earshot.Rated). Add then
// keeps the score rather than scoring again.
func (p *Pipeline) Prescore(ctx context.Context, batch []earshot.Post) error {
	if p.scorer == nil || len(batch) == 0 {
		return nil
	}
	texts := make([]string, 0, len(batch))
	for _, post := range batch {
		texts = append(texts, Normalize(post, p.opts.MaxTextBytes).Text)
	}
	ss, err := p.scorer.Score(ctx, texts)
	if err != nil {
		return fmt.Errorf("scoring posts: %w", err)
	}
	for i := range batch {
		batch[i].Sentiment = earshot.Rated(ss[i], batch[i].Rating)
	}
	return nil
}
