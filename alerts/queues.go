package alerts

import (
	"context"
	"sync"

	"github.com/earshot/earshot"
)

// Queues hand notifications to a notifier on one queue and one goroutine
// per receiver, so a slow receiver delays only itself. The zero value is
// not usable; see NewQueues.
type Queues struct {
	ctx    context.Context
	n      earshot.Notifier
	size   int
	failed func(earshot.Notification, error)
	queues map[string]chan earshot.Notification
	wg     sync.WaitGroup
}

// NewQueues returns queues of size notifications per receiver delivering
// to n until ctx ends; failed (if not nil) is told of each delivery n
// fails.
func NewQueues(ctx context.Context, n earshot.Notifier, size int, failed func(earshot.Notification, error)) *Queues {
	return &Queues{ctx: ctx, n: n, size: size, failed: failed, queues: map[string]chan earshot.Notification{}}
}

// Put queues note for its receiver, starting the receiver's goroutine on
// its first notification. It never blocks: false means the receiver's
// queue was full and note is dropped.
func (q *Queues) Put(note earshot.Notification) bool {
	c := q.queues[note.Receiver]
	if c == nil {
		c = make(chan earshot.Notification, q.size)
		q.queues[note.Receiver] = c
		q.wg.Go(func() {
			for note := range c {
				if _, err := q.n.Notify(q.ctx, note); err != nil && q.failed != nil {
					q.failed(note, err)
				}
			}
		})
	}
	select {
	case c <- note:
		return true
	default:
		return false
	}
}

// Close closes the queues and waits for the deliveries they hold.
func (q *Queues) Close() {
	for _, c := range q.queues {
		close(c)
	}
	q.wg.Wait()
}
