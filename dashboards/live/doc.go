// Package live carries what changes in Earshot to the pages that show it
// as it happens, through Server-Sent Events.
//
// A Hub numbers the events it is given and keeps the latest in a bounded
// ring, so a browser that lost its connection resumes where it stopped
// (the Last-Event-ID header EventSource sends on reconnecting) or, when
// what it missed is gone from the ring, is told to reset (reload). Each
// client has a bounded queue: a client too slow to take its events is
// dropped, never waited for, and reconnects on its own.
//
// Store wraps an earshot.Store and publishes what is saved through it:
// spikes, alerts, episodes, incidents, follow-ups, and posts in aggregate
// (counts per watch and minute, flushed every few seconds by Run).
//
//	hub, st := live.New(store, live.Options{}) // NewHub, then Wrap
//	go st.Run(ctx, live.PostCountsEvery)
//	mux.Handle("GET /api/v1/events", hub)
//
// PublicationsOf finds the publications of a store under the wrapper.
package live
