// Package replay runs history through the live path, as `earshot replay`
// does: the posts through ingest's pipeline (the same normalizing, dedupe
// and scoring as serve) into an empty store, then the engine driven on the
// data's clock (engine.Data), one step per detection bucket, incidents and
// silences becoming known when they happened. Each notification routing
// would send is one Line of output.
//
//	err := replay.Run(ctx, replay.Options{Store: st, Scorer: sc, ReadPosts: read, Out: os.Stdout, Stderr: os.Stderr})
//
// ReadIncidents, ReadSilences and ReadTruth read replay's JSON-lines
// inputs; a bad line is a BadInput. With a Truth, Run scores the messages
// against what really happened: latency, precision and messages per
// episode.
package replay
