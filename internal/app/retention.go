package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/earshot/earshot"
)

// retentionEvery is how often serve drops what the store's retention has
// expired, after a first run at start. Expiry is by the minute (DuckDB) or
// the month (ClickHouse without TTL), so an hour late is nothing.
const retentionEvery = time.Hour

// expirer enforces a store's retention: it calls DropExpired at start and
// then every Every, until its context ends. A failed run is logged and
// counted, and the next one tries again; it never stops serve.
type expirer struct {
	Store earshot.Expirer
	Every time.Duration
	Now   func() time.Time
	Log   *slog.Logger
	// Observe, if set, counts each run, ok or failed.
	Observe func(ok bool)
}

// Run runs the retention until ctx ends.
func (e expirer) Run(ctx context.Context) {
	t := time.NewTicker(e.Every)
	defer t.Stop()
	for {
		e.once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// once runs the retention once and logs what it dropped.
func (e expirer) once(ctx context.Context) {
	dropped, err := e.Store.DropExpired(ctx, e.Now())
	if len(dropped) > 0 {
		e.Log.Info("dropped expired data", "dropped", dropped)
	}
	if ctx.Err() != nil {
		return // stopping: not a failure
	}
	if e.Observe != nil {
		e.Observe(err == nil)
	}
	if err != nil {
		e.Log.Error("dropping expired data failed; trying again later", "err", err, "retry_in", e.Every.String())
		return
	}
	if len(dropped) == 0 {
		e.Log.Debug("nothing expired")
	}
}

// startRetention starts the store's retention on ctx when it has one, and
// says so.
func (s *Server) startRetention(ctx context.Context, observe func(ok bool)) {
	r := s.st.Retention()
	if r == (earshot.Retention{}) {
		return
	}
	log := s.log.With("part", "retention")
	log.Info("retention on", "posts", r.Posts.String(), "rollups", r.RollupsKept().String(), "every", retentionEvery.String())
	e := expirer{Store: s.st, Every: retentionEvery, Now: time.Now, Log: log, Observe: observe}
	s.wg.Go(func() { e.Run(ctx) })
}
