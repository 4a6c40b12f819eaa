// Package ingest is the path a post takes from a collector to the store:
// poll, normalize, dedupe, score, save.
//
// A Poller runs one collector on an interval (with jitter, backoff, rate
// limits, health and gaps) and hands what it collects to a sink, saving the
// collector's cursor only once the sink has taken the posts.
// NewIncidentPoller runs an incident collector the same way, saving each
// incident to the store.
//
// The sink is a Pipeline, which carries posts to the store in batches:
//
//	pipe := ingest.NewPipeline(store, scorer, watches, ingest.PipelineOptions{Spool: sp})
//	err := pipe.Add(ctx, posts...) // normalize, validate, dedupe, match watches
//	go pipe.Run(ctx, drain)        // score and save on a timer; drain on shutdown
//
// Normalize cleans a post as collected (valid UTF-8, markup to plain text,
// bounded sizes); earshot.Validate then judges it. With a spool
// (PipelineOptions.Spool) the pipeline is durable: Add returns nil only
// once the posts are fsynced, and Recover takes back what a crash left.
package ingest
