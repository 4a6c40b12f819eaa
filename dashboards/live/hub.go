package live

import (
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/earshot/earshot"
)

// Options configure a Hub. The zero value takes the defaults named.
type Options struct {
	// Buffer is how many of the latest events are kept for clients that
	// resume (1024).
	Buffer int
	// ClientQueue is how many events may wait for one client before it is
	// dropped as too slow (256).
	ClientQueue int
	// MaxClients bounds the streams open at once (100); more are refused
	// with 503.
	MaxClients int
	// Heartbeat is how often an idle stream gets a comment line, so
	// proxies keep it open and dead clients are found (15s).
	Heartbeat time.Duration
	// WriteTimeout bounds each write to a client (10s); it replaces the
	// server's WriteTimeout, which would cut every stream.
	WriteTimeout time.Duration
	// Now is the clock events without a time are stamped with; time.Now
	// when nil.
	Now func() time.Time
}

func (o *Options) defaults() {
	if o.Buffer <= 0 {
		o.Buffer = 1024
	}
	if o.ClientQueue <= 0 {
		o.ClientQueue = 256
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 100
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// ErrTooManyClients is returned by Subscribe when MaxClients streams are
// open.
var ErrTooManyClients = errors.New("too many live clients")

// frame is one event as sent: its ID, type and JSON.
type frame struct {
	id   uint64
	typ  earshot.EventType
	data []byte
}

// Hub numbers events, keeps the latest, and hands them to subscribers. It
// is safe for concurrent use; Publish never blocks on a subscriber.
type Hub struct {
	opts Options

	mu      sync.Mutex
	last    uint64  // the ID of the latest event
	ring    []frame // the latest events, oldest first, at most Buffer
	clients map[*Subscription]struct{}
	closed  bool
	// dropped counts clients dropped as too slow.
	dropped int64
}

var _ earshot.Publisher = (*Hub)(nil)

// NewHub returns an empty hub.
func NewHub(opts Options) *Hub {
	opts.defaults()
	return &Hub{opts: opts, clients: map[*Subscription]struct{}{}}
}

// Subscription is one client's stream of events.
type Subscription struct {
	hub *Hub
	ch  chan frame
	// lost is closed when the hub dropped the client (too slow) or closed.
	lost chan struct{}
}

// Publish numbers e, keeps it, and queues it for every subscriber; a
// subscriber whose queue is full is dropped. An event that cannot be
// encoded as JSON is published without its data.
func (h *Hub) Publish(e earshot.Event) {
	if e.At.IsZero() {
		e.At = h.opts.Now()
	}
	e.At = e.At.UTC()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.last++
	e.ID = h.last
	data, err := json.Marshal(e)
	if err != nil {
		e.Data = nil
		data, _ = json.Marshal(e)
	}
	f := frame{id: e.ID, typ: e.Type, data: data}
	if len(h.ring) == h.opts.Buffer {
		copy(h.ring, h.ring[1:])
		h.ring = h.ring[:len(h.ring)-1]
	}
	h.ring = append(h.ring, f)
	for c := range h.clients {
		select {
		case c.ch <- f:
		default:
			h.dropped++
			h.drop(c)
		}
	}
}

// drop forgets c and tells it so; h.mu is held.
func (h *Hub) drop(c *Subscription) {
	delete(h.clients, c)
	close(c.lost)
}

// Subscribe opens a stream. With resume set, the events after lastID still
// in the ring are returned to send first; when some of them are gone (or
// lastID is unknown: the server restarted), reset is true and the client
// should reload what it shows. It returns ErrTooManyClients when
// MaxClients streams are open.
func (h *Hub) Subscribe(lastID uint64, resume bool) (sub *Subscription, replay []frame, reset bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, false, errors.New("live events are shut down")
	}
	if len(h.clients) >= h.opts.MaxClients {
		return nil, nil, false, ErrTooManyClients
	}
	if resume {
		switch {
		case lastID > h.last:
			reset = true
		case lastID < h.last:
			oldest := h.last + 1 - uint64(len(h.ring)) // ID of ring[0]
			if lastID+1 < oldest {
				reset = true
			} else {
				replay = append(replay, h.ring[lastID+1-oldest:]...)
			}
		}
	}
	sub = &Subscription{hub: h, ch: make(chan frame, h.opts.ClientQueue), lost: make(chan struct{})}
	h.clients[sub] = struct{}{}
	return sub, replay, reset, nil
}

// Last returns the ID of the latest event (0 before the first).
func (h *Hub) Last() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

// Stats returns the streams open and the clients dropped as too slow.
func (h *Hub) Stats() (clients int, dropped int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients), h.dropped
}

// Close ends every stream and refuses new ones; for a server's shutdown
// (http.Server.RegisterOnShutdown), which otherwise waits for streams
// that never end.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for c := range h.clients {
		h.drop(c)
	}
}

// Cancel ends the subscription.
func (s *Subscription) Cancel() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[s]; ok {
		h.drop(s)
	}
}
