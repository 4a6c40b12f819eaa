// Package demo generates a realistic, made-up scenario for `earshot demo`
// and for tests: one invented brand, Acme Cloud (and its product Acme Pay),
// two weeks of social chatter about it, and an outage.
//
// Generate is deterministic: the same Options give the same Scenario, byte
// for byte, with no network and no clock. The scenario holds:
//
//   - Watches: "acme" (terms Acme and Acme Cloud, handle @acmecloud, keyword
//     #acmedown, services api, dashboard, login) and "acmepay".
//   - Posts, raw as collectors would hand them over: not normalized (RSS
//     comments carry a little HTML and entities), not matched to watches,
//     not scored. Six sources (twitter, mastodon, bluesky, reddit,
//     hackernews, rss) with their own volumes and author pools of a few
//     thousand authors with heavy-tailed follower counts. Volume follows a
//     daily rhythm (busy around 15:00 UTC, quiet at night, lower at weekends).
//     A handful of posts are hostile (script tags, attribute breakouts, a
//     javascript: URL) to exercise escaping downstream.
//   - Incidents: a major outage 3 to 4 days before End ("Elevated API error
//     rates and login failures", about three hours from investigating to
//     resolved). Customers start complaining 15 to 25 minutes before the
//     incident is opened; volume jumps several times over with mostly
//     negative posts, then recovery posts, then a tail of unhappy customers,
//     some of whom post again and again over the following days: the ones
//     follow-up flagging should find. A minor dashboard incident and the
//     Acme Pay launch add smaller bumps when the window is long enough.
//
// Every URL points at a reserved .example host, so no generated post links
// to a real account.
//
// Populate runs a scenario into a store as `earshot demo` shows it: the
// posts through ingest's pipeline, detection and linking on the
// scenario's own clock (engine.Data, incidents known as each update came),
// then the follow-up queue.
package demo
