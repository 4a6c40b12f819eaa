// Package app assembles a running Earshot: it is the one place besides
// cmd/earshot that knows every part, and it holds only what joins them.
//
// Serve and the demo share one assembly: open the store (OpenStore, or
// OpenStoreRetrying while it restarts), wrap it so what is saved reaches
// the live pages, open the spool and the pipeline, build the engine with
// its receivers, the follow-up flagger and the digest scheduler, mount
// every route behind sign-in and cross-origin protection, start the
// pollers (and, for a store with a retention, its hourly DropExpired),
// and on shutdown stop them in order: collectors and the engine, then the
// pipeline draining into the store, then HTTP (StopHTTP).
//
//	s, err := app.NewServer(cfg, log, getenv, version) // builds the collectors: config errors first
//	...
//	err = s.Serve(ctx, ln)
//
// Replay runs history from files through the same engine on an in-memory
// store, on the data's clock (package engine/replay drives it). Import,
// RebuildRollups, WriteDigest and SendDigest do the work of the commands
// that join a configuration's parts to a store: import, store
// rebuild-rollups, digest and digest send.
//
// Each part builds itself from its own section of the configuration; app
// passes each the others it needs (the store, the engine's wake-up, the
// metrics registry). It lives under internal/ because it is no library:
// only the earshot command calls it. Errors that are the configuration's
// fault are *badinput.Error, which the command turns into exit code 2.
package app
