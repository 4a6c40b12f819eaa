// Package web is Earshot's built-in dashboard: one server-rendered page for
// comms teams and a small JSON API over the same data. It needs nothing but
// the standard library and works offline: no external scripts, fonts or
// styles.
//
// New takes a Store (the few PostStore, IncidentStore, SpikeStore and
// FollowUpStore methods it uses) and returns a Server, an http.Handler:
//
//	GET /                     the timeline: volume and mean sentiment over
//	                          time with incidents as bands, a per-source
//	                          table and the most negative recent posts.
//	                          ?range=24h|7d|14d|30d, ?watch=, ?source=.
//	GET /api/series           {"from","to","bucket","group","points":[Bucket]}
//	                          ?from=&to= (RFC 3339), bucket=1m|1h|1d,
//	                          group=|watch|source, watch=, source=
//	GET /api/incidents        {"from","to","incidents":[Incident]}
//	GET /api/posts/negative   {"from","to","limit","posts":[Post]}
//	                          ?from=&to=&limit=&watch=&source=
//	GET /support              the support queue: follow-ups by priority
//	                          then due time, overdue ones highlighted, each
//	                          with its customer, reason, latest posts,
//	                          incident, state, assignee and notes.
//	                          ?state=active|open|assigned|contacted|
//	                          resolved|dismissed|all (default active).
//	GET /api/followups        {"states","followups":[FollowUp]} in the same
//	                          order; ?state= takes states, comma-separated
//	                          or repeated, "active" (the default) or "all".
//	POST /api/followups/{id}/move
//	                          {"to","assignee","note","actor"}: moves a
//	                          follow-up (see earshot.FollowUp.Apply) and
//	                          answers it. Needs Authorization: Bearer with
//	                          one of Options.WriteTokens, else 401; 404 for
//	                          an unknown follow-up, 409 with a plain message
//	                          for a move its state does not allow.
//	GET /healthz              "ok"
//
// API windows default to the last 7 days up to Options.Now, buckets to 1h.
// A bad parameter gets a 400 with {"error": "..."} naming it; a store
// failure gets a 500 with a plain message, and is logged.
//
// Posts are hostile input. Everything from a post (text, author, URL) goes
// through html/template's contextual escaping and is never marked safe;
// a post's link is rendered only when it is an absolute http or https URL.
// Responses carry a strict Content-Security-Policy: the page runs no
// script at all and refreshes itself with a meta tag every 60 seconds.
//
// The pages only read. Moves go through the API alone: a browser form
// cannot send a bearer header, a form that took the token would invite the
// browser to save it and add a cross-site request surface, and a
// read-only page needs neither cookies nor CSRF tokens. (Reading itself
// may need a credential: earshot serve wraps this server in
// internal/auth's RequireRead when web.read_tokens is set; its sign-in
// cookie grants reading only, never a move.)
package web
