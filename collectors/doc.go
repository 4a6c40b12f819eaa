// Package collectors is the registry of Earshot's collectors: the pollers
// that fetch posts from a source (an RSS feed, a social network's API) and
// hand them to the pipeline as earshot.Posts, and those that fetch incidents
// (a status page, a status feed). Endpoints that the outside world pushes
// to live in inbound/, not here.
//
// Each collector lives in its own package, collectors/<kind>, and registers
// a Factory for its kind from an init function (an incident collector an
// IncidentFactory, with RegisterIncidents); post and incident collectors
// share one registry, so a kind, the type a configuration names, is one or
// the other:
//
//	func init() { collectors.Register(Kind, collectors.NewFactory(Kind, DefaultConfig, NewCollector)) }
//
// The program imports collectors/all, which imports every collector package
// for its side effect, and builds the collectors its configuration names:
//
//	c, err := collectors.New("rss", "acme-status", node, collectors.Deps{HTTP: client, Log: log})
//
// where node is the collector's YAML node (a *yaml.Node, or anything with a
// Decode(v any) error method). A factory decodes its own config with
// DecodeConfig, fills in defaults and validates it without a network call;
// a bad config is a *ConfigError whose message names the key:
//
//	collectors.rss[acme-status].url: must be an absolute http(s) URL
//
// A collector's Collect takes the cursor it returned last time and returns
// what is new since; the program keeps the cursor in the store (see
// earshot.CursorStore), so a restart resumes where it stopped. Collectors
// report a source asking them to slow down with an error wrapping
// earshot.ErrRateLimited, and "nothing new" with earshot.ErrNotModified.
//
// A collector embeds Base (its name, validated config and deps), has its
// factory made by NewFactory (or NewIncidentFactory) from its defaults and
// its constructor, which validates the config. Its Config embeds Limits
// inline for the max_bytes and timeout keys every collector has. It checks
// the keys most collectors share with Checks (BackfillCheck,
// MaxPagesCheck, MaxBytesCheck, TimeoutCheck, BaseURLCheck, EveryCheck),
// fetches with GetJSON or Fetch, and ends a run with EndRun: an error
// before anything was collected keeps the old cursor, one after is logged
// and the posts are kept.
//
// The cursor kit holds one file per strategy of keeping a cursor, named for
// what it does; every cursor is versioned JSON (cursorjson.go):
//
//	idwatermark*.go   newest-ID watermark with gaps, for searches whose IDs grow
//	                  with time (Twitter): IDWatermark, IDSearch, IDRun
//	revisitwindow*.go revisit window, for newest-first lists whose items keep
//	                  changing (Facebook, LinkedIn, YouTube): RevisitWindow, RevisitCursor
//	revisitrun.go     one run of such a collector: RevisitRun (start, keep, finish)
//	rereadwindow.go   re-read window, for lists read oldest first from a time
//	                  (Disqus, WordPress): RereadWindow
//	gaps.go           helpers for cursors that keep spans still to fetch
//
// BuildAll builds the collectors of a configuration's entries (New or
// NewIncidents for each), without touching the network, so that a mistake
// is reported at once with the entry it is in.
package collectors
