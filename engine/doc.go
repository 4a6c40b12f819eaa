// Package engine is the heart of Earshot: it wires detection, linking and
// alerting together, the one small package that knows several parts
// (analysis/spikes, alerts/link, alerts). One driver moves its clock
// (Drive on a Clock): `earshot serve` runs it live (Wall), `earshot
// replay` (package engine/replay) and the demo on the data's clock (Data);
// all go through the same Step.
//
// An Engine is a step function on an injected clock:
//
//	e, err := engine.New(engine.Config{Store: st, Watches: ws, Alerting: cfg})
//	notes, err := e.Step(ctx, now)
//
// Each Step, at time now:
//
//  1. looks for incidents opened or changed since the last Step (the
//     store's incidents open in the last Lookback, compared with what it
//     saw before) and, for each, relinks the spikes it now explains
//     (link.Relink): saves them and raises their "now linked" alerts;
//  2. runs the spike monitor (spikes.Monitor.Step), which reads the buckets
//     completed since the last Step (now - Lag, truncated to the bucket);
//  3. for every spike event: links the spike (link.Explain), saves it with
//     its IncidentID and LinkConfidence, and adds its alerts to the
//     dispatcher with the spike, then saves each alert the dispatcher took
//     (earshot.AlertStore);
//  4. flushes the dispatcher at now and returns the notifications due,
//     delivering each through the receivers when delivery is on.
//
// Step may be called as often as wanted: the monitor only reads buckets
// once they are complete, and the dispatcher only sends what is due. Live,
// the Wall clock steps every few seconds (and soon after Wake) and delivers
// on a queue per receiver; the Data clock steps once per detection bucket
// with the data's time, telling the engine of each incident as it became
// known.
//
// Which spikes alert: spikes of a watch always do. Spikes over all posts
// alert only when AllWatch names them (replay without a configuration, or
// serve with no watch: every post belongs to one watch, "all"); spikes of
// one source are linked and saved, for the dashboards, but raise no alert,
// so that one outage is one alert per watch and not one per source too.
// Spike events older than MaxEventAge when they are found (the history the
// first live Step reads) are linked and saved without alerting.
//
// Stores: the engine lists the store's posts to link spikes, and keeps
// alerts, deliveries, episodes and silences in the store (every
// earshot.Store keeps them all), unless Config names others.
//
// Handler serves /api/alerts, /api/alerts/deliveries and
// /api/alerts/weekly; Engine.Routes mounts it, with the silences, for serve.
package engine
